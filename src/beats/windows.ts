/**
 * Fixed-length windows around beats: {@link beatWindows}.
 * @module
 */
import { check, checkFs, fail } from '../core/errors';
import type { Samples } from '../core/types';
import { checkLeads } from './_internal/rpeakOptions';

/** Beat windows, channels last. */
export interface BeatWindows {
  /** Samples, row-major `[beats, time, leads]`; positions outside the signal are 0, NaN samples stay NaN. */
  data: Float32Array;
  /** `[beats, time, leads]`. */
  shape: [number, number, number];
  /** First sample index of each window (may be negative at the record start). */
  starts: Int32Array;
}

/**
 * Cuts a window of `preSec` before to `postSec` after every R peak, from every lead.
 *
 * @param signals one lead `[time]` or several leads (equal length)
 * @param fs sampling rate, Hz
 * @param rPeaks R-peak sample indices
 * @param opts `preSec` (default 0.25) and `postSec` (default 0.45): window = `round(preSec·fs)` samples before the peak, the peak, `round(postSec·fs) − 1` after
 * @returns `{ data, shape: [beats, time, leads], starts }`, time = round(preSec·fs) + round(postSec·fs)
 * @throws on bad signals, `fs`, negative durations, or non-integer peaks
 * @example
 * const { data, shape } = beatWindows(rec.signals, rec.fs, peaks, { preSec: 0.25, postSec: 0.45 });
 * const x = tf.tensor3d(data, shape); // [beats, time, leads]
 */
export function beatWindows(
  signals: Samples | readonly Samples[],
  fs: number,
  rPeaks: ArrayLike<number>,
  opts: { preSec?: number; postSec?: number } = {},
): BeatWindows {
  const fn = 'beatWindows';
  checkFs(fs, fn);
  const leads = checkLeads(fn, 'signals', signals);
  const preSec = opts.preSec ?? 0.25;
  const postSec = opts.postSec ?? 0.45;
  check(Number.isFinite(preSec) && preSec >= 0, fn, 'opts.preSec', 'a number ≥ 0 (s)', preSec);
  check(Number.isFinite(postSec) && postSec >= 0, fn, 'opts.postSec', 'a number ≥ 0 (s)', postSec);
  const pre = Math.round(preSec * fs);
  const t = pre + Math.round(postSec * fs);
  check(t > 0, fn, 'opts', 'a window of at least one sample (preSec + postSec)', `${preSec} + ${postSec}`);
  const L = leads.length;
  const n = leads[0].length;
  if (!(Array.isArray(rPeaks) || ArrayBuffer.isView(rPeaks))) fail(fn, 'rPeaks', 'an array or typed array of R-peak sample indices', rPeaks);
  const B = rPeaks.length;
  const data = new Float32Array(B * t * L);
  const starts = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const p = rPeaks[b];
    check(Number.isInteger(p), fn, `rPeaks[${b}]`, 'an integer sample index', p);
    const s = p - pre;
    starts[b] = s;
    for (let i = Math.max(0, -s); i < t && s + i < n; i++) {
      const o = (b * t + i) * L;
      for (let j = 0; j < L; j++) data[o + j] = leads[j][s + i];
    }
  }
  return { data, shape: [B, t, L], starts };
}
