/**
 * Heart-rate variability from R-peaks: time domain (mean NN, SDNN, RMSSD, pNN50) and frequency
 * domain (VLF, LF, HF, total power, LF/HF, normalised units).
 *
 * Frequency-domain method (the Task Force 1996 bands, Kubios-style estimation):
 * 1. NN intervals (ms) from consecutive R-peaks, each placed at the time of its second beat;
 * 2. resampled on an even grid at `resampleHz` (4 Hz) from the first to the last interval time by a
 *    natural cubic spline (or linear interpolation);
 * 3. Welch's method: periodic Hann windows of `segmentSec` (256 s; the whole series when shorter),
 *    50 % overlap, each segment's mean removed, one-sided PSD in ms²/Hz (SciPy's
 *    `signal.welch(..., window='hann', detrend='constant', scaling='density')`);
 * 4. band powers (ms²) = Σ PSD(f)·Δf over the bins with lo ≤ f < hi: VLF 0.0033–0.04 Hz,
 *    LF 0.04–0.15 Hz, HF 0.15–0.4 Hz, total 0.0033–0.4 Hz.
 *
 * Checked against SciPy on MIT-BIH RR series (scripts/hrv-reference.py, test/beats/hrv.test.ts).
 * Pass normal-to-normal beats: remove ectopic beats first (e.g. with `classifyBeats`), since one
 * premature beat adds broadband power.
 * @module
 */
import { check, checkFs, checkPositive, fail } from '../core/errors';
import { checkPeaks } from './_internal/rpeakOptions';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Time-domain HRV of {@link hrvTime} (ms unless stated). */
export interface HrvTime {
  /** Number of NN intervals. */
  count: number;
  /** Mean NN interval (ms). */
  meanNnMs: number;
  /** Mean heart rate (beats/min) = 60000 / mean NN. */
  heartRateBpm: number;
  /** SD of the NN intervals (ms, n − 1 denominator); NaN with fewer than 2 intervals. */
  sdnnMs: number;
  /** Root mean square of successive differences (ms); NaN with fewer than 2 intervals. */
  rmssdMs: number;
  /** Fraction (0–1) of successive differences larger than 50 ms; NaN with fewer than 2 intervals. */
  pnn50: number;
}

/**
 * Time-domain HRV from R-peak sample indices.
 * @param rPeaks increasing R-peak sample indices (normal beats), at `fs`; at least 2
 * @param fs sampling rate of the indices (Hz)
 * @returns {@link HrvTime}: mean NN, heart rate, SDNN, RMSSD (ms) and pNN50 (fraction)
 * @throws BeatSslError if `fs` is not positive or `rPeaks` are not at least 2 increasing integer indices
 * @example
 * ```ts
 * const t = hrvTime(detectRPeaks(rec.signals, rec.fs), rec.fs);
 * t.rmssdMs; // e.g. 34.2
 * ```
 */
export function hrvTime(rPeaks: ArrayLike<number>, fs: number): HrvTime {
  const fn = 'hrvTime';
  checkFs(fs, fn);
  const p = checkPeaks(fn, rPeaks, Number.POSITIVE_INFINITY);
  check(p.length >= 2, fn, 'rPeaks', 'at least 2 R-peaks (one NN interval)', rPeaks);
  return timeDomain(nnIntervalsMs(p, fs));
}

