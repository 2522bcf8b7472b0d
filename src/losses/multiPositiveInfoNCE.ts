/**
 * Multi-positive InfoNCE (supervised-contrastive, SupCon "L_out").
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  checkStack,
  checkTemperature,
  cosineLogits,
  targetCrossEntropy,
  toSquare,
  validity,
  type ValidMaskInput,
} from './_internal/contrastive';

/** Options of {@link multiPositiveInfoNCE}. */
export interface MultiPositiveInfoNCEOptions {
  /** Temperature τ of the logits `cos / τ`. Default 0.1. */
  temperature?: number;
  /** Validity of each row, length 2N (or N, duplicated); padded rows/columns are excluded everywhere. Default: all valid. */
  validMask?: ValidMaskInput;
}

/**
 * Multi-positive InfoNCE (Khosla et al. 2020, SupCon `L_out`): anchor `i` has loss
 * `−(1/|P(i)|) Σ_{p∈P(i)} log softmax_{j≠i}(s_ij)[p]` with `s_ij = cos(z_i, z_j)/τ` and `P(i)` the
 * valid `j ≠ i` with `positiveMask[i][j] > 0`; the mean is over valid anchors with at least one
 * positive. Differentiable, log-sum-exp based.
 * @param z embeddings `[2N, d]`, rows `i` and `i + N` being the two views of record `i`.
 * @param positiveMask `[2N, 2N]`, non-zero where `j` is a positive of `i` (e.g. `classTargets(labels)`); the diagonal is ignored.
 * @param opts see {@link MultiPositiveInfoNCEOptions}.
 * @returns a scalar tensor (nats).
 * @throws {BeatSslError} when shapes disagree or the temperature is not positive.
 * @example
 * const zBeats = tf.randomNormal([12, 16]) as tf.Tensor2D; // 6 beats × 2 views
 * const loss = multiPositiveInfoNCE(zBeats, classTargets([0, 0, 1, 0, 2, 1]));
 */
export function multiPositiveInfoNCE(
  z: tf.Tensor2D,
  positiveMask: tf.Tensor2D | ArrayLike<ArrayLike<number>>,
  opts: MultiPositiveInfoNCEOptions = {},
): tf.Scalar {
  const fn = 'multiPositiveInfoNCE';
  const M = checkStack(z, fn);
  const tau = checkTemperature(opts.temperature ?? 0.1, fn);
  return tf.tidy(() => {
    const logits = cosineLogits(z, tau);
    const { valid, pair } = validity(opts.validMask, M, fn);
    const pos = tf.mul(tf.cast(tf.notEqual(toSquare(positiveMask, M, fn, 'positiveMask'), 0), 'float32'), pair);
    // −(1/|P(i)|) Σ_p log softmax(s_i)[p]: the row-normalised cross-entropy with 0/1 targets.
    return targetCrossEntropy(logits, pos as tf.Tensor2D, pair, valid, true);
  });
}
