/**
 * Masking augmentations: whole-lead dropout and time masks.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkFs, checkInt } from '../core/errors';
import type { Augmentation } from './compose';
import { checkNonNegative, checkProb, expandFull, gatedAugmentation } from './_internal/gate';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Options of {@link leadDropout}. */
export interface LeadDropoutOptions {
  /** Probability that each lead of an augmented sample is zeroed. Default 0.25. */
  leadProb?: number;
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Zeroes whole leads at random; at least one lead per sample is always kept.
 * Random draws: `batch` gates, then per sample `leads` Bernoulli draws and one fallback lead index.
 * @param opts see {@link LeadDropoutOptions}.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `leadProb` or `prob` is not in [0, 1].
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = leadDropout({ leadProb: 0.5 })(x, createRng(0));
 */
export function leadDropout(opts: LeadDropoutOptions = {}): Augmentation {
  const fn = 'leadDropout';
  opts = checkOptions(opts, optionKeys<LeadDropoutOptions>()('leadProb', 'prob'), fn);
  const leadProb = checkProb(opts.leadProb ?? 0.25, fn, 'opts.leadProb');
  const prob = checkProb(opts.prob ?? 1, fn);
  return gatedAugmentation(fn, prob, (x, rng, gates, [B, T, L]) => {
    const keep = new Float32Array(B * L).fill(1);
    for (let b = 0; b < B; b++) {
      let kept = 0;
      for (let l = 0; l < L; l++) {
        const drop = rng.bernoulli(leadProb) && gates[b];
        if (drop) keep[b * L + l] = 0;
        else kept++;
      }
      const fallback = rng.int(L);
      if (kept === 0) keep[b * L + fallback] = 1;
    }
    return tf.tidy(() => tf.mul(x, tf.tensor3d(expandFull(keep, 1, L, [B, T, L]), [B, T, L])) as tf.Tensor3D);
  });
}

/** Options of {@link timeMask}. */
export interface TimeMaskOptions {
  /** Sampling rate in Hz (required). */
  fs: number;
  /** Block lengths are integers drawn uniformly in `[0, round(maxDurationSec · fs)]` samples. Default 0.5 s. */
  maxDurationSec?: number;
  /** Number of blocks per sample (or per lead). Default 1. */
  count?: number;
  /** Independent blocks per lead (`true`) or the same block on all leads (`false`, default). */
  perLead?: boolean;
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Zeroes random contiguous time blocks (SpecAugment-style time masking; no wrapping).
 * Random draws: `batch` gates, then per sample, per lead (if `perLead`) and per block a length and a start.
 * @param opts see {@link TimeMaskOptions}; `fs` is required.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `fs` is missing or an option is out of range.
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = timeMask({ fs: 500, maxDurationSec: 0.3, count: 2 })(x, createRng(0));
 */
export function timeMask(opts: TimeMaskOptions): Augmentation {
  const fn = 'timeMask';
  opts = checkOptions(opts, optionKeys<TimeMaskOptions>()('fs', 'maxDurationSec', 'count', 'perLead', 'prob'), fn);
  const fs = checkFs(opts?.fs, fn, 'opts.fs');
  const maxLen = Math.round(checkNonNegative(opts.maxDurationSec ?? 0.5, fn, 'opts.maxDurationSec', 's') * fs);
  const count = checkInt(opts.count ?? 1, fn, 'opts.count', 0, 1000);
  const perLead = opts.perLead ?? false;
  check(typeof perLead === 'boolean', fn, 'opts.perLead', 'true or false', perLead);
  const prob = checkProb(opts.prob ?? 1, fn);
  return gatedAugmentation(fn, prob, (x, rng, gates, [B, T, L]) => {
    const C = perLead ? L : 1;
    const keep = new Float32Array(B * T * C).fill(1);
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < C; c++) {
        for (let k = 0; k < count; k++) {
          const len = Math.min(rng.int(maxLen + 1), T);
          const start = rng.int(T - len + 1);
          if (!gates[b]) continue;
          for (let t = start; t < start + len; t++) keep[(b * T + t) * C + c] = 0;
        }
      }
    }
    const full = C === L ? keep : expandFull(keep, T, 1, [B, T, L]);
    return tf.tidy(() => tf.mul(x, tf.tensor3d(full, [B, T, L])) as tf.Tensor3D);
  });
}
