/**
 * Time-axis augmentations: random shift and random crop.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkFs, checkOneOf, checkPositive } from '../core/errors';
import type { Augmentation } from './compose';
import { checkBatch, checkNonNegative, checkProb, drawGates } from './_internal/gate';

/** Options of {@link timeShift}. */
export interface TimeShiftOptions {
  /** Sampling rate in Hz (required). */
  fs: number;
  /** Shifts are integers drawn uniformly in `[−maxShiftSec·fs, maxShiftSec·fs]` samples. Default 0.1 s. */
  maxShiftSec?: number;
  /** `'zero'` (default): samples shifted in from outside are 0; `'wrap'`: circular shift. */
  mode?: 'zero' | 'wrap';
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Shifts each sample in time by a random whole number of samples (`y[t] = x[t − shift]`), all
 * leads together. Implemented as one batched gather.
 * Random draws: `batch` gates, then one shift per sample.
 * @param opts see {@link TimeShiftOptions}; `fs` is required.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `fs` is missing or an option is out of range.
 * @example
 * const y = timeShift({ fs: 500, maxShiftSec: 0.2, mode: 'wrap' })(x, createRng(0));
 */
export function timeShift(opts: TimeShiftOptions): Augmentation {
  const fn = 'timeShift';
  const fs = checkFs(opts?.fs, fn, 'opts.fs');
  const maxShift = Math.round(checkNonNegative(opts.maxShiftSec ?? 0.1, fn, 'opts.maxShiftSec', 's') * fs);
  const mode = checkOneOf(opts.mode ?? 'zero', ['zero', 'wrap'] as const, fn, 'opts.mode');
  const prob = checkProb(opts.prob ?? 1, fn);
  return (x, rng) => {
    checkBatch(x, fn);
    const [B, T] = x.shape;
    const gates = drawGates(rng, B, prob);
    const idx = new Int32Array(B * T);
    const keep = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      const s = rng.int(2 * maxShift + 1) - maxShift;
      const shift = gates[b] ? s : 0;
      for (let t = 0; t < T; t++) {
        const src = t - shift;
        const inside = src >= 0 && src < T;
        idx[b * T + t] = inside ? src : mode === 'wrap' ? ((src % T) + T) % T : 0;
        keep[b * T + t] = inside || mode === 'wrap' ? 1 : 0;
      }
    }
    return tf.tidy(() => {
      const y = tf.gather(x, tf.tensor2d(idx, [B, T], 'int32'), 1, 1) as tf.Tensor3D;
      return mode === 'wrap' ? y : (tf.mul(y, tf.tensor3d(keep, [B, T, 1])) as tf.Tensor3D);
    });
  };
}

/** Options of {@link randomCrop}. */
export interface RandomCropOptions {
  /** Sampling rate in Hz (required). */
  fs: number;
  /** Length of the crop in seconds (`round(lengthSec · fs)` samples, at most the input length). */
  lengthSec: number;
  /** Probability of a random start; otherwise the centred crop is taken. Default 1. */
  prob?: number;
}

/**
 * Crops a window of `lengthSec` seconds at a random start per sample (one batched gather).
 * Random draws: `batch` gates, then one start per sample.
 * @param opts see {@link RandomCropOptions}; `fs` and `lengthSec` are required.
 * @returns an {@link Augmentation} mapping `[batch, time, leads]` to `[batch, round(lengthSec·fs), leads]`.
 * @throws {BeatSslError} when `fs` or `lengthSec` is missing, or the crop is longer than the input (at call).
 * @example
 * const y = randomCrop({ fs: 500, lengthSec: 2.5 })(x, createRng(0)); // [B, 1250, 12]
 */
export function randomCrop(opts: RandomCropOptions): Augmentation {
  const fn = 'randomCrop';
  const fs = checkFs(opts?.fs, fn, 'opts.fs');
  const len = Math.round(checkPositive(opts.lengthSec, fn, 'opts.lengthSec', 's') * fs);
  check(len >= 1, fn, 'opts.lengthSec', `at least one sample at fs = ${fs} Hz`, opts.lengthSec);
  const prob = checkProb(opts.prob ?? 1, fn);
  return (x, rng) => {
    checkBatch(x, fn);
    const [B, T] = x.shape;
    check(len <= T, fn, 'x', `at least ${len} samples long (lengthSec · fs)`, x);
    const gates = drawGates(rng, B, prob);
    const idx = new Int32Array(B * len);
    for (let b = 0; b < B; b++) {
      const s = rng.int(T - len + 1);
      const start = gates[b] ? s : Math.floor((T - len) / 2);
      for (let t = 0; t < len; t++) idx[b * len + t] = start + t;
    }
    return tf.tidy(() => tf.gather(x, tf.tensor2d(idx, [B, len], 'int32'), 1, 1) as tf.Tensor3D);
  };
}
