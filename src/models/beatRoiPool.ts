/**
 * Beat RoI projection: average the feature frames around each R-peak with one batched matMul,
 * so gradients flow from beat embeddings back into the encoder.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkFs, checkInt, checkPositive, fail } from '../core/errors';
import { toRng, type Rng } from '../core/rng';
import { constMatMul } from './_internal/constMatMul';

/** Options of {@link beatRoiPlan} and {@link beatRoiPool}. */
export interface BeatRoiOptions {
  /** Stride of the feature map in input samples (e.g. `encoder.stageStrides[i]`). */
  stride: number;
  /** Sampling rate of the input signal (Hz) at which `rPeaks` are given. */
  fs: number;
  /** Window start before the R-peak (s). Default 0.25. */
  preSec?: number;
  /** Window end after the R-peak (s). Default 0.45. */
  postSec?: number;
  /** Maximum beats per record M (output size). Default 16. */
  maxBeats?: number;
  /** Input length in samples (beats whose window leaves `[0, inputLength)` are skipped). Default `frames × stride`. */
  inputLength?: number;
  /**
   * Seed or Rng used to pick M beats when a record has more valid beats. Without a seed the first M
   * valid beats are used.
   */
  seed?: number | Rng;
}

/** A pooling plan: which frames each selected beat averages (plain arrays, reusable for several views). */
export interface BeatRoiPlan {
  /** Pooling matrix P `[records, maxBeats, frames]` (row-stochastic for valid beats, zero rows for padding). */
  matrix: Float32Array;
  /** Validity mask `[records, maxBeats]`: 1 for a real beat, 0 for padding. */
  mask: Float32Array;
  /** Index into each record's `rPeaks` of the beat in each slot `[records, maxBeats]`, -1 for padding. */
  beatIndex: Int32Array;
  /** Number of records. */
  records: number;
  /** M. */
  maxBeats: number;
  /** F (feature frames). */
  frames: number;
}

/** Typed output of {@link beatRoiPool}. */
export interface BeatRoiPoolOutput {
  /** Pooled beat features `[batch, maxBeats, channels]` (zeros in padded slots). */
  pooled: tf.Tensor3D;
  /** Mask `[batch, maxBeats]`, 1 for a real beat. */
  mask: tf.Tensor2D;
  /** The plan used (beat indices per slot, for beat features and classes). */
  plan: BeatRoiPlan;
}

/**
 * Builds the pooling plan for {@link beatRoiPool}: for beat k with R-peak at sample r, the frames
 * whose centre `(f + 0.5)·stride` lies in `[r − preSec·fs, r + postSec·fs]` (at least the frame
 * containing r), each weighted 1/count. Beats whose window leaves the signal are skipped; at most
 * `maxBeats` are kept (a seeded random subset, in time order).
 *
 * @param rPeaks R-peak sample indices per record (at `fs`)
 * @param frames F, the feature map length
 * @param opts {@link BeatRoiOptions}
 * @returns a {@link BeatRoiPlan}
 * @throws on invalid options
 * @example
 * const plan = beatRoiPlan([Int32Array.of(100, 180)], 64, { stride: 4, fs: 100, maxBeats: 4 });
 * plan.mask; // Float32Array [1, 1, 0, 0]
 */
