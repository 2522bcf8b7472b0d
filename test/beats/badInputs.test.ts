import { describe, expect, it } from 'vitest';
import { beatWindows } from '../../src/beats/windows';
import { beatFeatures } from '../../src/beats/beatFeatures';
import { classifyBeats } from '../../src/beats/classify';
import { delineateBeats } from '../../src/beats/delineate';
import { ecgFeatures } from '../../src/beats/ecgFeatures';
import type { EcgRecord } from '../../src/core/types';

const LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
const record: EcgRecord = { name: 'flat', fs: 500, leads: LEADS, signals: LEADS.map(() => new Float32Array(1000)), units: LEADS.map(() => 'mV') } as EcgRecord;

describe('beat functions validate R-peaks the same way', () => {
  it('ecgFeatures rejects peaks outside the record or out of order (it used to return NaN features)', () => {
    expect(() => ecgFeatures(record, [99999], [])).toThrow(/Error in ecgFeatures: rPeaks\[0\] must be an increasing integer sample index in \[0, 999\], but got 99999\./);
    expect(() => ecgFeatures(record, [NaN, 500], [])).toThrow(/rPeaks\[0\] must be an increasing integer sample index/);
    expect(() => ecgFeatures(record, [600, 500], [])).toThrow(/rPeaks\[1\] must be/);
    const f = ecgFeatures(record, Int32Array.from([100, 600]), []);
    expect(f.values.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('a missing peak list is a BeatSslError, not a TypeError', () => {
    const x = new Float64Array(1000);
    for (const call of [
      () => beatFeatures(x, 500, null as unknown as number[]),
      () => classifyBeats(x, 500, undefined as unknown as number[]),
      () => delineateBeats(x, 500, 5 as unknown as number[]),
      () => beatWindows(x, 500, null as unknown as number[]),
    ]) {
      expect(call).toThrow(/rPeaks must be an array or typed array of R-peak sample indices/);
    }
  });
});
