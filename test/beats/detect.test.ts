import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectRPeaks } from '../../src/beats/detect';
import { createRPeakStream } from '../../src/beats/rpeakStream';
import { compareBeats } from '../../src/metrics/beats';
import { createRng } from '../../src/core/rng';
import { regularBeats, synthEcg, type SynthBeat } from './synth';

const score = (ref: number[], det: Int32Array, fs: number) => compareBeats(ref, det, fs);

function expectExact(ref: number[], det: Int32Array, tol = 1): void {
  expect(det.length).toBe(ref.length);
  ref.forEach((r, i) => expect(Math.abs(det[i] - r)).toBeLessThanOrEqual(tol));
}

describe('detectRPeaks on synthetic ECG', () => {
  for (const fs of [100, 250, 360, 500, 1000]) {
    it(`finds every beat at ${fs} Hz, refined to the R sample`, () => {
      const { signal, rPeaks } = synthEcg({ fs, durationSec: 20, beats: regularBeats(72, 20), noiseSd: 0.01 });
      expectExact(rPeaks, detectRPeaks(signal, fs), Math.max(1, Math.round(0.002 * fs)));
    });
  }

  it('refines to the extremum of negative QRS complexes', () => {
    const fs = 360;
    const { signal, rPeaks } = synthEcg({ fs, durationSec: 15, beats: regularBeats(60, 15), polarity: -1, noiseSd: 0.01 });
    const det = detectRPeaks(signal, fs);
    expectExact(rPeaks, det);
    for (const p of det) expect(signal[p]).toBeLessThan(-0.5);
  });

  it('handles a 3 s pause without false beats', () => {
    const fs = 250;
    const beats = [...regularBeats(75, 10), ...regularBeats(75, 20, 13.2)];
    const { signal, rPeaks } = synthEcg({ fs, durationSec: 20, beats, noiseSd: 0.02 });
    const r = score(rPeaks, detectRPeaks(signal, fs), fs);
    expect(r.fn + r.fp).toBe(0);
  });

  it('follows a tachycardia of 250 bpm', () => {
    const fs = 360;
    const beats = [...regularBeats(80, 6), ...regularBeats(250, 20, 6.2)];
    const { signal, rPeaks } = synthEcg({ fs, durationSec: 20, beats, noiseSd: 0.01 });
    const r = score(rPeaks, detectRPeaks(signal, fs), fs);
    expect(r.fn).toBe(0);
    expect(r.fp).toBe(0);
  });

  it('detects premature ventricular beats (bigeminy) and paced beats', () => {
    const fs = 360;
    const beats: SynthBeat[] = [];
    let t = 0.5;
    for (let i = 0; t < 29.5; i++) {
      beats.push({ t, kind: i % 2 ? 'V' : 'N' });
      t += i % 2 ? 1.1 : 0.55; // premature V, compensatory pause
    }
    const a = synthEcg({ fs, durationSec: 30, beats, noiseSd: 0.02 });
    const ra = score(a.rPeaks, detectRPeaks(a.signal, fs), fs);
    expect(ra.fn + ra.fp).toBe(0);
    const b = synthEcg({ fs, durationSec: 30, beats: regularBeats(70, 30, 0.5, 'P'), noiseSd: 0.02 });
    const rb = score(b.rPeaks, detectRPeaks(b.signal, fs), fs);
    expect(rb.fn + rb.fp).toBe(0);
  });

  it('is not disturbed by baseline wander', () => {
    const fs = 500;
    const { signal, rPeaks } = synthEcg({ fs, durationSec: 30, beats: regularBeats(66, 30), wander: 2, noiseSd: 0.02 });
    const r = score(rPeaks, detectRPeaks(signal, fs), fs);
    expect(r.fn + r.fp).toBe(0);
  });

  it('recovers after a noise burst', () => {
    const fs = 360;
    const { signal, rPeaks } = synthEcg({ fs, durationSec: 30, beats: regularBeats(70, 30), noiseSd: 0.02 });
    const rng = createRng(5);
    for (let i = 12 * fs; i < 13 * fs; i++) signal[i] += rng.normal(0, 1.5);
    const det = detectRPeaks(signal, fs);
    // outside the burst (± 1 s) every beat is found and nothing else
    const outside = (s: number) => s < 11 * fs || s > 14 * fs;
    const r = score(rPeaks.filter(outside), Int32Array.from(Array.from(det).filter(outside)), fs);
    expect(r.fn).toBe(0);
    expect(r.fp).toBe(0);
  });

  it('handles records shorter than 2 s, tiny and empty signals', () => {
    const fs = 500;
    const { signal, rPeaks } = synthEcg({ fs, durationSec: 1.6, beats: [{ t: 0.3 }, { t: 1.1 }], noiseSd: 0.01 });
    expectExact(rPeaks, detectRPeaks(signal, fs));
    expect(detectRPeaks(new Float32Array(10), fs).length).toBe(0);
    expect(detectRPeaks(new Float32Array(0), fs).length).toBe(0);
    expect(detectRPeaks(new Float32Array(5000), fs).length).toBe(0); // flat line
  });

  it('treats NaN samples as held values (documented policy)', () => {
    const fs = 360;
    const { signal, rPeaks } = synthEcg({ fs, durationSec: 20, beats: regularBeats(70, 20), noiseSd: 0.01 });
    for (let i = 8 * fs; i < 8.5 * fs; i++) signal[i] = NaN;
    signal[100] = Infinity;
    const det = detectRPeaks(signal, fs);
    for (const p of det) expect(Number.isFinite(signal[p])).toBe(true);
    const gap = (s: number) => s >= 8 * fs - 40 && s < 8.5 * fs + 40;
    const r = score(rPeaks.filter((s) => !gap(s)), Int32Array.from(Array.from(det).filter((s) => !gap(s))), fs);
    expect(r.fn + r.fp).toBe(0);
    expect(detectRPeaks(new Float32Array(3000).fill(NaN), fs).length).toBe(0);
  });

  describe('multi-lead', () => {
    const fs = 500;
    const good = synthEcg({ fs, durationSec: 30, beats: regularBeats(75, 30), noiseSd: 0.02, seed: 2 });
    const second = synthEcg({ fs, durationSec: 30, beats: regularBeats(75, 30), noiseSd: 0.02, seed: 3, polarity: -1 });
    const check = (leads: Float32Array[]) => {
      const det = detectRPeaks(leads, fs);
      const r = score(good.rPeaks, det, fs);
      expect(r.fn + r.fp).toBe(0);
      return det;
    };
    it('combines two clean leads', () => {
      check([good.signal, second.signal]);
    });
    it('ignores a flat lead and an all-NaN lead', () => {
      check([new Float32Array(good.signal.length), good.signal]);
      check([good.signal, new Float32Array(good.signal.length).fill(NaN)]);
    });
    it('survives a saturated lead', () => {
      const sat = second.signal.map((v) => Math.max(-0.05, Math.min(0.05, v * 20)));
      check([sat, good.signal]);
    });
    it('survives a very noisy lead', () => {
      const rng = createRng(9);
      const noisy = second.signal.map((v) => v + rng.normal(0, 0.8));
      check([good.signal, noisy]);
    });
    it('works with 12 leads of mixed quality', () => {
      const rng = createRng(11);
      const leads = Array.from({ length: 12 }, (_, j) => {
        if (j === 3) return new Float32Array(good.signal.length);
        if (j === 7) return good.signal.map((v) => v + rng.normal(0, 1));
        return (j % 2 ? second : good).signal.map((v) => v * (0.3 + 0.1 * j));
      });
      check(leads);
    });
  });

  it('validates its arguments', () => {
    expect(() => detectRPeaks(new Float32Array(10), 40)).toThrow(/Error in detectRPeaks: fs must be at least 50 Hz/);
    expect(() => detectRPeaks(new Float32Array(10), NaN)).toThrow(/fs must be/);
    expect(() => detectRPeaks([new Float32Array(10), new Float32Array(9)], 100)).toThrow(/signal\[1\] must be as long as signal\[0\]/);
    expect(() => detectRPeaks([1, 2, 3] as unknown as Float32Array, 100)).toThrow(/must be a Float32Array or Float64Array/);
    expect(() => detectRPeaks([], 100)).toThrow(/non-empty array/);
    expect(() => detectRPeaks(new Float32Array(10), 100, { refractorySec: 5 })).toThrow(/opts.refractorySec must be a number in/);
  });
});

