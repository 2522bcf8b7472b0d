import { describe, expect, it } from 'vitest';
import {
  bandpass,
  butterSos,
  highpass,
  interpolateNaN,
  lowpass,
  notch,
  notchSos,
  removeBaselineWander,
  sosfilt,
  sosfiltfilt,
  sosfiltZi,
} from '../../src/signal';
import { type DesignFixture, loadJson, maxAbsDiff, physical, RECORDS, type RecordFixture } from './scipyFixtures';

// Tolerances: designs are compared coefficient by coefficient (SciPy and ours both run in float64;
// observed differences are at rounding level, asserted < 1e-12). Filter outputs are stored rounded
// to 1e-7 mV, so ours must agree within 1e-6 mV (observed ≤ 5e-8 + rounding).
const SOS_TOL = 1e-12;
const OUT_TOL = 1e-6;

describe('butterSos / notchSos vs SciPy butter(output="sos") / iirnotch', () => {
  const fx = loadJson<DesignFixture>('butter.json');
  for (const c of fx.butter) {
    it(`${c.type} order ${c.order} at ${JSON.stringify(c.cutoffHz)} Hz, fs ${c.fs}`, () => {
      const sos = butterSos(c.order, c.cutoffHz, c.type, c.fs);
      expect(sos.length).toBe(c.sos.length);
      let err = 0;
      sos.forEach((row, i) => row.forEach((v, j) => (err = Math.max(err, Math.abs(v - c.sos[i]![j]!)))));
      expect(err).toBeLessThan(SOS_TOL);
      const zi = sosfiltZi(sos);
      let zerr = 0;
      zi.forEach((row, i) => row.forEach((v, j) => (zerr = Math.max(zerr, Math.abs(v - c.zi[i]![j]!)))));
      expect(zerr).toBeLessThan(1e-9);
    });
  }
  for (const c of fx.notch) {
    it(`notch ${c.freqHz} Hz Q ${c.q} fs ${c.fs}`, () => {
      const [row] = notchSos(c.freqHz, c.q, c.fs);
      expect(maxAbsDiff(row!, [...c.b, ...c.a])).toBeLessThan(SOS_TOL);
    });
  }
});

describe.each(RECORDS)('filter outputs vs SciPy on a real record (%s)', (file) => {
  const rec = loadJson<RecordFixture>(file);
  const x = physical(rec);
  for (const [name, c] of Object.entries(rec.filters)) {
    it(`${name}: max |ours − SciPy| < ${OUT_TOL} mV`, () => {
      const sos = butterSos(c.order, c.cutoffHz, c.type, rec.fs);
      const y = c.zeroPhase ? sosfiltfilt(sos, x) : sosfilt(sos, x);
      expect(y).toBeInstanceOf(Float64Array);
      expect(maxAbsDiff(y, c.y)).toBeLessThan(OUT_TOL);
      // The convenience wrappers give the same numbers.
      const opts = { order: c.order, zeroPhase: c.zeroPhase };
      const z =
        c.type === 'bandpass'
          ? bandpass(x, rec.fs, (c.cutoffHz as number[])[0]!, (c.cutoffHz as number[])[1]!, opts)
          : c.type === 'highpass'
            ? highpass(x, rec.fs, c.cutoffHz as number, opts)
            : lowpass(x, rec.fs, c.cutoffHz as number, opts);
      expect(maxAbsDiff(z, c.y)).toBeLessThan(OUT_TOL);
    });
  }
  it('notch (iirnotch + sosfiltfilt)', () => {
    const y = notch(x, rec.fs, rec.notch.freqHz, { q: rec.notch.q });
    expect(maxAbsDiff(y, rec.notch.y)).toBeLessThan(OUT_TOL);
  });
  it('median baseline removal vs scipy.ndimage.median_filter(mode="nearest") twice', () => {
    const y = removeBaselineWander(x, rec.fs, { method: 'median' });
    expect(maxAbsDiff(y, rec.medianBaseline.y)).toBeLessThan(OUT_TOL);
  });
  it('Float32Array in → Float32Array out, same values to float32 precision', () => {
    const y32 = bandpass(Float32Array.from(x), rec.fs, 0.5, 40);
    expect(y32).toBeInstanceOf(Float32Array);
    expect(maxAbsDiff(y32, rec.filters.bandpass_sosfiltfilt!.y)).toBeLessThan(1e-5);
  });
});

