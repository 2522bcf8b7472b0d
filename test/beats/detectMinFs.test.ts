import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readRecord } from '../../src/io/index';
import { detectRPeaks, RPEAK_MIN_FS } from '../../src/beats/detect';
import { createRPeakStream } from '../../src/beats/rpeakStream';
import { resample } from '../../src/signal/resample';

const EX = new URL('../../examples/data/', import.meta.url).pathname;

describe('detectRPeaks at and below its minimum rate', () => {
  it('at the minimum rate (50 Hz) finds the same beats as at 100 Hz, never silently nothing', async () => {
    const rec = await readRecord(join(EX, 'ptbxl/records100/00000/00001_lr'));
    const at100 = detectRPeaks(rec.signals, 100);
    const low = rec.signals.map((s) => resample(s, 100, RPEAK_MIN_FS));
    const at50 = detectRPeaks(low, RPEAK_MIN_FS);
    expect(at100.length).toBeGreaterThan(8);
    expect(at50.length).toBe(at100.length);
    // Same beats: each 50 Hz peak within 2 samples (40 ms) of the 100 Hz one.
    at50.forEach((p, i) => expect(Math.abs(p * 2 - at100[i])).toBeLessThanOrEqual(4));
  });

  it('a 2-lead MIT-BIH record at 50 Hz keeps its beats', async () => {
    const rec = await readRecord(join(EX, 'mitdb/100'));
    const n = 60 * rec.fs;
    const native = detectRPeaks(rec.signals.map((s) => s.subarray(0, n)), rec.fs);
    const low = detectRPeaks(rec.signals.map((s) => resample(s.subarray(0, n), rec.fs, 50)), 50);
    expect(Math.abs(low.length - native.length)).toBeLessThanOrEqual(1);
  });

  it('below it: an error naming the function, the minimum and the fix (offline and streaming)', () => {
    expect(() => detectRPeaks(new Float32Array(1000), 49)).toThrow(/^Error in detectRPeaks: fs must be at least 50 Hz \(.*resample the signal up first.*\), but got 49\.$/);
    expect(() => createRPeakStream(25)).toThrow(/^Error in createRPeakStream: fs must be at least 50 Hz .*but got 25\.$/);
  });
});
