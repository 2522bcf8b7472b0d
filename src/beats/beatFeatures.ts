/**
 * Per-beat feature vectors: {@link beatFeatures}.
 * @module
 */
import { checkFs, check } from '../core/errors';
import type { Samples, Wave } from '../core/types';
import { checkLeads, checkPeaks } from './_internal/rpeakOptions';
import { cleanLead, medianOf } from './_internal/prep';
import { delineateBeats } from './delineate';

/** Names of the per-beat features, in column order. */
export const BEAT_FEATURE_NAMES = [
  'rr_prev_ms',
  'rr_next_ms',
  'rr_ratio',
  'prematurity',
  'qrs_width_ms',
  'r_amp_mv',
  'corr_median',
  'amp_ratio',
] as const;
/** Name of a per-beat feature. */
export type BeatFeatureName = (typeof BEAT_FEATURE_NAMES)[number];

/** Result of {@link beatFeatures}. */
export interface BeatFeatures {
  names: readonly BeatFeatureName[];
  /** Row-major `[beats, features]`. */
  values: Float32Array;
  /** `[beats, features]`. */
  shape: [number, number];
}

/**
 * Morphology and rhythm features of every beat, never `NaN`.
 *
 * - `rr_prev_ms`, `rr_next_ms`: RR intervals before/after the beat (missing at the record edges →
 *   the record's median RR, or 800 ms with fewer than two beats); `rr_ratio` = prev / next;
 * - `prematurity`: `rr_prev` / mean of up to 8 preceding RR intervals (1 when unknown);
 * - `qrs_width_ms`: QRS duration from {@link delineateBeats} (or the `waves` you pass);
 * - `r_amp_mv`: signed deviation of the first lead at the R peak from the PR baseline;
 * - `corr_median`: Pearson correlation of the beat (−100…+150 ms, all leads, 0.5–40 Hz) with the
 *   record's median beat (1 when undefined, e.g. a flat window);
 * - `amp_ratio`: peak-to-peak amplitude of the beat window / that of the median beat (1 when undefined).
 *
 * @param signals one lead `[time]` or several leads (equal length), mV
 * @param fs sampling rate, Hz
 * @param rPeaks R-peak sample indices (increasing)
 * @param waves optional delineation (from {@link delineateBeats}) to take QRS widths from
 * @returns `{ names, values, shape: [beats, 8] }`
 * @throws on bad signals, `fs` or peaks
 * @example
 * const f = beatFeatures(rec.signals, rec.fs, peaks);
 * const width = f.values[k * f.shape[1] + BEAT_FEATURE_NAMES.indexOf('qrs_width_ms')];
 */
export function beatFeatures(signals: Samples | readonly Samples[], fs: number, rPeaks: ArrayLike<number>, waves?: readonly Wave[]): BeatFeatures {
  const fn = 'beatFeatures';
  checkFs(fs, fn);
  const leads = checkLeads(fn, 'signals', signals, rPeaks);
  const n = leads[0].length;
  const B = checkPeaks(fn, rPeaks, n).length;
  const F = BEAT_FEATURE_NAMES.length;
  const values = new Float32Array(B * F);
  if (B === 0) return { names: BEAT_FEATURE_NAMES, values, shape: [0, F] };
  const ms = (s: number) => (s / fs) * 1000;
  const rr: number[] = [];
  for (let i = 1; i < B; i++) rr.push(rPeaks[i] - rPeaks[i - 1]);
  const medRR = rr.length ? medianOf(rr) : 0.8 * fs;
  const ws = waves ?? delineateBeats(leads, fs, rPeaks);
  const qrs = ws.filter((w) => w.type === 'QRS');
  const clean = leads.map((x) => cleanLead(x, fs));
  const pre = Math.round(0.1 * fs);
  const post = Math.round(0.15 * fs);
  const T = pre + post;
  const L = clean.length;
  const win = (p: number) => {
    const w = new Float64Array(T * L);
    for (let i = 0; i < T; i++) {
      const s = p - pre + i;
      if (s < 0 || s >= n) continue;
      for (let j = 0; j < L; j++) w[i * L + j] = clean[j][s];
    }
    return w;
  };
  const wins = Array.from(rPeaks, (p) => win(p));
  const med = new Float64Array(T * L);
  const col = new Float64Array(B);
  for (let i = 0; i < T * L; i++) {
    for (let b = 0; b < B; b++) col[b] = wins[b][i];
    med[i] = medianOf(col);
  }
  const ptp = (w: Float64Array) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of w) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi - lo;
  };
  const medPtp = ptp(med);
  const corr = (a: Float64Array, b: Float64Array) => {
    let ma = 0;
    let mb = 0;
    for (let i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    }
    const d = Math.sqrt(saa * sbb);
    return d > 1e-12 ? sab / d : 1;
  };
  let qi = 0;
  for (let b = 0; b < B; b++) {
    const p = rPeaks[b];
    const prev = b > 0 ? p - rPeaks[b - 1] : medRR;
    const next = b + 1 < B ? rPeaks[b + 1] - p : medRR;
    let local = 0;
    let cnt = 0;
    for (let k = Math.max(1, b - 8); k < b; k++) {
      local += rPeaks[k] - rPeaks[k - 1];
      cnt++;
    }
    while (qi < qrs.length && (qrs[qi].peak ?? qrs[qi].onset) < p) qi++;
    const w = qi < qrs.length && qrs[qi].onset <= p && qrs[qi].offset >= p ? qrs[qi] : null;
    const base = w ? clean[0][Math.max(0, w.onset - 1)] : 0;
    const o = b * F;
    values[o] = ms(prev);
    values[o + 1] = ms(next);
    values[o + 2] = next > 0 ? prev / next : 1;
    values[o + 3] = cnt > 0 && b > 0 ? prev / (local / cnt) : 1;
    values[o + 4] = w ? ms(w.offset - w.onset + 1) : 100;
    values[o + 5] = clean[0][p] - base;
    values[o + 6] = corr(wins[b], med);
    values[o + 7] = medPtp > 1e-9 ? ptp(wins[b]) / medPtp : 1;
  }
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) values[i] = 0;
  return { names: BEAT_FEATURE_NAMES, values, shape: [B, F] };
}