/** Time-domain statistics of NN intervals (ms). */
function timeDomain(rr: readonly number[]): HrvTime {
  const n = rr.length;
  const mean = rr.reduce((a, b) => a + b, 0) / n;
  const out: HrvTime = { count: n, meanNnMs: mean, heartRateBpm: 60000 / mean, sdnnMs: NaN, rmssdMs: NaN, pnn50: NaN };
  if (n >= 2) {
    out.sdnnMs = Math.sqrt(rr.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const d = rr.slice(1).map((v, i) => v - rr[i]!);
    out.rmssdMs = Math.sqrt(d.reduce((a, b) => a + b * b, 0) / d.length);
    out.pnn50 = d.filter((x) => Math.abs(x) > 50).length / d.length;
  }
  return out;
}

function nnIntervalsMs(p: ArrayLike<number>, fs: number): number[] {
  const rr: number[] = [];
  for (let i = 1; i < p.length; i++) rr.push(((p[i]! - p[i - 1]!) / fs) * 1000);
  return rr;
}

/** A frequency band `[lo, hi)` in Hz. */
export type HrvBand = readonly [number, number];

/** Options of {@link hrvFrequency}. */
export interface HrvFrequencyOptions {
  /** Rate of the evenly resampled NN series (Hz). Default 4. */
  resampleHz?: number;
  /** Interpolation of the NN series: natural cubic spline (default) or linear. */
  interpolation?: 'cubic' | 'linear';
  /** Welch segment length (s). Default 256; the whole series when it is shorter. */
  segmentSec?: number;
  /** Band edges (Hz). Defaults: VLF [0.0033, 0.04), LF [0.04, 0.15), HF [0.15, 0.4). */
  bands?: { vlf?: HrvBand; lf?: HrvBand; hf?: HrvBand };
  /** Shortest NN series accepted (s, first to last interval time). Default 120 (LF needs ≥ 2 min). */
  minDurationSec?: number;
}
const HRV_FREQUENCY_KEYS = optionKeys<HrvFrequencyOptions>()('resampleHz', 'interpolation', 'segmentSec', 'bands', 'minDurationSec');

/** Frequency-domain HRV of {@link hrvFrequency}: powers in ms², frequencies in Hz. */
export interface HrvFrequency {
  /** Very-low-frequency power (ms²); NaN when the series is shorter than 300 s (not estimable). */
  vlfMs2: number;
  /** Low-frequency power (ms²). */
  lfMs2: number;
  /** High-frequency power (ms²). */
  hfMs2: number;
  /** Total power (ms²) from the VLF lower edge to the HF upper edge. */
  totalMs2: number;
  /** LF / HF. */
  lfHf: number;
  /** LF in normalised units: 100 · LF / (LF + HF). */
  lfNu: number;
  /** HF in normalised units: 100 · HF / (LF + HF). */
  hfNu: number;
  /** Frequency of the largest PSD bin in LF (Hz). */
  lfPeakHz: number;
  /** Frequency of the largest PSD bin in HF (Hz). */
  hfPeakHz: number;
  /** The Welch PSD of the NN series: frequencies (Hz) and density (ms²/Hz). */
  psd: { frequencyHz: Float64Array; densityMs2PerHz: Float64Array };
  /** Length of the analysed NN series (s): first to last interval time. */
  durationSec: number;
  /** Welch segment actually used (s): `segmentSec`, or the whole series when shorter. */
  segmentSec: number;
}

const DEFAULT_BANDS = { vlf: [0.0033, 0.04] as HrvBand, lf: [0.04, 0.15] as HrvBand, hf: [0.15, 0.4] as HrvBand };
/** Shortest series for which VLF is reported (s): 5 min, the Task Force's short-term recording. */
const VLF_MIN_SEC = 300;

/**
 * Frequency-domain HRV (VLF, LF, HF, total power, LF/HF) from R-peaks, by cubic-spline resampling
 * of the NN series at 4 Hz and Welch's method (see the module summary for every step).
 * @param rPeaks increasing R-peak sample indices of normal beats, at `fs`
 * @param fs sampling rate of the indices (Hz)
 * @param opts see {@link HrvFrequencyOptions}
 * @returns {@link HrvFrequency}: band powers in ms², LF/HF, normalised units, peaks (Hz), the PSD
 * @throws BeatSslError if `fs` or an option is invalid, `rPeaks` are not increasing integer indices,
 *   or the NN series is shorter than `minDurationSec` (default 120 s: record at least 2 minutes)
 * @example
 * ```ts
 * const rec = await readRecord('examples/data/mitdb/100');
 * const f = hrvFrequency(detectRPeaks(rec.signals, rec.fs), rec.fs);
 * f.lfMs2; f.hfMs2; f.lfHf; // ms², ms², ratio
 * ```
 */
export function hrvFrequency(rPeaks: ArrayLike<number>, fs: number, opts: HrvFrequencyOptions = {}): HrvFrequency {
  const fn = 'hrvFrequency';
  checkFs(fs, fn);
  opts = checkOptions(opts, HRV_FREQUENCY_KEYS, fn);
  if (opts.bands !== undefined) checkOptions(opts.bands, ['vlf', 'lf', 'hf'], fn, 'opts.bands');
  const rate = checkPositive(opts.resampleHz ?? 4, fn, 'opts.resampleHz', 'Hz');
  const interpolation = opts.interpolation ?? 'cubic';
  if (interpolation !== 'cubic' && interpolation !== 'linear') fail(fn, 'opts.interpolation', "'cubic' or 'linear'", interpolation);
  const segSec = checkPositive(opts.segmentSec ?? 256, fn, 'opts.segmentSec', 's');
  const minSec = opts.minDurationSec ?? 120;
  check(typeof minSec === 'number' && minSec >= 0, fn, 'opts.minDurationSec', 'a number ≥ 0 (s)', minSec);
  const bands = { ...DEFAULT_BANDS, ...(opts.bands ?? {}) };
  for (const [k, b] of Object.entries(bands)) {
    check(Array.isArray(b) && b.length === 2 && b[0]! >= 0 && b[1]! > b[0]!, fn, `opts.bands.${k}`, 'a [lo, hi] pair with 0 ≤ lo < hi (Hz)', b);
    check(b[1]! <= rate / 2, fn, `opts.bands.${k}`, `below the Nyquist frequency of the resampled series (${rate / 2} Hz)`, b);
  }
  const p = checkPeaks(fn, rPeaks, Number.POSITIVE_INFINITY);
  check(p.length >= 3, fn, 'rPeaks', 'at least 3 R-peaks', rPeaks);
  const rr = nnIntervalsMs(p, fs);
  const t = Array.from({ length: rr.length }, (_, i) => p[i + 1]! / fs);
  const durationSec = t[t.length - 1]! - t[0]!;
  if (durationSec < minSec) {
    fail(fn, 'rPeaks', `R-peaks spanning at least ${minSec} s (LF power needs a record of ≥ 2 min; set opts.minDurationSec to change)`, `${durationSec.toFixed(1)} s`);
  }
  const n = Math.floor(durationSec * rate) + 1;
  const grid = new Float64Array(n);
  for (let k = 0; k < n; k++) grid[k] = t[0]! + k / rate;
  const series = interpolation === 'cubic' ? naturalCubicSpline(t, rr, grid) : linearInterp(t, rr, grid);
  const nperseg = Math.min(n, Math.round(segSec * rate));
  const { frequency, density } = welch(series, rate, nperseg);
  const df = rate / nperseg;
  const power = (b: HrvBand) => {
    let s = 0;
    for (let k = 0; k < frequency.length; k++) if (frequency[k]! >= b[0] && frequency[k]! < b[1]) s += density[k]! * df;
    return s;
  };
  const peak = (b: HrvBand) => {
    let best = NaN;
    let bestP = -Infinity;
    for (let k = 0; k < frequency.length; k++) if (frequency[k]! >= b[0] && frequency[k]! < b[1] && density[k]! > bestP) [best, bestP] = [frequency[k]!, density[k]!];
    return best;
  };
  const lf = power(bands.lf);
  const hf = power(bands.hf);
  return {
    vlfMs2: durationSec >= VLF_MIN_SEC ? power(bands.vlf) : NaN,
    lfMs2: lf,
    hfMs2: hf,
    totalMs2: power([bands.vlf[0], bands.hf[1]]),
    lfHf: lf / hf,
    lfNu: (100 * lf) / (lf + hf),
    hfNu: (100 * hf) / (lf + hf),
    lfPeakHz: peak(bands.lf),
    hfPeakHz: peak(bands.hf),
    psd: { frequencyHz: frequency, densityMs2PerHz: density },
    durationSec,
    segmentSec: nperseg / rate,
  };
}

/** Linear interpolation of (x, y) at `at` (x increasing; `at` inside [x0, xn]). */
function linearInterp(x: readonly number[], y: readonly number[], at: Float64Array): Float64Array {
  const out = new Float64Array(at.length);
  let j = 0;
  for (let k = 0; k < at.length; k++) {
    const v = at[k]!;
    while (j < x.length - 2 && x[j + 1]! < v) j++;
    const u = (v - x[j]!) / (x[j + 1]! - x[j]!);
    out[k] = y[j]! + u * (y[j + 1]! - y[j]!);
  }
  return out;
}

/** Natural cubic spline through (x, y) evaluated at `at` (second derivative 0 at both ends). */
function naturalCubicSpline(x: readonly number[], y: readonly number[], at: Float64Array): Float64Array {
  const n = x.length;
  if (n < 3) return linearInterp(x, y, at);
  // Solve for the second derivatives M (tridiagonal, Thomas algorithm), M0 = Mn-1 = 0.
  const h = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) h[i] = x[i + 1]! - x[i]!;
  const m = new Float64Array(n);
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    const a = h[i - 1]!;
    const b = 2 * (h[i - 1]! + h[i]!);
    const cc = h[i]!;
    const r = 6 * ((y[i + 1]! - y[i]!) / h[i]! - (y[i]! - y[i - 1]!) / h[i - 1]!);
    const denom = b - a * c[i - 1]!;
    c[i] = cc / denom;
    d[i] = (r - a * d[i - 1]!) / denom;
  }
  for (let i = n - 2; i >= 1; i--) m[i] = d[i]! - c[i]! * m[i + 1]!;
  const out = new Float64Array(at.length);
  let j = 0;
  for (let k = 0; k < at.length; k++) {
    const v = at[k]!;
    while (j < n - 2 && x[j + 1]! < v) j++;
    const hj = h[j]!;
    const A = (x[j + 1]! - v) / hj;
    const B = (v - x[j]!) / hj;
    out[k] = A * y[j]! + B * y[j + 1]! + (((A * A * A - A) * m[j]! + (B * B * B - B) * m[j + 1]!) * hj * hj) / 6;
  }
  return out;
}

