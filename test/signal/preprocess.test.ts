import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { resolve } from 'node:path';
import { readRecord } from '../../src/io/readRecord';
import { interleaveLeads, parsePreprocessSpec, preprocessRecord, preprocessSpec, preprocessSpecJson, PREPROCESS_FORMAT, recordToTensor } from '../../src/signal/preprocess';
import { useTestBackend } from '../_backend';

const LUDB1 = resolve(__dirname, '../../examples/data/ludb/1');

describe('preprocessing spec', () => {
  beforeAll(async () => {
    await useTestBackend();
  });

  it('resolves every default explicitly, so a saved spec never depends on a library default', () => {
    expect(preprocessSpec({ fs: 100 })).toEqual({ fs: 100, leads: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], bandpassHz: [0.5, 40], standardize: 'lead', lengthSamples: null });
    expect(preprocessSpecJson({ fs: 250, leads: ['II'], bandpassHz: null, standardize: 'none', lengthSamples: 2500 })).toEqual({ format: PREPROCESS_FORMAT, fs: 250, leads: ['II'], bandpassHz: null, standardize: 'none', lengthSamples: 2500 });
  });

  it('rejects a missing rate, bad cutoffs and unknown keys with the function name', () => {
    expect(() => preprocessSpec({} as never)).toThrow(/^Error in preprocessSpec: spec\.fs must be/);
    expect(() => preprocessSpec({ fs: 100, bandpassHz: [40, 0.5] })).toThrow('Error in preprocessSpec: spec.bandpassHz must be [low, high] in Hz with 0 < low < high, or null, but got [40, 0.5].');
    expect(() => preprocessSpec({ fs: 100, standardise: 'lead' } as never)).toThrow(/spec must have only the keys 'fs', 'leads', 'bandpassHz', 'standardize', 'lengthSamples', but got unknown key 'standardise'/);
    expect(() => preprocessRecord({ name: 'x', fs: 500, leads: ['II'], signals: [new Float32Array(10)], units: ['mV'], comments: [] }, { fs: 0 })).toThrow(/^Error in preprocessRecord: spec\.fs must be/);
  });

  it('reads preprocess.json of older folders (no format tag, extra keys) and refuses other formats', () => {
    const legacy = { fs: 100, leads: ['I', 'II'], bandpassHz: [0.5, 40], standardize: 'lead', postprocessing: { mergeGapSec: 0.04 } };
    expect(parsePreprocessSpec(legacy, 'loader')).toEqual({ fs: 100, leads: ['I', 'II'], bandpassHz: [0.5, 40], standardize: 'lead', lengthSamples: null });
    expect(() => parsePreprocessSpec({ ...legacy, format: 'other@2' }, 'loader')).toThrow("Error in loader: preprocess.json format must be 'beat-ssl-preprocess@1', but got \"other@2\".");
    expect(() => parsePreprocessSpec({ leads: ['I'] }, 'loader')).toThrow(/^Error in loader: preprocess\.json fs must be/);
  });

  it('crops or zero-pads to lengthSamples after standardising over the whole record', async () => {
    const rec = await readRecord(LUDB1);
    const full = preprocessRecord(rec, { fs: 100 });
    const cut = preprocessRecord(rec, { fs: 100, lengthSamples: 600 });
    const pad = preprocessRecord(rec, { fs: 100, lengthSamples: 1200 });
    expect(cut.signals[3]).toEqual(full.signals[3].subarray(0, 600));
    expect(pad.signals[3].subarray(0, 1000)).toEqual(full.signals[3]);
    expect(Array.from(pad.signals[3].subarray(1000)).every((v) => v === 0)).toBe(true);
  });

  it('recordToTensor gives [1, T, leads] = interleaved preprocessRecord, without leaking tensors', async () => {
    const rec = await readRecord(LUDB1);
    const before = tf.memory().numTensors;
    const x = recordToTensor(rec, { fs: 100, leads: ['V1', 'II'] });
    expect(x.shape).toEqual([1, 1000, 2]);
    const p = preprocessRecord(rec, { fs: 100, leads: ['V1', 'II'] });
    expect(Array.from(x.dataSync())).toEqual(Array.from(interleaveLeads(p.signals)));
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('interleaveLeads is [time, leads] row-major and can zero non-finite samples', () => {
    expect(Array.from(interleaveLeads([Float32Array.of(1, 2), Float32Array.of(3, NaN)]))).toEqual([1, 3, 2, NaN]);
    expect(Array.from(interleaveLeads([Float32Array.of(1, 2), Float32Array.of(3, NaN)], { nanAsZero: true }))).toEqual([1, 3, 2, 0]);
    expect(() => interleaveLeads([Float32Array.of(1, 2), Float32Array.of(3)])).toThrow('Error in interleaveLeads: signals[1] must be 2 samples like lead 0, but got 1.');
  });
});
