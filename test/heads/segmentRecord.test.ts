import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRecord } from '../../src/io/readRecord';
import { createEncoder, ENCODER_PRESETS } from '../../src/models/encoder';
import { createSegmenter } from '../../src/heads/segmentation';
import { loadSegmentationModel, saveSegmentationModel } from '../../src/heads/segmentationModel';
import { segmentRecord } from '../../src/analysis/segmentRecord';
import { CANONICAL_LEADS } from '../../src/core/leads';
import { main } from '../../src/cli/main';
import { delineateBeats } from '../../src/beats/delineate';
import { detectRPeaks } from '../../src/beats/detect';
import { useTestBackend } from '../_backend';

const LUDB1 = resolve(__dirname, '../../examples/data/ludb/1');
const SHIPPED = resolve(__dirname, '../../weights/segmentation-v1/model.json');
const pre = { fs: 100, leads: [...CANONICAL_LEADS], bandpassHz: [0.5, 40] as [number, number], standardize: 'lead' as const };

describe('segmentRecord with a (tiny, untrained) saved model', () => {
  let dir = '';
  beforeAll(async () => {
    await useTestBackend();
    dir = mkdtempSync(join(tmpdir(), 'beat-ssl-seg-'));
    const seg = createSegmenter(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { seed: 3 });
    await saveSegmentationModel(dir, seg, pre, undefined, { QRS: [2, -2] });
    seg.dispose();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns waves at the native rate and intervals, without leaking tensors', async () => {
    const rec = await readRecord(LUDB1);
    const model = await loadSegmentationModel(dir);
    expect(model.preprocessing.fs).toBe(100);
    expect(model.calibrationMs).toEqual({ QRS: [2, -2] });
    const before = tf.memory().numTensors;
    const r = await segmentRecord(rec, model);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.fs).toBe(500);
    expect(r.record).toBe('1');
    for (const w of r.waves) {
      expect(['P', 'QRS', 'T']).toContain(w.type);
      expect(Number.isInteger(w.onset) && Number.isInteger(w.offset)).toBe(true);
      expect(w.onset).toBeGreaterThanOrEqual(0);
      expect(w.offset).toBeGreaterThanOrEqual(w.onset);
      expect(w.offset).toBeLessThan(5000);
    }
    expect(r.intervals).toHaveProperty('qtcMs');
    model.dispose();
  });
  it('takes the wave types assigned to rules from the rule-based delineator', async () => {
    const rec = await readRecord(LUDB1);
    const model = await loadSegmentationModel(dir);
    model.waveSources = { QRS: 'rules' };
    const r = await segmentRecord(rec, model);
    const rules = delineateBeats(rec.signals, rec.fs, detectRPeaks(rec.signals, rec.fs)).filter((w) => w.type === 'QRS');
    expect(r.waves.filter((w) => w.type === 'QRS')).toEqual(rules);
    expect(r.sources).toEqual({ P: 'model', QRS: 'rules', T: 'model' });
    expect(Array.from(r.rPeaks)).toEqual(Array.from(detectRPeaks(rec.signals, rec.fs)));
    model.dispose();
  });
  it('names a missing lead', async () => {
    const rec = await readRecord(resolve(__dirname, '../../examples/data/mitdb/100'));
    await expect(segmentRecord(rec, dir)).rejects.toThrow(/^Error in segmentRecord: record\.leads must include the 12 leads the model was trained on \(I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6\), but got \["MLII", "V5"\] \(missing I, III, aVR, .*\)\. This model needs 12-lead ECGs; for a record with fewer leads use detectRPeaks and delineateBeats/);
  });
  it('CLI: one JSON line per record, model loaded once', async () => {
    let out = '';
    let err = '';
    const code = await main(['segment', LUDB1, LUDB1 + '.hea', '--model', dir, '--backend', 'cpu', '--json'], { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({ event: 'done', records: 2, failed: 0 });
    expect(lines[0]).toMatchObject({ event: 'record', record: LUDB1, fs: 500 });
    expect(Array.isArray(lines[0].waves)).toBe(true);
    expect(lines[1].waves).toEqual(lines[0].waves);
    const bad = await main(['segment', '/nope/x', '--model', dir, '--backend', 'cpu', '--json'], { stdout: () => undefined, stderr: (t) => (err += t), isTTY: false });
    expect(bad).toBe(1);
    expect(await main(['segment', '--backend', 'cpu'], { stdout: () => undefined, stderr: () => undefined, isTTY: false })).toBe(2);
  });
  it('CLI eval: scores the model on LUDB-format records against lead II', async () => {
    let out = '';
    const code = await main(['eval', resolve(__dirname, '../../examples/data/ludb'), '--model', dir, '--backend', 'cpu', '--json'], { stdout: (t) => (out += t), stderr: () => undefined, isTTY: false });
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r).toMatchObject({ event: 'done', task: 'segment', records: 8, failed: 0 });
    expect(Object.keys(r.fiducials)).toEqual(['P_onset', 'P_offset', 'QRS_onset', 'QRS_offset', 'T_onset', 'T_offset']);
    expect(r.dice).toHaveProperty('QRS');
  });
});

describe.skipIf(!existsSync(SHIPPED))('shipped weights', () => {
  if (!existsSync(SHIPPED)) console.warn('skipped: weights/segmentation-v1 absent');
  it('segments LUDB record 1 (training record) close to its lead II annotations', async () => {
    await useTestBackend();
    const r = await segmentRecord(await readRecord(LUDB1));
    const qrs = r.waves.filter((w) => w.type === 'QRS' && w.offset >= 644 && w.onset <= 3996); // annotated span [644, 3996]
    expect(qrs.length).toBe(6);
    expect(Math.abs(qrs[0].onset - 644)).toBeLessThan(15);
  });
});
