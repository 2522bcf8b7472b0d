/**
 * Rule-based P/QRS/T delineation: {@link delineateBeats}.
 * @module
 */
import { check, checkFs } from '../core/errors';
import type { Samples, Wave } from '../core/types';
import { checkLeads, checkPeaks } from './_internal/rpeakOptions';
import { cleanLead, medianOf } from './_internal/prep';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Options of {@link delineateBeats}. Fractions are of the wave's peak value. */
export interface DelineateOptions {
  /** QRS boundary: where the combined slope falls below this fraction of its QRS maximum. Default 0.08. */
  qrsSlopeFraction?: number;
  /**
   * P/T boundary: where the deviation falls to this fraction of the way from the lowest deviation
   * on that side up to the wave's peak. Default 0.25 (T onset; ×0.8 for P, ×0.6 for T offset).
   */
  waveFraction?: number;
  /** Smallest P-wave deviation (RMS over leads, mV) reported as a P wave. Default 0.02. */
  minPAmplitude?: number;
}
/** A boundary fraction option: a number in (0, 1). */
function checkFraction(v: unknown, fn: string, arg: string): number {
  check(typeof v === 'number' && v > 0 && v < 1, fn, arg, 'a fraction in (0, 1)', v);
  return v;
}
const DELINEATE_KEYS = optionKeys<DelineateOptions>()('qrsSlopeFraction', 'waveFraction', 'minPAmplitude');

/** Relative boundary fractions (× `waveFraction`): P onset/offset, T offset (T onset uses 1). */
const PF = 0.8;
const TF = 0.6;

/**
 * Delineates P, QRS and T waves (onset, peak, offset) around given R peaks, on one or many leads.
 *
 * Method (derivative/amplitude based, no learning): leads are band-passed (0.5–40 Hz, zero
 * phase). QRS boundaries are where the lead-normalised combined absolute slope falls below
 * `qrsSlopeFraction` of its maximum near the R peak (searching ≤ 150 ms before and ≤ 200 ms after
 * it). P and T use the deviation from the PR-segment baseline (RMS over leads, 40 ms smoothing): the
 * T peak is its largest local maximum from QRS offset + 60 ms to min(R + 0.6 × next RR, R + 0.6 s);
 * the P peak its maximum from max(previous T offset, QRS onset − 300 ms) to QRS onset − 20 ms
 * (reported only when above `minPAmplitude`); boundaries are where the deviation falls to
 * `waveFraction` of the way from the lowest deviation on that side to the peak.
 * The first and last beats are delineated where the record allows (waves cut by an edge are omitted).
 * Missing samples (`NaN`, ±`Infinity`) are held at the last finite sample of their lead (0 before
 * the first), as in `detectRPeaks`: the result equals that of the held signal.
 *
 * @param signals one lead `[time]` or several leads (equal length), mV; non-finite samples are missing data
 * @param fs sampling rate, Hz
 * @param rPeaks R-peak sample indices (increasing), e.g. from `detectRPeaks`
 * @param opts see {@link DelineateOptions}
 * @returns waves sorted by onset: per beat an optional P, the QRS (peak = its R peak) and an optional T; inclusive sample indices at `fs`
 * @throws on bad signals, `fs`, or peaks that are not integer sample indices inside the signal
 * @example
 * const peaks = detectRPeaks(rec.signals, rec.fs);
 * const waves = delineateBeats(rec.signals, rec.fs, peaks);
 * const qrsMs = waves.filter((w) => w.type === 'QRS').map((w) => ((w.offset - w.onset) / rec.fs) * 1000);
 */
