/**
 * One way to make training examples (issue 15): `data/examples` is what the CLI, the evals, the
 * scripts and the examples call; LUDB segmentation labels come from the wave list by one rule.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadLudb } from '../../src/data/ludb';
import { classificationExample, segmentationExample, spanAtRate, waveLabels } from '../../src/data/examples';
import { interleaveLeads, preprocessRecord } from '../../src/signal/preprocess';

const LUDB = resolve(__dirname, '../../examples/data/ludb');

describe('data/examples', () => {
  it('labels working-rate samples round(onset·r)…round(offset·r) from the wave list', () => {
    const y = waveLabels([{ type: 'P', onset: 10, offset: 32 }, { type: 'QRS', onset: 50, offset: 72 }, { type: 'T', onset: 99, offset: 140 }], 30, 0.2);
    // P 2–6, QRS 10–14, T 20–28
    expect(Array.from(y)).toEqual([0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0]);
    expect(spanAtRate([644, 3996], 1000, 0.2)).toEqual([129, 799]);
    expect(() => waveLabels([], 10, 0)).toThrow('Error in waveLabels: ratio must be a finite number in (0, 1e6] (working rate / native rate), but got 0.');
  });

  it('segmentationExample: preprocessRecord with the spec, labels from the waves, span at the working rate', async () => {
    const ds = await loadLudb(LUDB, { ids: [1] });
    const s = await ds.get(0);
    const spec = { fs: 100 };
    const ex = segmentationExample(s.record, s.waves, s.span, spec);
    expect(ex.signals).toEqual(interleaveLeads(preprocessRecord(s.record, spec).signals));
    expect(ex.labels).toHaveLength(1000);
    expect(ex.labels).toEqual(waveLabels(s.waves, 1000, 0.2));
    expect(ex.span).toEqual(spanAtRate(s.span, 1000, 0.2));
    // every annotated QRS onset at 500 Hz lands on a QRS label at 100 Hz
    for (const w of s.waves.filter((w) => w.type === 'QRS')) expect(ex.labels[Math.round(w.onset * 0.2)]).toBe(2);
  });

  it('classificationExample: interleaved preprocessed signals (fixed length from the spec) and labels', async () => {
    const ds = await loadLudb(LUDB, { ids: [2] });
    const { record } = await ds.get(0);
    const ex = classificationExample(record, [1, 0, 0, 1, 0], { fs: 100, lengthSamples: 800 });
    expect(ex.signals).toHaveLength(800 * 12);
    expect(Array.from(ex.labels)).toEqual([1, 0, 0, 1, 0]);
    expect(ex.name).toBe('2');
    expect(() => classificationExample(record, [1], { fs: 100, leads: ['V7'] })).toThrow(/Error in classificationExample: record\.leads must be to include lead V7/);
  });
});
