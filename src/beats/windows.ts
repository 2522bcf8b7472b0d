/**
 * Fixed-length windows around beats: {@link beatWindows}.
 * @module
 */
import { check, checkFs, fail } from '../core/errors';
import type { Samples } from '../core/types';
import { checkLeads } from './_internal/rpeakOptions';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Largest output of one {@link beatWindows} call (values): 2²⁸, 1 GiB of float32. */
const MAX_WINDOW_VALUES = 2 ** 28;

/** Beat windows, channels last. */
export interface BeatWindows {
  /** Samples, row-major `[beats, time, leads]`; positions outside the signal are 0, NaN samples stay NaN. */
  data: Float32Array;
  /** `[beats, time, leads]`. */
  shape: [number, number, number];
  /** First sample index of each window (may be negative at the record start). */
  starts: Int32Array;
}

/** Options of {@link beatWindows}. */
export interface BeatWindowsOptions {
  /** Seconds before the R peak (default 0.25). */
  preSec?: number;
  /** Seconds after the R peak (default 0.45). */
  postSec?: number;
}

/**
 * Cuts a window of `preSec` before to `postSec` after every R peak, from every lead.
 *
 * @param signals one lead `[time]` or several leads (equal length)
 * @param fs sampling rate, Hz
 * @param rPeaks R-peak sample indices
 * @param opts `preSec` (default 0.25) and `postSec` (default 0.45): window = `round(preSec·fs)` samples before the peak, the peak, `round(postSec·fs) − 1` after
 * @returns `{ data, shape: [beats, time, leads], starts }`, time = round(preSec·fs) + round(postSec·fs)
 * @throws on bad signals, `fs`, durations outside [0, 10] s, an unknown option, or peaks that are not integer sample indices inside the signal
 * @example
 * const { data, shape } = beatWindows(rec.signals, rec.fs, peaks, { preSec: 0.25, postSec: 0.45 });
 * const x = tf.tensor3d(data, shape); // [beats, time, leads]
 */
export function beatWindows(
  signals: Samples | readonly Samples[],
  fs: number,
  rPeaks: ArrayLike<number>,
  opts: BeatWindowsOptions = {},
): BeatWindows {
  const fn = 'beatWindows';
  checkFs(fs, fn);
  const leads = checkLeads(fn, 'signals', signals, rPeaks);
  opts = checkOptions(opts, optionKeys<BeatWindowsOptions>()('preSec', 'postSec'), fn);
  const preSec = opts.preSec ?? 0.25;
  const postSec = opts.postSec ?? 0.45;
  check(typeof preSec === 'number' && preSec >= 0 && preSec <= 10, fn, 'opts.preSec', 'a number of seconds in [0, 10]', preSec);
  check(typeof postSec === 'number' && postSec >= 0 && postSec <= 10, fn, 'opts.postSec', 'a number of seconds in [0, 10]', postSec);
  const pre = Math.round(preSec * fs);
  const t = pre + Math.round(postSec * fs);
  check(t > 0, fn, 'opts', 'a window of at least one sample (preSec + postSec)', `${preSec} + ${postSec}`);
  const L = leads.length;
  const n = leads[0].length;
  if (!(Array.isArray(rPeaks) || (ArrayBuffer.isView(rPeaks) && !(rPeaks instanceof DataView)))) fail(fn, 'rPeaks', 'an array or typed array of R-peak sample indices', rPeaks);
  const B = rPeaks.length;
  for (let b = 0; b < B; b++) {
    const p = rPeaks[b];
    check(Number.isInteger(p) && p >= 0 && p < n, fn, `rPeaks[${b}]`, `an integer sample index in [0, ${n - 1}] (inside the signal)`, p);
  }
  check(B * t * L <= MAX_WINDOW_VALUES, fn, 'rPeaks', `at most ${MAX_WINDOW_VALUES} output values (beats × window × leads; pass fewer peaks at a time)`, `${B} peaks × ${t} samples × ${L} leads`);
  const data = new Float32Array(B * t * L);
  const starts = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const s = rPeaks[b] - pre;
    starts[b] = s;
    for (let i = Math.max(0, -s); i < t && s + i < n; i++) {
      const o = (b * t + i) * L;
      for (let j = 0; j < L; j++) data[o + j] = leads[j][s + i];
    }
  }
  return { data, shape: [B, t, L], starts };
}
