/**
 * Amplitude scaling augmentation.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check } from '../core/errors';
import type { Augmentation } from './compose';
import { checkPair, checkProb, expandFull, gatedAugmentation } from './_internal/gate';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Options of {@link amplitudeScale}. */
export interface AmplitudeScaleOptions {
  /** Factors are drawn uniformly in `[range[0], range[1])`. Default `[0.8, 1.2]`. */
  range?: readonly [number, number];
  /** One factor per lead (`true`) or one per sample for all leads (`false`, default). */
  perLead?: boolean;
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Multiplies each sample (or each lead of each sample) by a random factor.
 * Random draws: `batch` gates, then per sample 1 factor (or `leads` factors when `perLead`).
 * @param opts see {@link AmplitudeScaleOptions}.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `range` is not an ordered pair of positive numbers or `prob` is out of range.
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = amplitudeScale({ range: [0.5, 2], perLead: true })(x, createRng(0));
 */
export function amplitudeScale(opts: AmplitudeScaleOptions = {}): Augmentation {
  const fn = 'amplitudeScale';
  opts = checkOptions(opts, optionKeys<AmplitudeScaleOptions>()('range', 'perLead', 'prob'), fn);
  const [lo, hi] = checkPair(opts.range ?? [0.8, 1.2], fn, 'opts.range', true);
  const perLead = opts.perLead ?? false;
  check(typeof perLead === 'boolean', fn, 'opts.perLead', 'true or false', perLead);
  const prob = checkProb(opts.prob ?? 1, fn);
  return gatedAugmentation(fn, prob, (x, rng, gates, [B, T, L]) => {
    const C = perLead ? L : 1;
    const f = new Float32Array(B * C);
    for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) f[b * C + c] = gates[b] ? rng.uniform(lo, hi) : (rng.next(), 1);
    return tf.tidy(() => tf.mul(x, tf.tensor3d(expandFull(f, 1, C, [B, T, L]), [B, T, L])) as tf.Tensor3D);
  });
}
