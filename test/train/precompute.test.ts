import { describe, expect, it } from 'vitest';
import { readRecord } from '../../src/io/index';
import { preprocessRecord } from '../../src/data/preprocess';
import { precomputeRecord } from '../../src/data/precomputeRecord';
import { checkPrecomputedRecords } from '../../src/train/precomputed';

const root = new URL('../../', import.meta.url).pathname;

describe('precomputeRecord', () => {
  it('fills peaks, record/beat features and classes once from a real record (LUDB 1 at 100 Hz)', async () => {
    const rec = preprocessRecord(await readRecord(root + 'examples/data/ludb/1'), { fs: 100, standardize: 'none' });
    const pre = precomputeRecord(rec);
    expect(pre.fs).toBe(100);
    expect(pre.leads).toBe(12);
    expect(pre.signals.length).toBe(1000 * 12);
    expect(pre.rPeaks.length).toBeGreaterThan(5);
    expect(pre.rPeaks.length).toBeLessThan(25);
    expect(pre.recordFeatures!.every(Number.isFinite)).toBe(true);
    expect(pre.beatFeatures!.length % pre.rPeaks.length).toBe(0);
    expect(pre.beatClasses!.length).toBe(pre.rPeaks.length);
    // signals stay in mV by default (3KG works in mV; the loop standardises each view) …
    for (let t = 0; t < 1000; t += 97) expect(pre.signals[t * 12 + 1]).toBe(rec.signals[1][t]);
    // … or are z-scored per lead on request
    const z = precomputeRecord(rec, { standardize: true });
    let m = 0;
    let ss = 0;
    for (let t = 0; t < 1000; t++) m += z.signals[t * 12 + 1] / 1000;
    for (let t = 0; t < 1000; t++) ss += (z.signals[t * 12 + 1] - m) ** 2 / 1000;
    expect(Math.abs(m)).toBeLessThan(1e-4);
    expect(Math.sqrt(ss)).toBeCloseTo(1, 4);
    const info = checkPrecomputedRecords([pre, pre], 'test');
    expect(info.recordFeatureDim).toBe(pre.recordFeatures!.length);
    expect(() => checkPrecomputedRecords([pre, { ...pre, fs: 500 }], 'pretrainBeatSsl')).toThrow('Error in pretrainBeatSsl: data[1] (1).fs must be 100 Hz like data[0] (resample first), but got 500.');
  });
});
