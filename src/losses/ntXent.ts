/**
 * NT-Xent (SimCLR) contrastive loss with hard targets.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  EXCLUDED_LOGIT,
  checkStack,
  checkTemperature,
  l2Normalize,
  meanOverAnchors,
  validity,
  type ValidMaskInput,
} from './_internal/contrastive';

/** Options of {@link ntXent}. */
export interface NtXentOptions {
  /** Softmax temperature τ. Default 0.1. */
  temperature?: number;
  /**
   * Validity of each row, length 2N (or N, duplicated over the views); 0/false marks padding.
   * Invalid rows are removed from every softmax; anchors whose own row or other view is invalid
   * do not count in the mean. Default: all valid.
   */
  validMask?: ValidMaskInput;
}

/**
 * NT-Xent loss (SimCLR, Chen et al. 2020) over the stacked embeddings of two views.
 * With `s_ij = cos(z_i, z_j) / τ`, anchor `i` has loss `−log( e^{s_{i,p(i)}} / Σ_{j≠i} e^{s_ij} )`
 * where `p(i) = (i + N) mod 2N` is its other view; the result is the mean over the 2N anchors.
 * Computed with log-sum-exp; differentiable (use inside `tf.grad` or `optimizer.minimize`).
 * @param z embeddings `[2N, d]`, rows `i` and `i + N` being the two views of record `i` (need not be normalised).
 * @param opts see {@link NtXentOptions}.
 * @returns a scalar tensor (nats).
 * @throws {BeatSslError} when `z` is not `[2N, d]`, the temperature is not positive, or the mask has the wrong length.
 * @example
 * const z = tf.randomNormal([8, 16]) as tf.Tensor2D; // [2N, d]: views 1 of N = 4 records, then views 2
 * const loss = ntXent(z, { temperature: 0.1 }); // scalar, ≈ log(2N − 1) for random z
 */
export function ntXent(z: tf.Tensor2D, opts: NtXentOptions = {}): tf.Scalar {
  const fn = 'ntXent';
  const M = checkStack(z, fn);
  const tau = checkTemperature(opts.temperature ?? 0.1, fn);
  return tf.tidy(() => {
    const zn = l2Normalize(z.dtype === 'float32' ? z : (tf.cast(z, 'float32') as tf.Tensor2D));
    const { valid, pair } = validity(opts.validMask, M, fn);
    const logits = tf.div(tf.matMul(zn, zn, false, true), tau);
    const masked = tf.where(tf.greater(pair, 0), logits, tf.fill([M, M], EXCLUDED_LOGIT));
    const lse = tf.logSumExp(masked, 1);
    // Other view of every row, by swapping the two halves (slice/concat: differentiable on every
    // backend, unlike gather whose gradient needs UnsortedSegmentSum).
    const half = M / 2;
    const swap = <T extends tf.Tensor>(t: T): T => tf.concat([tf.slice(t, [half], [half]), tf.slice(t, [0], [half])]) as T;
    const positive = tf.div(tf.sum(tf.mul(zn, swap(zn)), 1), tau);
    const active = tf.mul(valid, swap(valid)) as tf.Tensor1D;
    return meanOverAnchors(tf.sub(lse, positive) as tf.Tensor1D, active);
  });
}
