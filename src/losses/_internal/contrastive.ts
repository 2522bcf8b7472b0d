/**
 * Shared pieces of the contrastive losses: argument checks, cosine logits, pair/anchor masks and
 * the masked log-softmax over j ≠ i (log-sum-exp, never −Inf or NaN).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, fail } from '../../core/errors';
import type { ValidMaskInput } from '../targets';

export type { ValidMaskInput };

/** Logit given to excluded pairs (self, padded rows/columns) before the softmax. */
export const EXCLUDED_LOGIT = -1e9;

/** Checks an embedding stack `[2N, d]` and returns `2N`. */
export function checkStack(z: unknown, fn: string, arg = 'z'): number {
  check(z instanceof tf.Tensor && z.rank === 2 && z.shape[0] >= 2 && z.shape[0] % 2 === 0 && z.shape[1] >= 1, fn, arg, 'a tensor [2N, d] with an even number of rows ≥ 2 (the two views stacked)', z);
  return z.shape[0];
}

/** Checks a temperature. */
export function checkTemperature(t: unknown, fn: string): number {
  check(typeof t === 'number' && Number.isFinite(t) && t > 0, fn, 'opts.temperature', 'a finite positive number', t);
  return t;
}

/** Converts a `[M, M]` matrix argument (tensor or nested array) to a float32 tensor (inside a tidy). */
export function toSquare(m: tf.Tensor2D | ArrayLike<ArrayLike<number>>, M: number, fn: string, arg: string): tf.Tensor2D {
  const t = m instanceof tf.Tensor ? m : Array.isArray(m) ? tf.tensor2d(m as number[][]) : fail(fn, arg, `a tensor or array [${M}, ${M}]`, m);
  check(t.rank === 2 && t.shape[0] === M && t.shape[1] === M, fn, arg, `a matrix [${M}, ${M}] (2N × 2N)`, t);
  return (t.dtype === 'float32' ? t : tf.cast(t, 'float32')) as tf.Tensor2D;
}

/** Row-wise L2 normalisation `z / max(‖z‖, 1e-12)` (differentiable, finite for zero rows). */
export function l2Normalize(z: tf.Tensor2D): tf.Tensor2D {
  const ss = tf.sum(tf.square(z), 1, true);
  return tf.mul(z, tf.rsqrt(tf.maximum(ss, 1e-24))) as tf.Tensor2D;
}

/** Cosine-similarity logits `ẑ ẑᵀ / τ`, `[M, M]`. */
export function cosineLogits(z: tf.Tensor2D, temperature: number): tf.Tensor2D {
  const zn = l2Normalize(z.dtype === 'float32' ? z : (tf.cast(z, 'float32') as tf.Tensor2D));
  return tf.div(tf.matMul(zn, zn, false, true), temperature) as tf.Tensor2D;
}

/**
 * The validity vector `valid [M]` (1 valid, 0 padded) from a mask of length M or M/2 (duplicated),
 * or all ones, and `pair [M, M] = valid[i] · valid[j] · (i ≠ j)`. Built in JS when the mask is an
 * array or absent (no broadcast kernels); never reads a tensor's data (safe inside `tf.grad`).
 */
export function validity(validMask: ValidMaskInput | undefined, M: number, fn: string): { valid: tf.Tensor1D; pair: tf.Tensor2D } {
  const expected = `a vector of length ${M} (2N) or ${M / 2} (N, duplicated)`;
  if (!(validMask instanceof tf.Tensor)) {
    let v: Float32Array;
    if (validMask === undefined) v = new Float32Array(M).fill(1);
    else {
      check(validMask !== null && typeof validMask === 'object' && typeof validMask.length === 'number', fn, 'opts.validMask', expected, validMask);
      check(validMask.length === M || validMask.length === M / 2, fn, 'opts.validMask', expected, validMask);
      v = new Float32Array(M);
      for (let i = 0; i < M; i++) v[i] = validMask[i % validMask.length] ? 1 : 0;
    }
    const pair = new Float32Array(M * M);
    for (let i = 0; i < M; i++) {
      if (!v[i]) continue;
      for (let j = 0; j < M; j++) if (v[j] && j !== i) pair[i * M + j] = 1;
    }
    return { valid: tf.tensor1d(v), pair: tf.tensor2d(pair, [M, M]) };
  }
  check(validMask.rank === 1 && (validMask.shape[0] === M || validMask.shape[0] === M / 2), fn, 'opts.validMask', expected, validMask);
  let v = tf.cast(tf.greater(validMask, 0), 'float32') as tf.Tensor1D;
  if (v.shape[0] === M / 2) v = tf.concat([v, v]);
  const outer = tf.mul(tf.reshape(v, [M, 1]), tf.reshape(v, [1, M]));
  return { valid: v, pair: tf.mul(outer, tf.sub(1, tf.eye(M))) as tf.Tensor2D };
}

/**
 * `log softmax_j(logits[i, j])` over the pairs allowed by `pair` (a 0/1 matrix). Excluded entries
 * of the result are exactly 0 (so they can be multiplied by targets), and they get no gradient.
 */
export function maskedLogSoftmax(logits: tf.Tensor2D, pair: tf.Tensor2D): tf.Tensor2D {
  const allowed = tf.greater(pair, 0);
  const masked = tf.where(allowed, logits, tf.fill(logits.shape, EXCLUDED_LOGIT));
  const logp = tf.logSoftmax(masked, -1);
  return tf.where(allowed, logp, tf.zerosLike(logp)) as tf.Tensor2D;
}

/**
 * Cross-entropy of `softmax_{j≠i}(logits)` against targets `t` `[M, M]` (already zero outside
 * `pair`), averaged over the valid anchors with a positive target mass. `rowNormalize`: divide each
 * row of `t` by its mass first (InfoNCE / multi-positive); otherwise a weighted sum (SoftCLT style).
 */
export function targetCrossEntropy(logits: tf.Tensor2D, t: tf.Tensor2D, pair: tf.Tensor2D, valid: tf.Tensor1D, rowNormalize: boolean): tf.Scalar {
  const M = logits.shape[0];
  const logp = maskedLogSoftmax(logits, pair);
  const mass = tf.sum(t, 1, true);
  const w = rowNormalize ? tf.div(t, tf.maximum(mass, 1e-12)) : t;
  const perAnchor = tf.neg(tf.sum(tf.mul(w, logp), 1)) as tf.Tensor1D;
  const active = tf.mul(valid, tf.cast(tf.greater(tf.reshape(mass, [M]), 0), 'float32')) as tf.Tensor1D;
  return meanOverAnchors(perAnchor, active);
}

/** Mean of `perAnchor` over anchors with `weight > 0` (0 when there are none). */
export function meanOverAnchors(perAnchor: tf.Tensor1D, active: tf.Tensor1D): tf.Scalar {
  const n = tf.sum(active);
  return tf.div(tf.sum(tf.mul(perAnchor, active)), tf.maximum(n, 1)) as tf.Scalar;
}