export function beatRoiPlan(rPeaks: ArrayLike<number>[], frames: number, opts: BeatRoiOptions): BeatRoiPlan {
  const FN = 'beatRoiPlan';
  check(Array.isArray(rPeaks), FN, 'rPeaks', 'an array with one array of R-peak samples per record', rPeaks);
  checkInt(frames, FN, 'frames', 1);
  const stride = checkPositive(opts?.stride, FN, 'opts.stride', 'samples');
  const fs = checkFs(opts.fs, FN, 'opts.fs');
  const pre = (opts.preSec ?? 0.25) * fs;
  const post = (opts.postSec ?? 0.45) * fs;
  check(pre >= 0 && post >= 0, FN, 'opts.preSec/postSec', 'non-negative numbers (s)', [opts.preSec, opts.postSec]);
  const maxBeats = checkInt(opts.maxBeats ?? 16, FN, 'opts.maxBeats', 1);
  const inputLength = opts.inputLength ?? frames * stride;
  checkPositive(inputLength, FN, 'opts.inputLength', 'samples');
  const rng = opts.seed === undefined ? null : toRng(opts.seed, FN);
  const B = rPeaks.length;
  const matrix = new Float32Array(B * maxBeats * frames);
  const mask = new Float32Array(B * maxBeats);
  const beatIndex = new Int32Array(B * maxBeats).fill(-1);
  for (let b = 0; b < B; b++) {
    const peaks = rPeaks[b];
    if (peaks == null || typeof peaks.length !== 'number') fail(FN, `rPeaks[${b}]`, 'an array of sample indices', peaks);
    let valid: number[] = [];
    for (let k = 0; k < peaks.length; k++) {
      const r = peaks[k];
      if (r - pre >= 0 && r + post < inputLength) valid.push(k);
    }
    if (valid.length > maxBeats) {
      if (rng) {
        const perm = rng.permutation(valid.length);
        valid = Array.from(perm.subarray(0, maxBeats), (i) => valid[i]).sort((a, c) => a - c);
      } else valid = valid.slice(0, maxBeats);
    }
    valid.forEach((k, m) => {
      const r = peaks[k];
      const slot = b * maxBeats + m;
      let f0 = Math.ceil((r - pre) / stride - 0.5);
      let f1 = Math.floor((r + post) / stride - 0.5);
      f0 = Math.max(0, f0);
      f1 = Math.min(frames - 1, f1);
      if (f1 < f0) f0 = f1 = Math.min(frames - 1, Math.max(0, Math.floor(r / stride)));
      const w = 1 / (f1 - f0 + 1);
      const base = slot * frames;
      for (let f = f0; f <= f1; f++) matrix[base + f] = w;
      mask[slot] = 1;
      beatIndex[slot] = k;
    });
  }
  return { matrix, mask, beatIndex, records: B, maxBeats, frames };
}

/**
 * Pools encoder features over each beat's window (the Beat-SSL beat RoI projection) as
 * `P [B, M, F] × featureMap [B, F, C]` in one batched matMul, differentiable w.r.t. the features.
 *
 * @param featureMap `[batch, frames, channels]` stage output of stride `opts.stride`
 * @param rPeaks R-peak sample indices per record (at `opts.fs`), or a plan from {@link beatRoiPlan}
 * @param opts {@link BeatRoiOptions} (ignored when a plan is given, except for validation)
 * @returns `{ pooled [B, M, C], mask [B, M], plan }`; the caller disposes `pooled` and `mask`
 * @throws if shapes or options do not match
 * @example
 * const { pooled, mask } = beatRoiPool(stages[2], [rPeaks], { stride: 4, fs: 100, maxBeats: 8, seed: 1 });
 */
export function beatRoiPool(featureMap: tf.Tensor3D, rPeaks: ArrayLike<number>[] | BeatRoiPlan, opts?: BeatRoiOptions): BeatRoiPoolOutput {
  const FN = 'beatRoiPool';
  check(featureMap instanceof tf.Tensor && featureMap.rank === 3, FN, 'featureMap', 'a tensor [batch, frames, channels]', featureMap);
  const [B, F] = featureMap.shape;
  let plan: BeatRoiPlan;
  if (Array.isArray(rPeaks)) {
    check(rPeaks.length === B, FN, 'rPeaks', `one peak array per record (${B})`, rPeaks.length);
    check(opts !== undefined, FN, 'opts', 'BeatRoiOptions { stride, fs, ... }', opts);
    plan = beatRoiPlan(rPeaks, F, opts);
  } else {
    plan = rPeaks as BeatRoiPlan;
    check(plan.records === B && plan.frames === F, FN, 'plan', `a plan for ${B} records × ${F} frames`, `${plan.records} × ${plan.frames}`);
  }
  const M = plan.maxBeats;
  const pooled = tf.tidy(() => constMatMul(tf.tensor3d(plan.matrix, [B, M, F]), featureMap));
  const mask = tf.tensor2d(plan.mask, [B, M]);
  return { pooled, mask, plan };
}
