/**
 * One definition of the clinical intervals (issue 15): `wavesToIntervals` of beat-ssl/beats is what
 * the record features (`ecgFeatures`) and the segmentation output (`segmentRecord`) report, so QT
 * is the same number in both.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_PR_SEC, pairBeatWaves, wavesToIntervals } from '../../src/beats/intervals';
import { ecgFeatures, ECG_FEATURE_NAMES } from '../../src/beats/ecgFeatures';
import { detectRPeaks } from '../../src/beats/detect';
import { delineateBeats } from '../../src/beats/delineate';
import { segmentRecord } from '../../src/analysis/segmentRecord';
import { readRecord } from '../../src/io/readRecord';
import type { Wave } from '../../src/core/types';

const LUDB1 = resolve(__dirname, '../../examples/data/ludb/1');
const SHIPPED = resolve(__dirname, '../../weights/segmentation-v1/model.json');
const feature = (f: { values: Float64Array; valid: Uint8Array }, name: (typeof ECG_FEATURE_NAMES)[number]) => {
  const i = ECG_FEATURE_NAMES.indexOf(name);
  return f.valid[i] ? f.values[i] : NaN;
};

describe('wavesToIntervals: the definitions', () => {
  // fs 100: beat 1 P 10–19, QRS 30–38, T 50–74; beat 2 P 110–119, QRS 130–138, T 150–174; beat 3 QRS 250–258, no P/T
  const fs = 100;
  const waves: Wave[] = [
    { type: 'QRS', onset: 250, offset: 258 },
    { type: 'P', onset: 10, offset: 19 },
    { type: 'QRS', onset: 30, offset: 38 },
    { type: 'T', onset: 50, offset: 74 },
    { type: 'P', onset: 110, offset: 119 },
    { type: 'QRS', onset: 130, offset: 138 },
    { type: 'T', onset: 150, offset: 174 },
  ];
  it('pairs each QRS with its P and T and measures in ms', () => {
    const beats = pairBeatWaves(waves, fs);
    expect(beats.map((b) => [b.p?.onset ?? null, b.qrs.onset, b.t?.onset ?? null])).toEqual([[10, 30, 50], [110, 130, 150], [null, 250, null]]);
    const iv = wavesToIntervals(waves, fs);
    expect(iv.beats.map((b) => [b.prMs, b.pMs, b.qrsMs, b.qtMs, b.rrMs])).toEqual([
      [200, 100, 90, 450, 1000], // PR = 30 − 10; P = 19 − 10 + 1; QRS = 38 − 30 + 1; QT = 74 − 30 + 1; RR = 130 − 30 (samples)
      [200, 100, 90, 450, 1200],
      [NaN, NaN, 90, NaN, NaN],
    ]);
    // QTc: Bazett with the record's median RR (1.1 s) for every beat
    expect(iv.rrMs).toBe(1100);
    expect(iv.beats[0].qtcMs).toBeCloseTo(450 / Math.sqrt(1.1), 9);
    expect(iv.qtcMs).toBeCloseTo(450 / Math.sqrt(1.1), 9);
    expect(iv.qtMs).toBe(450);
    expect(iv.heartRateBpm).toBeCloseTo(60000 / 1100, 9);
  });
  it('does not pair a P wave further than MAX_PR_SEC before the QRS, nor a T after the next QRS', () => {
    const far = Math.round((MAX_PR_SEC + 0.05) * fs);
    const beats = pairBeatWaves([{ type: 'P', onset: 300 - far, offset: 300 - far + 8 }, { type: 'QRS', onset: 300, offset: 308 }, { type: 'QRS', onset: 360, offset: 368 }, { type: 'T', onset: 362, offset: 390 }], fs);
    expect(beats[0].p).toBeUndefined();
    expect(beats[0].t).toBeUndefined();
  });
  it('rejects malformed waves with the function name', () => {
    expect(() => wavesToIntervals([{ type: 'QRS', onset: 5, offset: 2 }], 100)).toThrow('Error in wavesToIntervals: waves[0] must be a wave with finite onset ≤ offset (samples), but got');
    expect(() => pairBeatWaves([{ type: 'U' as 'P', onset: 1, offset: 2 }], 100)).toThrow("Error in pairBeatWaves: waves[0].type must be 'P', 'QRS' or 'T', but got \"U\".");
    expect(() => wavesToIntervals([], 0)).toThrow(/Error in wavesToIntervals: fs must be/);
  });
});

describe('the same intervals in features and in segmentation output', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  it('ecgFeatures reports exactly wavesToIntervals of its waves (LUDB 1, rule-based delineation)', async () => {
    const rec = await readRecord(LUDB1);
    const peaks = detectRPeaks(rec.signals, rec.fs);
    const waves = delineateBeats(rec.signals, rec.fs, peaks);
    const f = ecgFeatures(rec, peaks, waves);
    const iv = wavesToIntervals(waves, rec.fs);
    expect(Number.isFinite(iv.qtMs)).toBe(true);
    expect([feature(f, 'qt_ms'), feature(f, 'qtc_ms'), feature(f, 'qrs_ms'), feature(f, 'pr_ms'), feature(f, 'p_ms')]).toEqual([iv.qtMs, iv.qtcMs, iv.qrsMs, iv.prMs, iv.pMs]);
  });
  it.skipIf(!existsSync(SHIPPED))('segmentRecord reports the QT that ecgFeatures measures on the same waves (shipped weights)', async () => {
    const rec = await readRecord(LUDB1);
    const seg = await segmentRecord(rec);
    const f = ecgFeatures(rec, detectRPeaks(rec.signals, rec.fs), seg.waves);
    expect(seg.intervals.qtMs).toBeGreaterThan(300);
    expect(feature(f, 'qt_ms')).toBe(seg.intervals.qtMs);
    expect(feature(f, 'qtc_ms')).toBe(seg.intervals.qtcMs);
    expect(feature(f, 'qrs_ms')).toBe(seg.intervals.qrsMs);
    expect(seg.intervals).toEqual(wavesToIntervals(seg.waves, rec.fs));
  });
});