describe('createRPeakStream', () => {
  it('gives exactly the offline peaks for any chunking', () => {
    const fs = 250;
    const beats = [...regularBeats(70, 15), { t: 15.3, kind: 'V' as const }, ...regularBeats(90, 40, 16.5)];
    const { signal } = synthEcg({ fs, durationSec: 40, beats, noiseSd: 0.05, wander: 0.5 });
    const offline = Array.from(detectRPeaks(signal, fs));
    const rng = createRng(3);
    for (const maxChunk of [1, 17, 250, 5000]) {
      const s = createRPeakStream(fs);
      const got: number[] = [];
      for (let i = 0; i < signal.length; ) {
        const len = Math.min(signal.length - i, 1 + rng.int(maxChunk));
        got.push(...s.push(signal.subarray(i, i + len)));
        i += len;
      }
      got.push(...s.flush());
      expect(got).toEqual(offline);
      expect(s.samples).toBe(signal.length);
    }
  });

  it('reports beats within its latency after the learning span', () => {
    const fs = 360;
    const { signal, rPeaks } = synthEcg({ fs, durationSec: 30, beats: regularBeats(75, 30), noiseSd: 0.02 });
    const s = createRPeakStream(fs);
    expect(s.latencySec).toBeLessThanOrEqual(0.41);
    const lateness: number[] = [];
    for (let i = 0; i < signal.length; i += 9) {
      for (const p of s.push(signal.subarray(i, i + 9))) if (p > 2.5 * fs) lateness.push((i + 9 - p) / fs);
    }
    s.flush();
    expect(lateness.length).toBeGreaterThan(rPeaks.length - 5);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(s.latencySec + 9 / fs);
  });

  it('rejects a changing lead count, pushes after flush, and bad rates', () => {
    const s = createRPeakStream(100);
    s.push([new Float32Array(10), new Float32Array(10)]);
    expect(() => s.push(new Float32Array(10))).toThrow(/Error in RPeakStream.push: chunk must be 2 lead\(s\)/);
    s.flush();
    expect(() => s.push([new Float32Array(10), new Float32Array(10)])).toThrow(/flush\(\) was already called/);
    expect(s.flush().length).toBe(0);
    expect(() => createRPeakStream(0)).toThrow(/Error in createRPeakStream: fs must be/);
  });
});