/** Welch PSD: periodic Hann, 50 % overlap, per-segment mean removed, one-sided density. */
function welch(x: Float64Array, fs: number, nperseg: number): { frequency: Float64Array; density: Float64Array } {
  const step = nperseg - Math.floor(nperseg / 2);
  const win = new Float64Array(nperseg);
  let wss = 0;
  for (let i = 0; i < nperseg; i++) {
    win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nperseg);
    wss += win[i]! * win[i]!;
  }
  const nf = Math.floor(nperseg / 2) + 1;
  const acc = new Float64Array(nf);
  let segments = 0;
  const re = new Float64Array(nperseg);
  const im = new Float64Array(nperseg);
  for (let start = 0; start + nperseg <= x.length; start += step) {
    let mean = 0;
    for (let i = 0; i < nperseg; i++) mean += x[start + i]!;
    mean /= nperseg;
    for (let i = 0; i < nperseg; i++) {
      re[i] = (x[start + i]! - mean) * win[i]!;
      im[i] = 0;
    }
    dft(re, im);
    for (let k = 0; k < nf; k++) acc[k]! += re[k]! * re[k]! + im[k]! * im[k]!;
    segments++;
  }
  const density = new Float64Array(nf);
  const frequency = new Float64Array(nf);
  for (let k = 0; k < nf; k++) {
    const twoSided = k === 0 || (nperseg % 2 === 0 && k === nf - 1) ? 1 : 2;
    density[k] = (twoSided * acc[k]!) / (segments * fs * wss);
    frequency[k] = (k * fs) / nperseg;
  }
  return { frequency, density };
}

