/**
 * InfoNCE with soft targets (row-normalised cross-entropy, SoftCLT-style weighted sum, or
 * per-pair sigmoid BCE).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkOneOf } from '../core/errors';
import {
  checkStack,
  checkTemperature,
  cosineLogits,
  meanOverAnchors,
  targetCrossEntropy,
  toSquare,
  validity,
  type ValidMaskInput,
} from './_internal/contrastive';

/** Normalisations of {@link softInfoNCE}. */
export const SOFT_INFONCE_NORMALIZATIONS = ['row', 'weighted', 'sigmoid'] as const;
/** A normalisation of {@link softInfoNCE}. */
export type SoftInfoNCENormalization = (typeof SOFT_INFONCE_NORMALIZATIONS)[number];

/** Options of {@link softInfoNCE}. */
export interface SoftInfoNCEOptions {
  /** Temperature τ of the logits `cos / τ`. Default 0.1. */
  temperature?: number;
  /**
   * - `'row'` (default): cross-entropy between the row-normalised targets and `softmax_{j≠i}(s_ij)`.
   * - `'weighted'`: un-normalised `Σ_j t_ij · (−log softmax_{j≠i}(s_ij))` (SoftCLT style).
   * - `'sigmoid'`: per-pair binary cross-entropy `BCE(t_ij, σ(s_ij + bias))` summed over j ≠ i (SigLIP style).
   */
  normalization?: SoftInfoNCENormalization;
  /** Bias of the `'sigmoid'` logits: a number, or a scalar tensor/`tf.Variable` to learn it. Default `−1/τ`. */
  bias?: number | tf.Scalar;
  /** Validity of each row, length 2N (or N, duplicated); padded rows/columns are excluded everywhere. Default: all valid. */
  validMask?: ValidMaskInput;
}

/**
 * Contrastive loss with soft targets over the stacked embeddings of two views. Logits
 * `s_ij = cos(z_i, z_j) / τ`; self-pairs and padded rows/columns are excluded from the softmax
 * and from the targets (the target diagonal is ignored). The loss is the mean over the *active*
 * anchors: valid anchors with a positive target mass for `'row'` and `'weighted'`, all valid
 * anchors for `'sigmoid'`. With one-hot targets on the other view (`pairTargets`), `'row'`
 * equals {@link ntXent}. Uses log-sum-exp / softplus, so it stays finite at τ = 0.01 and for
 * identical embeddings; differentiable (use inside `tf.grad` or `optimizer.minimize`).
 * @param z embeddings `[2N, d]`, rows `i` and `i + N` being the two views of record `i`.
 * @param targets `[2N, 2N]` with values in [0, 1] (e.g. `softTargets`, `pairTargets`, `classTargets`); not checked element-wise.
 * @param opts see {@link SoftInfoNCEOptions}.
 * @returns a scalar tensor (nats).
 * @throws {BeatSslError} when shapes disagree or an option is out of range.
 * @example
 * const z = tf.randomNormal([8, 16]) as tf.Tensor2D; // [2N, d], N = 4
 * const phi = tf.randomNormal([4, 10]) as tf.Tensor2D; // [N, F] z-scored record features
 * const targets = softTargets(phi, { similarity: 'cosine', exponent: 50 }); // [2N, 2N]
 * const loss = softInfoNCE(z, targets, { temperature: 0.1 });
 */
export function softInfoNCE(
  z: tf.Tensor2D,
  targets: tf.Tensor2D | ArrayLike<ArrayLike<number>>,
  opts: SoftInfoNCEOptions = {},
): tf.Scalar {
  const fn = 'softInfoNCE';
  const M = checkStack(z, fn);
  const tau = checkTemperature(opts.temperature ?? 0.1, fn);
  const normalization = checkOneOf(opts.normalization ?? 'row', SOFT_INFONCE_NORMALIZATIONS, fn, 'opts.normalization');
  const bias = opts.bias ?? -1 / tau;
  check(
    (typeof bias === 'number' && Number.isFinite(bias)) || (bias instanceof tf.Tensor && bias.size === 1),
    fn,
    'opts.bias',
    'a finite number or a scalar tensor',
    bias,
  );
  return tf.tidy(() => {
    const logits = cosineLogits(z, tau);
    const { valid, pair } = validity(opts.validMask, M, fn);
    const t = tf.mul(toSquare(targets, M, fn, 'targets'), pair) as tf.Tensor2D;
    if (normalization === 'sigmoid') {
      const l = tf.add(logits, typeof bias === 'number' ? bias : tf.reshape(bias, []));
      // BCE with logits: softplus(l) − t·l (tf.softplus is overflow-safe and its gradient is σ(l),
      // also at l = 0, where a max(l, 0) + log1p(e^{−|l|}) form would give a kinked gradient).
      const bce = tf.sub(tf.softplus(l), tf.mul(t, l));
      return meanOverAnchors(tf.sum(tf.mul(bce, pair), 1) as tf.Tensor1D, valid);
    }
    return targetCrossEntropy(logits, t, pair, valid, normalization === 'row');
  });
}
