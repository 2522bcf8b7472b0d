// HRV: frequency domain against SciPy on real MIT-BIH RR series (fixture from
// scripts/hrv-reference.py: reference beat annotations decoded with numpy, NN series resampled at
// 4 Hz with scipy.interpolate.CubicSpline(natural) / numpy.interp, scipy.signal.welch), a synthetic
// series with known LF/HF power, time domain against direct formulas, and the errors.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hrvFrequency, hrvTime, ecgFeatures, ECG_FEATURE_NAMES } from 'beat-ssl/beats';
import { BeatSslError } from 'beat-ssl/core';

interface RefCase {
  record: string;
  fs: number;
  interpolation: 'cubic' | 'linear';
  peaks: number[];
  scipy: { vlfMs2: number | null; lfMs2: number; hfMs2: number; totalMs2: number; lfHf: number; durationSec: number; segmentSec: number; psdHead: number[]; nBins: number };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/beats/hrv-mitdb.json', import.meta.url), 'utf8')) as { scipy: string; cases: RefCase[] };

/** |a - b| ≤ rel · |b| + abs. */
const close = (a: number, b: number, rel: number, abs = 0) => Math.abs(a - b) <= rel * Math.abs(b) + abs;

describe('hrvFrequency vs SciPy (MIT-BIH reference annotations, runs of normal beats)', () => {
  // Same algorithm in float64 on both sides (spline solve, FFT vs pocketfft): agreement to
  // 1e-9 relative on band powers and PSD bins; asserted at 1e-7.
  const REL = 1e-7;
  for (const c of fixture.cases) {
    it(`record ${c.record}, ${c.interpolation}, ${c.peaks.length} beats over ${c.scipy.durationSec.toFixed(0)} s (scipy ${fixture.scipy})`, () => {
      const r = hrvFrequency(c.peaks, c.fs, { interpolation: c.interpolation });
      const s = c.scipy;
      expect(r.durationSec).toBeCloseTo(s.durationSec, 9);
      expect(r.segmentSec).toBe(s.segmentSec);
      expect(r.psd.frequencyHz.length).toBe(s.nBins);
      for (let k = 0; k < s.psdHead.length; k++) expect(close(r.psd.densityMs2PerHz[k], s.psdHead[k], REL, 1e-9), `PSD bin ${k}: ${r.psd.densityMs2PerHz[k]} vs ${s.psdHead[k]}`).toBe(true);
      expect(close(r.lfMs2, s.lfMs2, REL), `LF ${r.lfMs2} vs ${s.lfMs2}`).toBe(true);
      expect(close(r.hfMs2, s.hfMs2, REL), `HF ${r.hfMs2} vs ${s.hfMs2}`).toBe(true);
      expect(close(r.totalMs2, s.totalMs2, REL)).toBe(true);
      expect(close(r.lfHf, s.lfHf, REL)).toBe(true);
      if (s.vlfMs2 === null) expect(r.vlfMs2).toBeNaN();
      else expect(close(r.vlfMs2, s.vlfMs2, REL), `VLF ${r.vlfMs2} vs ${s.vlfMs2}`).toBe(true);
      expect(r.lfNu + r.hfNu).toBeCloseTo(100, 9);
    });
  }
});

describe('hrvFrequency on a synthetic NN series with known spectrum', () => {
  // NN(t) = 800 + 30 sin(2π·0.1 t) + 20 sin(2π·0.25 t) ms: LF power 30²/2 = 450 ms², HF 20²/2 = 200 ms².
  const fs = 1000;
  const peaks: number[] = [];
  let t = 0;
  while (t < 600) {
    peaks.push(Math.round(t * fs));
    t += (800 + 30 * Math.sin(2 * Math.PI * 0.1 * t) + 20 * Math.sin(2 * Math.PI * 0.25 * t)) / 1000;
  }
  it('finds the peaks at 0.1 and 0.25 Hz and the band powers within 5 %', () => {
    const r = hrvFrequency(peaks, fs);
    expect(Math.abs(r.lfPeakHz - 0.1)).toBeLessThanOrEqual(1 / 256);
    expect(Math.abs(r.hfPeakHz - 0.25)).toBeLessThanOrEqual(1 / 256);
    expect(r.lfMs2 / 450).toBeGreaterThan(0.95);
    expect(r.lfMs2 / 450).toBeLessThan(1.05);
    expect(r.hfMs2 / 200).toBeGreaterThan(0.95);
    expect(r.hfMs2 / 200).toBeLessThan(1.05);
    expect(r.lfHf).toBeCloseTo(450 / 200, 0);
    expect(r.vlfMs2).toBeLessThan(5); // no VLF content
  });
});

describe('hrvTime', () => {
  it('matches the direct formulas and ecgFeatures uses the same numbers', () => {
    const peaks = [0, 400, 820, 1210, 1650, 2040];
    const rr = [400, 420, 390, 440, 390]; // ms at fs = 1000
    const mean = rr.reduce((a, b) => a + b) / rr.length;
    const t = hrvTime(peaks, 1000);
    expect(t.count).toBe(5);
    expect(t.meanNnMs).toBeCloseTo(mean, 12);
    expect(t.heartRateBpm).toBeCloseTo(60000 / mean, 9);
    expect(t.sdnnMs).toBeCloseTo(Math.sqrt(rr.reduce((a, b) => a + (b - mean) ** 2, 0) / 4), 12);
    expect(t.rmssdMs).toBeCloseTo(Math.sqrt((20 ** 2 + 30 ** 2 + 50 ** 2 + 50 ** 2) / 4), 12);
    expect(t.pnn50).toBe(0); // |Δ| > 50 ms strictly
    const rec = { name: 'x', fs: 1000, leads: ['II'], signals: [new Float32Array(2100)], units: ['mV'], comments: [] };
    const f = ecgFeatures(rec, peaks, []);
    expect(f.values[ECG_FEATURE_NAMES.indexOf('rmssd_ms')]).toBeCloseTo(t.rmssdMs, 4);
    expect(f.values[ECG_FEATURE_NAMES.indexOf('rr_sd_ms')]).toBeCloseTo(t.sdnnMs, 4);
  });
});

describe('HRV errors', () => {
  const short = Array.from({ length: 100 }, (_, i) => i * 800); // NN series of 78.4 s at fs = 1000
  it('a record shorter than 2 minutes is refused with the minimum named', () => {
    expect(() => hrvFrequency(short, 1000)).toThrow(BeatSslError);
    expect(() => hrvFrequency(short, 1000)).toThrow(/^Error in hrvFrequency: rPeaks must be R-peaks spanning at least 120 s .*but got "78\.4 s"/);
    expect(() => hrvFrequency(short, 1000, { minDurationSec: 60 })).not.toThrow();
  });
  it('bad peaks, rates and options name the argument', () => {
    expect(() => hrvFrequency([0, 10, 5], 1000)).toThrow(/Error in hrvFrequency: rPeaks\[2\] must be an increasing integer sample index/);
    expect(() => hrvFrequency(short, 0)).toThrow(/Error in hrvFrequency: fs must be a finite positive number \(Hz\)/);
    expect(() => hrvFrequency(short, 1000, { interpolation: 'spline' as 'cubic' })).toThrow(/opts\.interpolation must be 'cubic' or 'linear'/);
    expect(() => hrvFrequency(short, 1000, { minDurationSec: 60, bands: { hf: [0.15, 3] } })).toThrow(/opts\.bands\.hf must be below the Nyquist frequency/);
    expect(() => hrvTime([5], 360)).toThrow(/Error in hrvTime: rPeaks must be at least 2 R-peaks/);
  });
});
