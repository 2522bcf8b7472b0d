/**
 * TS2Vec's random overlapping crops (Yue et al., AAAI 2022, §3.1 "contextual consistency").
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt } from '../core/errors';
import { toRng, type Rng } from '../core/rng';
import { checkOptions, optionKeys } from '../core/_internal/options';
import { MAX_ARRAY_LENGTH } from '../core/_internal/limits';

/** Crop positions shared by the batch, plus a per-series offset. All in units of `stride` samples. */
export interface Ts2VecCrops {
  /** Start of crop 1 (`a1`), relative to each series' offset. */
  start1: number;
  /** Start of the overlap (`a2`); crop 2 starts here. */
  overlapStart: number;
  /** End (exclusive) of the overlap (`b1`); crop 1 ends here. */
  overlapEnd: number;
  /** End (exclusive) of crop 2 (`b2`). */
  end2: number;
  /** Per-series shift, `[batch]`, keeping both crops inside the series. */
  offsets: Int32Array;
  /** Time unit of every number above, in samples. */
  stride: number;
}

/** Options of {@link sampleTs2VecCrops}. */
export interface Ts2VecCropOptions {
  /** Seed or generator. */
  seed?: number;
  rng?: Rng;
  /** Crops are aligned to multiples of this many samples (an encoder's total stride). Default 1. */
  stride?: number;
  /** Minimum overlap in units of `stride` (TS2Vec: `2^(temporalUnit+1)`). Default 2. */
  minOverlap?: number;
}

/**
 * Draws TS2Vec crops for a batch: `0 ≤ a1 ≤ a2 < b1 ≤ b2 ≤ T` with the overlap `[a2, b1)` at least
 * `minOverlap` long, and a random per-series offset keeping both crops inside the series.
 * @param length series length in samples.
 * @param batch number of series.
 * @param opts seed/rng, stride and minimum overlap.
 * @returns the crop positions (units of `stride` samples).
 * @throws {BeatSslError} when the series is shorter than the minimum overlap, or `length`/`batch` is not an integer in [1, 2³¹ − 1].
 * @example
 * const crops = sampleTs2VecCrops(1000, 8, { seed: 1, stride: 8 });
 */
export function sampleTs2VecCrops(length: number, batch: number, opts: Ts2VecCropOptions = {}): Ts2VecCrops {
  const fn = 'sampleTs2VecCrops';
  opts = checkOptions(opts, optionKeys<Ts2VecCropOptions>()('seed', 'rng', 'stride', 'minOverlap'), fn);
  const stride = checkInt(opts.stride ?? 1, fn, 'opts.stride', 1);
  checkInt(length, fn, 'length', 1, MAX_ARRAY_LENGTH);
  checkInt(batch, fn, 'batch', 1, MAX_ARRAY_LENGTH);
  const rng = toRng(opts.rng ?? opts.seed, fn, opts.rng === undefined ? 'opts.seed' : 'opts.rng');
  const t = Math.floor(length / stride);
  const minOverlap = checkInt(opts.minOverlap ?? 2, fn, 'opts.minOverlap', 1);
  check(t >= minOverlap, fn, 'length', `at least ${minOverlap * stride} samples (minOverlap × stride)`, length);
  const randint = (lo: number, hi: number) => lo + rng.int(hi - lo); // [lo, hi)
  const cropLen = randint(minOverlap, t + 1);
  const overlapStart = randint(0, t - cropLen + 1);
  const overlapEnd = overlapStart + cropLen;
  const start1 = randint(0, overlapStart + 1);
  const end2 = randint(overlapEnd, t + 1);
  const offsets = new Int32Array(batch);
  for (let i = 0; i < batch; i++) offsets[i] = randint(-start1, t - end2 + 1);
  return { start1, overlapStart, overlapEnd, end2, offsets, stride };
}

/**
 * Cuts the two crops out of a batch.
 * @param x `[batch, time, channels]`.
 * @param crops from {@link sampleTs2VecCrops} (same batch size and stride).
 * @returns `view1` `[batch, (b1 − a1)·stride, channels]`, `view2` `[batch, (b2 − a2)·stride, channels]`,
 *   and where the overlap lies in each view's time axis, in units of `stride`:
 *   view 1's last `overlap` steps and view 2's first `overlap` steps.
 * @throws {BeatSslError} when the batch size differs from the crops', or the crops do not fit in `x`'s time axis.
 * @example
 * const { view1, view2, overlap } = cropTs2VecViews(x, sampleTs2VecCrops(x.shape[1], x.shape[0], { seed: 3 }));
 */
export function cropTs2VecViews(x: tf.Tensor3D, crops: Ts2VecCrops): { view1: tf.Tensor3D; view2: tf.Tensor3D; overlap: number } {
  const fn = 'cropTs2VecViews';
  check(x instanceof tf.Tensor && x.rank === 3 && x.shape[0] >= 1, fn, 'x', 'a tensor [batch ≥ 1, time, channels]', x);
  check(crops !== null && typeof crops === 'object' && crops.offsets instanceof Int32Array, fn, 'crops', 'crops from sampleTs2VecCrops', crops);
  check(crops.offsets.length === x.shape[0], fn, 'crops.offsets', `length ${x.shape[0]} (the batch size)`, crops.offsets.length);
  const s = crops.stride;
  const time = x.shape[1];
  for (let b = 0; b < crops.offsets.length; b++) {
    const first = (crops.offsets[b]! + crops.start1) * s;
    const end = (crops.offsets[b]! + crops.end2) * s;
    check(first >= 0 && end <= time, fn, 'crops', `crops inside the ${time} samples of x (draw them with sampleTs2VecCrops(${time}, ...))`, `series ${b} cropped at samples [${first}, ${end})`);
  }
  const take = (from: number, to: number) =>
    tf.tidy(() => {
      const [batch, time, channels] = x.shape;
      const len = (to - from) * s;
      // Flat row indices into [batch·time, channels] (gather with batchDims gives wrong values on
      // the tfjs 4.22 wasm backend).
      const idx = new Int32Array(batch * len);
      for (let b = 0; b < batch; b++) {
        const base = b * time + (crops.offsets[b] + from) * s;
        for (let k = 0; k < len; k++) idx[b * len + k] = base + k;
      }
      const rows = tf.gather(tf.reshape(x, [batch * time, channels]), tf.tensor1d(idx, 'int32'));
      return tf.reshape(rows, [batch, len, channels]) as tf.Tensor3D;
    });
  return { view1: take(crops.start1, crops.overlapEnd), view2: take(crops.overlapStart, crops.end2), overlap: crops.overlapEnd - crops.overlapStart };
}
