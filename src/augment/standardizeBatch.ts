/**
 * Per-lead standardisation of a batch of views on tensors, the last step of making a view: each
 * lead of each record is z-scored over its visible (unmasked) samples, as downstream inputs are
 * z-scored per lead, and masked samples stay 0.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check } from '../core/errors';

/** Smallest scale used as divisor (a flat lead becomes all zeros), as `standardizeSignal`'s default eps. */
const EPS = 1e-8;

/**
 * Z-scores every lead of every record of a batch: `(x − mean) / max(std, 1e-8)` with mean and
 * population std over the samples where `keep` is 1; samples where `keep` is 0 become 0.
 * @param x `[batch, time, leads]` (e.g. mV after 3KG)
 * @param keep optional 0/1 mask of the same shape (e.g. a view's time mask); default all ones
 * @returns a new `[batch, time, leads]` tensor, dimensionless
 * @throws {BeatSslError} when shapes disagree
 * @example
 * const z = standardizeBatch(tf.randomNormal([2, 800, 12]) as tf.Tensor3D); // mean 0, std 1 per lead
 */
export function standardizeBatch(x: tf.Tensor3D, keep?: tf.Tensor3D): tf.Tensor3D {
  const fn = 'standardizeBatch';
  check(x instanceof tf.Tensor && x.rank === 3 && x.shape[0] >= 1 && x.shape[1] >= 1, fn, 'x', 'a tensor [batch ≥ 1, time ≥ 1, leads]', x);
  if (keep !== undefined) check(keep instanceof tf.Tensor && keep.rank === 3 && keep.shape.every((d, i) => d === x.shape[i]), fn, 'keep', `a 0/1 tensor of shape [${x.shape.join(', ')}]`, keep);
  return tf.tidy(() => {
    const xf = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    if (!keep) {
      const { mean, variance } = tf.moments(xf, 1, true);
      return tf.div(tf.sub(xf, mean), tf.maximum(tf.sqrt(variance), EPS)) as tf.Tensor3D;
    }
    const n = tf.maximum(tf.sum(keep, 1, true), 1);
    const mean = tf.div(tf.sum(tf.mul(xf, keep), 1, true), n);
    const d = tf.mul(tf.sub(xf, mean), keep);
    const sd = tf.sqrt(tf.div(tf.sum(tf.square(d), 1, true), n));
    return tf.div(d, tf.maximum(sd, EPS)) as tf.Tensor3D;
  });
}