export function delineateBeats(signals: Samples | readonly Samples[], fs: number, rPeaks: ArrayLike<number>, opts: DelineateOptions = {}): Wave[] {
  const fn = 'delineateBeats';
  checkFs(fs, fn);
  const leads = checkLeads(fn, 'signals', signals, rPeaks);
  const n = leads[0].length;
  checkPeaks(fn, rPeaks, n);
  opts = checkOptions(opts, DELINEATE_KEYS, fn);
  const qf = checkFraction(opts.qrsSlopeFraction ?? 0.08, fn, 'opts.qrsSlopeFraction');
  const wf = checkFraction(opts.waveFraction ?? 0.25, fn, 'opts.waveFraction');
  const minP = opts.minPAmplitude ?? 0.02;
  check(typeof minP === 'number' && minP >= 0 && minP <= 100, fn, 'opts.minPAmplitude', 'a number of mV in [0, 100]', minP);
  if (rPeaks.length === 0 || n < 3) return [];
  const sec = (s: number) => Math.max(1, Math.round(s * fs));
  const clean = leads.map((x) => cleanLead(x, fs));
  // combined, lead-normalised absolute slope
  const slope = new Float64Array(n);
  for (const c of clean) {
    const d = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) d[i] = Math.abs(c[i + 1] - c[i - 1]);
    const peaksMax: number[] = [];
    for (let k = 0; k < rPeaks.length; k++) {
      let m = 0;
      for (let i = Math.max(0, rPeaks[k] - sec(0.06)); i <= Math.min(n - 1, rPeaks[k] + sec(0.06)); i++) m = Math.max(m, d[i]);
      peaksMax.push(m);
    }
    const scale = medianOf(peaksMax);
    if (!(scale > 1e-9)) continue;
    for (let i = 0; i < n; i++) slope[i] += d[i] / scale;
  }
  const smoothLen = sec(0.04);
  const waves: Wave[] = [];
  let prevTOff = -1;
  for (let k = 0; k < rPeaks.length; k++) {
    const r = rPeaks[k];
    const rrNext = k + 1 < rPeaks.length ? rPeaks[k + 1] - r : k > 0 ? r - rPeaks[k - 1] : sec(0.8);
    // QRS
    let m = 0;
    for (let i = Math.max(0, r - sec(0.06)); i <= Math.min(n - 1, r + sec(0.06)); i++) m = Math.max(m, slope[i]);
    const th = qf * m;
    let on = r;
    const onLimit = Math.max(0, r - sec(0.15));
    while (on > onLimit && slope[on - 1] >= th) on--;
    while (on > onLimit && slope[on] >= th) on--;
    let off = r;
    const offLimit = Math.min(n - 1, r + sec(0.2));
    while (off < offLimit && slope[off + 1] >= th) off++;
    while (off < offLimit && slope[off] >= th) off++;
    // PR baseline per lead: mean over [on − 30 ms, on − 10 ms]
    const b0 = Math.max(0, on - sec(0.03));
    const b1 = Math.max(0, on - sec(0.01));
    const base = clean.map((c) => {
      let s = 0;
      for (let i = b0; i <= b1; i++) s += c[i];
      return s / (b1 - b0 + 1);
    });
    const dev = (a: number, b: number): Float64Array => {
      // smoothed RMS deviation from the baseline over [a, b]
      const len = b - a + 1;
      const raw = new Float64Array(Math.max(0, len));
      for (let i = 0; i < len; i++) {
        let s = 0;
        for (let j = 0; j < clean.length; j++) {
          const v = clean[j][a + i] - base[j];
          s += v * v;
        }
        raw[i] = Math.sqrt(s / clean.length);
      }
      const out = new Float64Array(raw.length);
      const h = smoothLen >> 1;
      for (let i = 0; i < raw.length; i++) {
        let s = 0;
        let c = 0;
        for (let j = Math.max(0, i - h); j <= Math.min(raw.length - 1, i + h); j++) {
          s += raw[j];
          c++;
        }
        out[i] = s / c;
      }
      return out;
    };
    const bounds = (d: Float64Array, a: number, peakI: number, fl: number, fr: number): [number, number] => {
      // thresholds between the peak and the lowest deviation on each side (robust to a baseline
      // that differs before and after the wave)
      let minL = d[peakI];
      for (let i = 0; i < peakI; i++) minL = Math.min(minL, d[i]);
      let minR = d[peakI];
      for (let i = peakI + 1; i < d.length; i++) minR = Math.min(minR, d[i]);
      const tl = minL + fl * (d[peakI] - minL);
      const tr = minR + fr * (d[peakI] - minR);
      let lo = peakI;
      while (lo > 0 && d[lo - 1] >= tl) lo--;
      let hi = peakI;
      while (hi < d.length - 1 && d[hi + 1] >= tr) hi++;
      return [a + lo, a + hi];
    };
    const argmax = (d: Float64Array) => {
      let bi = 0;
      for (let i = 1; i < d.length; i++) if (d[i] > d[bi]) bi = i;
      return bi;
    };
    // P
    const pa = Math.max(0, prevTOff + 1, on - sec(0.3));
    const pb = on - sec(0.02);
    let pWave: Wave | null = null;
    if (pb - pa > sec(0.04) && on - sec(0.3) >= 0) {
      const d = dev(pa, pb);
      const pi = argmax(d);
      if (d[pi] >= minP && pi > 0 && pi < d.length - 1) {
        const [po, pf] = bounds(d, pa, pi, PF * wf, PF * wf);
        pWave = { type: 'P', onset: po, offset: Math.min(pf, on - 1), peak: pa + pi };
      }
    }
    if (pWave) waves.push(pWave);
    waves.push({ type: 'QRS', onset: on, offset: off, peak: r });
    // T
    const ta = off + sec(0.06);
    const tb = Math.min(n - 1, r + Math.min(sec(0.6), Math.round(0.6 * rrNext)), k + 1 < rPeaks.length ? rPeaks[k + 1] - sec(0.15) : n - 1);
    if (tb - ta > sec(0.06)) {
      const d = dev(off + 1, tb);
      // the T peak: the largest local maximum of the deviation in [ta, tb] (a maximum at the window's
      // end is a drift or the next P wave, not a T wave)
      let ti = -1;
      for (let i = Math.max(1, ta - off - 1); i < d.length - 1; i++) {
        if (d[i] >= d[i - 1] && d[i] >= d[i + 1] && (ti < 0 || d[i] > d[ti])) ti = i;
      }
      if (ti > 0 && d[ti] > 0) {
        const [to, tf] = bounds(d, off + 1, ti, wf, TF * wf);
        waves.push({ type: 'T', onset: Math.max(to, off + 1), offset: tf, peak: off + 1 + ti });
        prevTOff = tf;
      }
    }
  }
  waves.sort((a, b) => a.onset - b.onset);
  return waves;
}
