/**
 * TS2Vec's hierarchical contrastive loss (Yue et al., "TS2Vec: Towards Universal Representation of
 * Time Series", AAAI 2022), for per-timestamp representations of two overlapping crops.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkRange, checkInt } from '../core/errors';

/** Logit for excluded (self) pairs before the softmax. */
const EXCLUDED = -1e9;

function checkPair(z1: unknown, z2: unknown, fn: string): [number, number, number] {
  check(z1 instanceof tf.Tensor && z1.rank === 3, fn, 'z1', 'a tensor [batch, time, channels]', z1);
  check(z2 instanceof tf.Tensor && z2.rank === 3, fn, 'z2', `a tensor [${(z1 as tf.Tensor).shape.join(', ')}] like z1`, z2);
  const [b, t, c] = (z1 as tf.Tensor3D).shape;
  const s2 = (z2 as tf.Tensor3D).shape;
  check(s2[0] === b && s2[1] === t && s2[2] === c, fn, 'z2', `a tensor [${b}, ${t}, ${c}] like z1`, z2);
  check(t >= 1 && b >= 1, fn, 'z1', 'non-empty in batch and time', z1);
  return [b, t, c];
}

/**
 * Contrastive loss over `[groups, 2K, C]` where row `k` and row `k + K` of each group are positives and
 * every other row of the same group is a negative (dot-product similarity, self excluded). Mean over
 * groups and all 2K anchors.
 */
function pairedGroupLoss(z: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const [, m] = z.shape;
    const k = m / 2;
    const sim = tf.matMul(z, tf.transpose(z, [0, 2, 1])); // [G, 2K, 2K]
    const eye = tf.reshape(tf.eye(m), [1, m, m]);
    const masked = tf.where(tf.greater(eye, 0.5), tf.fill(sim.shape, EXCLUDED), sim);
    const lse = tf.logSumExp(masked, 2); // [G, 2K]
    // Other view of row i is row (i + K) mod 2K: a roll by K (slice + concat, not gather: the gather
    // gradient needs UnsortedSegmentSum, which the tfjs 4.22 wasm backend lacks).
    const [g, , c] = z.shape;
    const rolled = tf.concat([tf.slice(z, [0, k, 0], [g, k, c]), tf.slice(z, [0, 0, 0], [g, k, c])], 1);
    const positive = tf.sum(tf.mul(z, rolled), 2); // [G, 2K]
    return tf.mean(tf.sub(lse, positive)) as tf.Scalar;
  });
}

/**
 * TS2Vec instance-wise contrastive loss: at each timestamp, the two crops' representations of the
 * same series are positives; the other series of the batch (both crops) are negatives.
 * Similarity is the dot product (no normalisation, no temperature), as in TS2Vec.
 * @param z1 representations of crop 1 on the overlap, `[batch, time, channels]`.
 * @param z2 representations of crop 2 on the overlap, same shape.
 * @returns scalar tensor (nats); 0 when `batch === 1`.
 * @throws {BeatSslError} when the shapes differ or are not rank 3.
 * @example
 * const loss = instanceContrastiveLoss(z1, z2); // z1, z2: [8, 100, 320]
 */
export function instanceContrastiveLoss(z1: tf.Tensor3D, z2: tf.Tensor3D): tf.Scalar {
  const [b] = checkPair(z1, z2, 'instanceContrastiveLoss');
  if (b === 1) return tf.scalar(0);
  return tf.tidy(() => pairedGroupLoss(tf.transpose(tf.concat([z1, z2], 0), [1, 0, 2]) as tf.Tensor3D));
}

/**
 * TS2Vec temporal contrastive loss: within each series, the two crops' representations at the same
 * timestamp are positives; the other timestamps of the same series (both crops) are negatives.
 * @param z1 `[batch, time, channels]` (crop 1 on the overlap).
 * @param z2 same shape (crop 2 on the overlap).
 * @returns scalar tensor (nats); 0 when `time === 1`.
 * @throws {BeatSslError} when the shapes differ or are not rank 3.
 * @example
 * const loss = temporalContrastiveLoss(z1, z2);
 */
