import { describe, expect, it } from 'vitest';
import type { EcgRecord } from '../../src/core/types';
import { resample, resampleFactors, resamplePoly, resampleRecord } from '../../src/signal';
import { loadJson, maxAbsDiff, physical, RECORDS, type RecordFixture } from './scipyFixtures';

// SciPy outputs are stored rounded to 1e-7 mV; ours must agree within 1e-6 mV.
const OUT_TOL = 1e-6;

describe.each(RECORDS)('resample vs SciPy resample_poly on a real record (%s)', (file) => {
  const rec = loadJson<RecordFixture>(file);
  const x = physical(rec);
  for (const [fsOut, c] of Object.entries(rec.resample)) {
    it(`${rec.fs} → ${fsOut} Hz (up ${c.up}, down ${c.down})`, () => {
      expect(resampleFactors(rec.fs, Number(fsOut))).toEqual({ up: c.up, down: c.down });
      const y = resample(x, rec.fs, Number(fsOut));
      expect(y.length).toBe(Math.ceil((x.length * c.up) / c.down));
      expect(maxAbsDiff(y, c.y)).toBeLessThan(OUT_TOL);
      expect(maxAbsDiff(resamplePoly(x, c.up * 3, c.down * 3), c.y)).toBeLessThan(OUT_TOL);
    });
  }
});

describe('resample behaviour', () => {
  it('computes reduced factors, including non-integer rates', () => {
    expect(resampleFactors(500, 100)).toEqual({ up: 1, down: 5 });
    expect(resampleFactors(360, 250)).toEqual({ up: 25, down: 36 });
    expect(resampleFactors(100, 500)).toEqual({ up: 5, down: 1 });
    expect(resampleFactors(128, 100.5)).toEqual({ up: 201, down: 256 });
    expect(() => resampleFactors(1, Math.PI)).toThrow(/rational ratio/);
  });
  it('keeps an in-band sine and removes an out-of-band one (anti-aliasing) when going 500 → 100 Hz', () => {
    const n = 5000;
    const inBand = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 5 * i) / 500));
    const alias = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 80 * i) / 500));
    const y = resample(inBand, 500, 100);
    expect(y.length).toBe(1000);
    let err = 0;
    for (let i = 100; i < 900; i++) err = Math.max(err, Math.abs(y[i]! - Math.sin((2 * Math.PI * 5 * i) / 100)));
    expect(err).toBeLessThan(3e-3); // Kaiser β = 5 pass-band ripple
    const z = resample(alias, 500, 100);
    let peak = 0;
    for (let i = 100; i < 900; i++) peak = Math.max(peak, Math.abs(z[i]!));
    expect(peak).toBeLessThan(1e-3);
  });
  it('identity rate copies; Float32 stays Float32; the input is untouched', () => {
    const x = Float32Array.from([1, 2, 3]);
    const y = resample(x, 250, 250);
    expect(y).toBeInstanceOf(Float32Array);
    expect(y).not.toBe(x);
    expect(Array.from(y)).toEqual([1, 2, 3]);
    expect(resample(Float32Array.from({ length: 100 }, () => 1), 100, 300)).toBeInstanceOf(Float32Array);
  });
  it("padType 'mean' avoids edge droop on an offset signal", () => {
    const x = new Float64Array(1000).fill(2);
    const c = resample(x, 500, 100);
    const m = resample(x, 500, 100, { padType: 'mean' });
    expect(Math.abs(c[0]! - 2)).toBeGreaterThan(0.1);
    expect(maxAbsDiff(m, new Float64Array(200).fill(2))).toBeLessThan(1e-12);
  });
  it('validates rates, factors and NaN', () => {
    const x = new Float64Array(10);
    expect(() => resample(x, 0, 100)).toThrow('Error in resample: fsIn must be a finite positive number (Hz), but got 0.');
    expect(() => resample(x, 500, undefined as unknown as number)).toThrow(/fsOut must be a finite positive number/);
    expect(() => resamplePoly(x, 1.5, 2)).toThrow(/up must be an integer ≥ 1/);
    x[3] = NaN;
    expect(() => resample(x, 500, 100)).toThrow(/NaN at index 3/);
  });
  it('resampleRecord resamples every lead and sets fs', () => {
    const rec: EcgRecord = {
      name: 'r',
      fs: 360,
      leads: ['MLII', 'V5'],
      units: ['mV', 'mV'],
      comments: [],
      signals: [new Float32Array(720).fill(1), new Float32Array(720).fill(-1)],
    };
    const out = resampleRecord(rec, 250);
    expect(out.fs).toBe(250);
    expect(out.signals.map((s) => s.length)).toEqual([500, 500]);
    expect(out.signals[0]).toBeInstanceOf(Float32Array);
    expect(rec.fs).toBe(360);
    rec.signals[1]![5] = NaN;
    expect(() => resampleRecord(rec, 250)).toThrow(/record.signals\[1\] \(V5\) must be finite samples/);
  });
});