describe('filter behaviour', () => {
  const fs = 500;
  const n = 5000;
  const sine = (f: number, amp = 1) => Float64Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / fs));
  const rms = (v: ArrayLike<number>, from = 500, to = n - 500) => {
    let s = 0;
    for (let i = from; i < to; i++) s += v[i]! ** 2;
    return Math.sqrt(s / (to - from));
  };
  it('band-pass keeps 10 Hz and removes 0.05 Hz drift and 100 Hz', () => {
    expect(rms(bandpass(sine(10), fs, 0.5, 40)) / rms(sine(10))).toBeGreaterThan(0.99);
    // order 2 (2 poles per edge), squared by zero-phase filtering: about (40/100)^4 at 100 Hz
    // (mid-signal: the odd-extension start-up transient of the 0.5 Hz edge decays slowly)
    expect(rms(bandpass(sine(100), fs, 0.5, 40), 2000, 3000) / rms(sine(100), 2000, 3000)).toBeLessThan(0.02);
    expect(rms(highpass(sine(0.05), fs, 0.5)) / rms(sine(0.05))).toBeLessThan(0.01);
  });
  it('notch removes 50 Hz and keeps 10 Hz', () => {
    expect(rms(notch(sine(50), fs, 50)) / rms(sine(50))).toBeLessThan(0.01);
    expect(rms(notch(sine(10), fs, 50)) / rms(sine(10))).toBeGreaterThan(0.99);
  });
  it('baseline wander removal (both methods) removes a slow drift on an ECG-like signal', () => {
    const drift = Float64Array.from({ length: n }, (_, i) => 0.8 * Math.sin((2 * Math.PI * 0.2 * i) / fs) + 0.5);
    for (const method of ['highpass', 'median'] as const) {
      const y = removeBaselineWander(drift, fs, { method });
      expect(rms(y)).toBeLessThan(method === 'median' ? 0.02 : 0.1);
    }
  });
  it('zero-phase filtering does not shift a pulse; causal filtering delays it', () => {
    const x = new Float64Array(2000);
    x[1000] = 1;
    const argmax = (v: ArrayLike<number>) => {
      let k = 0;
      for (let i = 1; i < v.length; i++) if (v[i]! > v[k]!) k = i;
      return k;
    };
    expect(argmax(lowpass(x, fs, 20))).toBe(1000);
    expect(argmax(lowpass(x, fs, 20, { zeroPhase: false }))).toBeGreaterThan(1005);
  });
  it('inputs are not modified and outputs are new arrays', () => {
    const x = sine(10);
    const copy = x.slice();
    const y = bandpass(x, fs, 0.5, 40);
    expect(y).not.toBe(x);
    expect(x).toEqual(copy);
  });
  it('short signals: zero-phase wrappers shrink the pad; sosfiltfilt follows SciPy and throws', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5]);
    expect(lowpass(x, fs, 40).length).toBe(5);
    expect(() => sosfiltfilt(butterSos(4, 40, 'lowpass', fs), x)).toThrow(/longer than padLen = 15/);
    expect(sosfiltfilt(butterSos(4, 40, 'lowpass', fs), x, { padLen: 2 }).length).toBe(5);
  });
});

describe('validation and NaN policy', () => {
  const x = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10));
  it('requires fs', () => {
    expect(() => bandpass(x, undefined as unknown as number, 0.5, 40)).toThrow('Error in bandpass: fs must be a finite positive number (Hz), but got undefined.');
    expect(() => lowpass(x, -5, 1)).toThrow(/fs must be a finite positive number/);
  });
  it('rejects cutoffs at or above Nyquist and bad orders', () => {
    expect(() => lowpass(x, 100, 50)).toThrow('Error in lowpass: cutoffHz must be below the Nyquist frequency fs/2 = 50 Hz, but got 50.');
    expect(() => bandpass(x, 500, 40, 0.5)).toThrow(/highHz must be greater than lowHz/);
    expect(() => highpass(x, 500, 1, { order: 0 })).toThrow(/options.order must be an integer in \[1, 16\]/);
    expect(() => butterSos(2, 10, 'bandpass', 500)).toThrow(/cutoffHz must be \[lowHz, highHz\]/);
    expect(() => butterSos(2, 10, 'band' as never, 500)).toThrow(/type must be one of 'lowpass'/);
    expect(() => notch(x, 500, 50, { q: 0 })).toThrow(/options.q must be a finite positive number/);
  });
  it('throws on NaN naming the index, or interpolates on request', () => {
    const y = x.slice();
    y[123] = NaN;
    expect(() => bandpass(y, 500, 0.5, 40)).toThrow(/x must be finite samples .* but got "NaN at index 123"/);
    expect(() => sosfilt(butterSos(2, 10, 'lowpass', 500), y)).toThrow(/NaN at index 123/);
    const z = bandpass(y, 500, 0.5, 40, { nan: 'interpolate' });
    expect(z.every(Number.isFinite)).toBe(true);
  });
  it('rejects non-typed-array input and malformed SOS', () => {
    expect(() => lowpass([1, 2, 3] as unknown as Float64Array, 500, 40)).toThrow(/x must be a Float32Array or Float64Array/);
    expect(() => sosfilt([[1, 2, 3]], x)).toThrow(/sos\[0\] must be a row of 6 numbers/);
    expect(() => sosfilt([[1, 0, 0, 0, 0, 0]], x)).toThrow(/sos\[0\]\[3\] must be a finite non-zero a0/);
  });
});

describe('interpolateNaN', () => {
  it('fills interior gaps linearly and edges with the nearest value', () => {
    expect(Array.from(interpolateNaN(Float64Array.from([NaN, 1, NaN, NaN, 4, NaN])))).toEqual([1, 1, 2, 3, 4, 4]);
    expect(interpolateNaN(Float32Array.from([1, 2]))).toBeInstanceOf(Float32Array);
    expect(() => interpolateNaN(Float64Array.from([NaN, NaN]))).toThrow(/at least one finite sample/);
  });
});
