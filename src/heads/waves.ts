/**
 * Post-processing of segmentation output: per-sample labels → waves (with minimum durations and
 * gap merging), and working-rate waves → native-rate waves. Clinical intervals of the waves are
 * `wavesToIntervals` of `beat-ssl/beats` (the one interval definition).
 * @module
 */
import { check, checkFs, checkInt, fail } from '../core/errors';
import { checkOptions, optionKeys } from '../core/_internal/options';
import type { Wave, WaveType } from '../core/types';

/** Options of {@link labelsToWaves}. */
export interface LabelsToWavesOptions {
  /** Minimum duration per wave type (s); shorter runs are dropped. Default `{ P: 0.03, QRS: 0.03, T: 0.05 }`. */
  minDurationSec?: Partial<Record<WaveType, number>>;
  /** Runs of the same type separated by a gap shorter than this (s) are merged. Default 0.02. */
  mergeGapSec?: number;
}

const TYPES: readonly WaveType[] = ['P', 'QRS', 'T'];

/**
 * Turns per-sample class labels (0 none, 1 P, 2 QRS, 3 T) into waves: contiguous runs, merged
 * across short gaps, with too-short runs dropped.
 * @param labels per-sample class indices at `fs`
 * @param fs sampling rate (Hz)
 * @param opts {@link LabelsToWavesOptions}
 * @returns waves sorted by onset, `onset`/`offset` inclusive sample indices
 * @throws if `fs` is not positive, a label is outside 0–3 or an option is unknown or out of range
 * @example
 * labelsToWaves(seg.segmentSignals(x), 100); // [{ type: 'P', onset: 12, offset: 20 }, ...]
 */
export function labelsToWaves(labels: ArrayLike<number>, fs: number, opts: LabelsToWavesOptions = {}): Wave[] {
  const FN = 'labelsToWaves';
  checkFs(fs, FN);
  check(Array.isArray(labels) || (ArrayBuffer.isView(labels) && !(labels instanceof DataView)), FN, 'labels', 'an array of class indices (0–3)', labels);
  opts = checkOptions(opts, optionKeys<LabelsToWavesOptions>()('minDurationSec', 'mergeGapSec'), FN);
  if (opts.minDurationSec !== undefined) {
    checkOptions(opts.minDurationSec, TYPES, FN, 'opts.minDurationSec');
    for (const t of TYPES) {
      const v = opts.minDurationSec[t];
      if (v !== undefined) check(typeof v === 'number' && v >= 0 && v <= 60, FN, `opts.minDurationSec.${t}`, 'a duration in [0, 60] s', v);
    }
  }
  const mergeGapSec = opts.mergeGapSec ?? 0.02;
  check(typeof mergeGapSec === 'number' && mergeGapSec >= 0 && mergeGapSec <= 60, FN, 'opts.mergeGapSec', 'a duration in [0, 60] s', mergeGapSec);
  const minDur = { P: 0.03, QRS: 0.03, T: 0.05, ...(opts.minDurationSec ?? {}) };
  const gap = Math.round(mergeGapSec * fs);
  const runs: Wave[] = [];
  let i = 0;
  while (i < labels.length) {
    const c = labels[i];
    if (!(c >= 0 && c <= 3) || !Number.isInteger(c)) fail(FN, `labels[${i}]`, 'an integer class index in [0, 3]', c);
    let j = i;
    while (j + 1 < labels.length && labels[j + 1] === c) j++;
    if (c > 0) runs.push({ type: TYPES[c - 1], onset: i, offset: j });
    i = j + 1;
  }
  const merged: Wave[] = [];
  for (const r of runs) {
    const last = merged[merged.length - 1];
    if (last && last.type === r.type && r.onset - last.offset - 1 <= gap) last.offset = r.offset;
    else merged.push({ ...r });
  }
  return merged.filter((w) => (w.offset - w.onset + 1) / fs >= (minDur[w.type] ?? 0));
}