export function temporalContrastiveLoss(z1: tf.Tensor3D, z2: tf.Tensor3D): tf.Scalar {
  const [, t] = checkPair(z1, z2, 'temporalContrastiveLoss');
  if (t === 1) return tf.scalar(0);
  return tf.tidy(() => pairedGroupLoss(tf.concat([z1, z2], 1) as tf.Tensor3D));
}

/**
 * Halves the time axis by max pooling with kernel 2 and stride 2 (an odd last step is dropped),
 * as between the levels of {@link hierarchicalContrastiveLoss}.
 * @param z representations `[batch, time, channels]` with `time ≥ 2`.
 * @returns a new tensor `[batch, floor(time / 2), channels]` (the input is not disposed).
 * @throws {BeatSslError} if `z` is not a rank-3 tensor with at least 2 timestamps.
 * @example
 * const z = tf.tensor3d([[[1], [3], [2], [0], [5]]]); // [1, 5, 1]
 * maxPoolTime2(z).dataSync(); // Float32Array [3, 2]
 */
export function maxPoolTime2(z: tf.Tensor3D): tf.Tensor3D {
  check(z instanceof tf.Tensor && z.rank === 3 && z.shape[0] >= 1 && z.shape[1] >= 2, 'maxPoolTime2', 'z', 'a tensor [batch ≥ 1, time ≥ 2, channels]', z);
  return tf.tidy(() => {
    const [b, t, c] = z.shape;
    const even = t - (t % 2);
    const x = even === t ? z : tf.slice(z, [0, 0, 0], [b, even, c]);
    return tf.max(tf.reshape(x, [b, even / 2, 2, c]), 2) as tf.Tensor3D;
  });
}

/** Options of {@link hierarchicalContrastiveLoss}. */
export interface HierarchicalContrastiveOptions {
  /** Weight α of the instance-wise term; the temporal term has weight 1 − α. Default 0.5. */
  alpha?: number;
  /** Temporal terms start from this pooling level (0 = the finest). Default 0. */
  temporalUnit?: number;
}

/**
 * TS2Vec hierarchical contrastive loss: the instance-wise and temporal losses are computed on the
 * representations, which are then max-pooled along time (kernel 2) and the losses computed again,
 * until one timestamp is left; the result is the mean over levels of
 * `α·L_inst + (1 − α)·L_temp` (temporal term only from level `temporalUnit`; at the last,
 * one-timestamp level only the instance term).
 * @param z1 crop-1 representations on the overlapping span, `[batch, time, channels]`.
 * @param z2 crop-2 representations on the same span, same shape.
 * @param opts see {@link HierarchicalContrastiveOptions}.
 * @returns scalar tensor (nats), differentiable.
 * @throws {BeatSslError} on mismatched shapes, `alpha` outside [0, 1] or a negative `temporalUnit`.
 * @example
 * const loss = hierarchicalContrastiveLoss(z1, z2, { alpha: 0.5 });
 */
export function hierarchicalContrastiveLoss(z1: tf.Tensor3D, z2: tf.Tensor3D, opts: HierarchicalContrastiveOptions = {}): tf.Scalar {
  const fn = 'hierarchicalContrastiveLoss';
  checkPair(z1, z2, fn);
  const alpha = checkRange(opts.alpha ?? 0.5, fn, 'opts.alpha', 0, 1);
  const temporalUnit = checkInt(opts.temporalUnit ?? 0, fn, 'opts.temporalUnit', 0);
  return tf.tidy(() => {
    let a = z1;
    let b = z2;
    let total: tf.Scalar = tf.scalar(0);
    let levels = 0;
    while (a.shape[1] > 1) {
      if (alpha !== 0) total = tf.add(total, tf.mul(alpha, instanceContrastiveLoss(a, b)));
      if (levels >= temporalUnit && alpha !== 1) total = tf.add(total, tf.mul(1 - alpha, temporalContrastiveLoss(a, b)));
      levels++;
      a = maxPoolTime2(a);
      b = maxPoolTime2(b);
    }
    if (a.shape[1] === 1) {
      if (alpha !== 0) total = tf.add(total, tf.mul(alpha, instanceContrastiveLoss(a, b)));
      levels++;
    }
    return tf.div(total, levels) as tf.Scalar;
  });
}