/** In-place DFT: radix-2 FFT for powers of two, a direct O(n²) transform otherwise. */
function dft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) === 0) {
    for (let i = 1, j = 0; i < n; i++) {
      let bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {
        [re[i], re[j]] = [re[j]!, re[i]!];
        [im[i], im[j]] = [im[j]!, im[i]!];
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const ang = (-2 * Math.PI) / len;
      for (let i = 0; i < n; i += len) {
        for (let k = 0; k < len / 2; k++) {
          const wr = Math.cos(ang * k);
          const wi = Math.sin(ang * k);
          const ar = re[i + k + len / 2]!;
          const ai = im[i + k + len / 2]!;
          const tr = ar * wr - ai * wi;
          const ti = ar * wi + ai * wr;
          re[i + k + len / 2] = re[i + k]! - tr;
          im[i + k + len / 2] = im[i + k]! - ti;
          re[i + k]! += tr;
          im[i + k]! += ti;
        }
      }
    }
    return;
  }
  const or = Float64Array.from(re);
  const oi = Float64Array.from(im);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      sr += or[t]! * Math.cos(a) - oi[t]! * Math.sin(a);
      si += or[t]! * Math.sin(a) + oi[t]! * Math.cos(a);
    }
    re[k] = sr;
    im[k] = si;
  }
}