const sample = 'examples/data/mitdb/100';
if (!existsSync(`${sample}.dat`)) console.warn('skipped: examples/data/mitdb/100 absent');
describe.skipIf(!existsSync(`${sample}.dat`))('MIT-BIH record 100 (embedded sample)', () => {
  it('detects ≥ 99.7% of beats with ≥ 99.7% +P, stream = offline', async () => {
    const { readRecord, readAnnotations } = await import('../../src/io/index');
    const { beatAnnotationSamples } = await import('../../src/metrics/beats');
    const rec = await readRecord(sample);
    const ref = beatAnnotationSamples(await readAnnotations(`${sample}.atr`));
    for (const leads of [rec.signals[0], rec.signals]) {
      const det = detectRPeaks(leads, rec.fs);
      const r = compareBeats(ref, det, rec.fs, { startSec: 300 });
      expect(r.se).toBeGreaterThanOrEqual(0.997);
      expect(r.ppv).toBeGreaterThanOrEqual(0.997);
      const s = createRPeakStream(rec.fs);
      const got: number[] = [];
      const chunk = 3600;
      const arr = Array.isArray(leads) ? leads : [leads];
      for (let i = 0; i < arr[0].length; i += chunk) got.push(...s.push(arr.map((l) => l.subarray(i, i + chunk))));
      got.push(...s.flush());
      expect(got).toEqual(Array.from(det));
    }
  });
});