/**
 * Maps waves found at the working rate to the native rate with sub-sample boundaries: each
 * boundary is placed where the wave's class probability margin crosses zero (linear
 * interpolation between the two working-rate samples around it). Used by `segmentRecord`; exported
 * for models whose probabilities come from elsewhere (e.g. another framework).
 * @param waves waves at the working rate (e.g. from {@link labelsToWaves})
 * @param probs `[T × K]` class probabilities at the working rate, time-major
 * @param K number of classes (4: none, P, QRS, T)
 * @param T number of working-rate samples
 * @param ratio native rate / working rate (e.g. 500 Hz / 100 Hz = 5)
 * @param nativeLength record length at the native rate (samples); boundaries are clamped to it
 * @returns waves with inclusive onset/offset samples at the native rate
 * @throws {BeatSslError} when `K`, `T`, `ratio` or `nativeLength` are out of range, `probs` is not `T · K` finite values, or a wave is outside `[0, T)`
 * @example
 * wavesToNativeRate(labelsToWaves(labels, 100), probs, 4, labels.length, 5, 5000);
 */
export function wavesToNativeRate(waves: readonly Wave[], probs: Float32Array, K: number, T: number, ratio: number, nativeLength: number): Wave[] {
  const fn = 'wavesToNativeRate';
  checkInt(K, fn, 'K', 4, 4096);
  checkInt(T, fn, 'T', 1, 2 ** 31 - 1);
  check(probs instanceof Float32Array && probs.length === T * K, fn, 'probs', `a Float32Array of T · K = ${T * K} class probabilities`, probs);
  for (let i = 0; i < probs.length; i++) if (!Number.isFinite(probs[i])) fail(fn, `probs[${i}]`, 'a finite class probability (a NaN comes from a broken model output)', probs[i]);
  check(typeof ratio === 'number' && Number.isFinite(ratio) && ratio > 0 && ratio <= 1e6, fn, 'ratio', 'the native / working rate ratio, a finite number > 0', ratio);
  checkInt(nativeLength, fn, 'nativeLength', 1, 2 ** 31 - 1);
  check(Array.isArray(waves as unknown), fn, 'waves', 'an array of waves at the working rate', waves);
  waves.forEach((w, i) => {
    check(w !== null && typeof w === 'object' && (w.type === 'P' || w.type === 'QRS' || w.type === 'T'), fn, `waves[${i}]`, "a wave { type: 'P' | 'QRS' | 'T', onset, offset }", w);
    check(Number.isInteger(w.onset) && Number.isInteger(w.offset) && w.onset >= 0 && w.onset <= w.offset && w.offset < T, fn, `waves[${i}]`, `a wave with integer onset ≤ offset in [0, ${T - 1}]`, w);
  });
  const cls = { P: 1, QRS: 2, T: 3 } as const;
  const margin = (t: number, c: number) => {
    let other = -Infinity;
    for (let k = 0; k < K; k++) if (k !== c) other = Math.max(other, probs[t * K + k]);
    return probs[t * K + c] - other;
  };
  return waves.map((w) => {
    const c = cls[w.type];
    let on = w.onset - 0.5;
    if (w.onset > 0) {
      const a = margin(w.onset - 1, c);
      const b = margin(w.onset, c);
      if (a < 0 && b >= 0 && b > a) on = w.onset - 1 + -a / (b - a);
    }
    let off = w.offset + 0.5;
    if (w.offset + 1 < T) {
      const a = margin(w.offset, c);
      const b = margin(w.offset + 1, c);
      if (a >= 0 && b < 0 && a > b) off = w.offset + a / (a - b);
    }
    const onset = Math.max(0, Math.min(nativeLength - 1, Math.ceil(on * ratio - 1e-9)));
    const offset = Math.max(onset, Math.min(nativeLength - 1, Math.floor(off * ratio + 1e-9)));
    return { type: w.type, onset, offset };
  });
}
