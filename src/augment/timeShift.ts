/**
 * Time-axis augmentations: random shift and random crop.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkFs, checkOneOf, checkPositive } from '../core/errors';
import type { Augmentation } from './compose';
import { checkBatch, checkNonNegative, checkProb, drawGates, gatedAugmentation } from './_internal/gate';
import { checkOptions, optionKeys } from '../core/_internal/options';

/**
 * Re-indexes time per sample: `out[b, t, :] = x[b, src[b·outT + t], :]`, or 0 where `src` is −1.
 * On the cpu backend it is built from contiguous slices (`runs`) and one concat, ~10× faster there
 * than a gather over `B·T` rows; on other backends (where slices are the slow path: ~12 ms each
 * on wasm) it is one flat gather on axis 0. `gather(..., batchDims = 1)` is avoided: the wasm
 * backend of tfjs 4.22 returns wrong values for it. Both paths give identical results (tested).
 */
function reindexTime(x: tf.Tensor3D, runs: Array<Array<[number, number, number]>>, outT: number): tf.Tensor3D {
  const [B, T, L] = x.shape;
  if (tf.getBackend() === 'cpu') {
    const parts = runs.map((sampleRuns, b) => {
      const pieces = sampleRuns.map(([start, len, zero]) => (zero ? tf.zeros([1, len, L]) : tf.slice(x, [b, start, 0], [1, len, L])));
      return pieces.length === 1 ? pieces[0] : tf.concat(pieces, 1);
    });
    return tf.concat(parts, 0) as tf.Tensor3D;
  }
  const idx = new Int32Array(B * outT);
  const keep = new Float32Array(B * outT * L).fill(1);
  let anyZero = false;
  runs.forEach((sampleRuns, b) => {
    let t = 0;
    for (const [start, len, zero] of sampleRuns) {
      for (let i = 0; i < len; i++, t++) {
        idx[b * outT + t] = b * T + (zero ? 0 : start + i);
        if (zero) {
          anyZero = true;
          keep.fill(0, (b * outT + t) * L, (b * outT + t + 1) * L);
        }
      }
    }
  });
  const flat = tf.reshape(tf.gather(tf.reshape(x, [B * T, L]), tf.tensor1d(idx, 'int32'), 0), [B, outT, L]) as tf.Tensor3D;
  return anyZero ? (tf.mul(flat, tf.tensor3d(keep, [B, outT, L])) as tf.Tensor3D) : flat;
}

/**
 * Time runs `[start, length, isZero]` of one sample shifted by `shift` samples
 * (`y[t] = x[t − shift]`), zero-filled or circular.
 */
function shiftRuns(T: number, shift: number, wrap: boolean): Array<[number, number, number]> {
  if (wrap) {
    const s = ((shift % T) + T) % T;
    return s === 0 ? [[0, T, 0]] : [[T - s, s, 0], [0, T - s, 0]];
  }
  if (shift === 0) return [[0, T, 0]];
  if (Math.abs(shift) >= T) return [[0, T, 1]];
  return shift > 0 ? [[0, shift, 1], [0, T - shift, 0]] : [[-shift, T + shift, 0], [0, -shift, 1]];
}

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
 * leads together (slices on cpu, one gather elsewhere).
 * Random draws: `batch` gates, then one shift per sample.
 * @param opts see {@link TimeShiftOptions}; `fs` is required.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `fs` is missing or an option is out of range.
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = timeShift({ fs: 500, maxShiftSec: 0.2, mode: 'wrap' })(x, createRng(0));
 */
export function timeShift(opts: TimeShiftOptions): Augmentation {
  const fn = 'timeShift';
  opts = checkOptions(opts, optionKeys<TimeShiftOptions>()('fs', 'maxShiftSec', 'mode', 'prob'), fn);
  const fs = checkFs(opts?.fs, fn, 'opts.fs');
  const maxShift = Math.round(checkNonNegative(opts.maxShiftSec ?? 0.1, fn, 'opts.maxShiftSec', 's') * fs);
  const mode = checkOneOf(opts.mode ?? 'zero', ['zero', 'wrap'] as const, fn, 'opts.mode');
  const prob = checkProb(opts.prob ?? 1, fn);
  return gatedAugmentation(fn, prob, (x, rng, gates, [B]) => {
    const shifts: number[] = [];
    for (let b = 0; b < B; b++) {
      const s = rng.int(2 * maxShift + 1) - maxShift;
      shifts.push(gates[b] ? s : 0);
    }
    const T = x.shape[1];
    return tf.tidy(() => reindexTime(x, shifts.map((s) => shiftRuns(T, s, mode === 'wrap')), T));
  });
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
 * Crops a window of `lengthSec` seconds at a random start per sample (slices on cpu, one gather elsewhere).
 * Random draws: `batch` gates, then one start per sample.
 * @param opts see {@link RandomCropOptions}; `fs` and `lengthSec` are required.
 * @returns an {@link Augmentation} mapping `[batch, time, leads]` to `[batch, round(lengthSec·fs), leads]`.
 * @throws {BeatSslError} when `fs` or `lengthSec` is missing, or the crop is longer than the input (at call).
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = randomCrop({ fs: 500, lengthSec: 2.5 })(x, createRng(0)); // [B, 1250, 12]
 */
export function randomCrop(opts: RandomCropOptions): Augmentation {
  const fn = 'randomCrop';
  opts = checkOptions(opts, optionKeys<RandomCropOptions>()('fs', 'lengthSec', 'prob'), fn);
  const fs = checkFs(opts?.fs, fn, 'opts.fs');
  const len = Math.round(checkPositive(opts.lengthSec, fn, 'opts.lengthSec', 's') * fs);
  check(len >= 1, fn, 'opts.lengthSec', `at least one sample at fs = ${fs} Hz`, opts.lengthSec);
  const prob = checkProb(opts.prob ?? 1, fn);
  return (x, rng) => {
    checkBatch(x, fn, rng);
    const [B, T] = x.shape;
    check(len <= T, fn, 'x', `at least ${len} samples long (lengthSec · fs)`, x);
    const gates = drawGates(rng, B, prob);
    const starts: number[] = [];
    for (let b = 0; b < B; b++) {
      const s = rng.int(T - len + 1);
      starts.push(gates[b] ? s : Math.floor((T - len) / 2));
    }
    return tf.tidy(() => reindexTime(x, starts.map((s) => [[s, len, 0]]), len));
  };
}
