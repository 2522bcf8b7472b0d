/**
 * The loss of P/QRS/T segmentation: masked cross-entropy plus an optional soft Dice term — the
 * objective `finetuneSegmenter` (any training loop) calls.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkRange } from '../core/errors';

/**
 * Cross-entropy + soft Dice loss of segmentation logits, both restricted to the samples whose
 * weight is 1 (e.g. the annotated span of a LUDB record):
 * `CE = −Σ w·log softmax(logits)[label] / max(Σ w, 1)`, and with `diceWeight > 0`
 * `+ diceWeight · (1 − mean over classes 1…K−1 of (2·|p∩y| + 1) / (|p| + |y| + 1))`.
 * @param logits `[batch, time, K]` class logits
 * @param labels `[batch, time]` class indices (int32 or float)
 * @param weights `[batch, time]` 1 where a sample counts, 0 elsewhere
 * @param diceWeight weight of the Dice term (default 1; 0 = cross-entropy only)
 * @returns scalar loss (dispose it, or call inside `tf.variableGrads`)
 * @throws if the shapes disagree or `diceWeight` is negative
 * @example
 * ```ts
 * const loss = segmentationLoss(seg.logits(x, { training: true }), labels, weights, 0);
 * ```
 */
export function segmentationLoss(logits: tf.Tensor3D, labels: tf.Tensor2D, weights: tf.Tensor2D, diceWeight = 1): tf.Scalar {
  const fn = 'segmentationLoss';
  check(logits instanceof tf.Tensor && logits.rank === 3 && logits.shape[0] >= 1 && logits.shape[1] >= 1, fn, 'logits', 'a tensor [batch ≥ 1, time ≥ 1, classes]', logits);
  check(labels instanceof tf.Tensor && labels.rank === 2 && labels.shape[0] === logits.shape[0] && labels.shape[1] === logits.shape[1], fn, 'labels', `a tensor [${logits.shape[0]}, ${logits.shape[1]}]`, labels);
  check(weights instanceof tf.Tensor && weights.rank === 2 && weights.shape[0] === logits.shape[0] && weights.shape[1] === logits.shape[1], fn, 'weights', `a tensor [${logits.shape[0]}, ${logits.shape[1]}]`, weights);
  checkRange(diceWeight, fn, 'diceWeight', 0, 1e6);
  return tf.tidy(() => {
    const K = logits.shape[2];
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), K);
    const w = tf.expandDims(weights, 2);
    const logp = tf.logSoftmax(logits);
    const n = tf.maximum(tf.sum(weights), 1);
    const ce = tf.div(tf.neg(tf.sum(tf.mul(tf.mul(onehot, logp), w))), n);
    if (diceWeight === 0) return ce as tf.Scalar;
    const p = tf.mul(tf.exp(logp), w);
    const t = tf.mul(onehot, w);
    const inter = tf.sum(tf.mul(p, t), [0, 1]);
    const denom = tf.add(tf.sum(p, [0, 1]), tf.sum(t, [0, 1]));
    const dice = tf.div(tf.add(tf.mul(2, inter), 1), tf.add(denom, 1));
    const waves = tf.slice(dice, [1], [K - 1]);
    return tf.add(ce, tf.mul(diceWeight, tf.sub(1, tf.mean(waves)))) as tf.Scalar;
  });
}
