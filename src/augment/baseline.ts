/**
 * Baseline augmentations: low-frequency wander and constant offsets.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkFs, checkInt } from '../core/errors';
import type { Augmentation } from './compose';
import { checkNonNegative, checkPair, checkProb, expandFull, gatedAugmentation } from './_internal/gate';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Options of {@link baselineWander}. */
export interface BaselineWanderOptions {
  /** Sampling rate in Hz (required). */
  fs: number;
  /** Maximum amplitude of each sinusoidal component in mV (input units). Default 0.1. */
  amplitudeMv?: number;
  /** Frequency range of the components in Hz (respiration and movement). Default `[0.05, 0.5]`. */
  freqRangeHz?: readonly [number, number];
  /** Number of sinusoidal components summed. Default 2. */
  components?: number;
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Adds baseline wander: a sum of `components` sinusoids with per-sample frequencies in
 * `freqRangeHz` and phases, and per-lead amplitudes uniform in [0, amplitudeMv).
 * Random draws: `batch` gates, then per sample and component: frequency, phase, `leads` amplitudes.
 * @param opts see {@link BaselineWanderOptions}; `fs` is required.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `fs` is missing, the frequency range is not within (0, fs/2), or another option is out of range.
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = baselineWander({ fs: 500, amplitudeMv: 0.2 })(x, createRng(0));
 */
export function baselineWander(opts: BaselineWanderOptions): Augmentation {
  const fn = 'baselineWander';
  opts = checkOptions(opts, optionKeys<BaselineWanderOptions>()('fs', 'amplitudeMv', 'freqRangeHz', 'components', 'prob'), fn);
  const fs = checkFs(opts?.fs, fn, 'opts.fs');
  const amp = checkNonNegative(opts.amplitudeMv ?? 0.1, fn, 'opts.amplitudeMv', 'mV');
  const [f0, f1] = checkPair(opts.freqRangeHz ?? [0.05, 0.5], fn, 'opts.freqRangeHz', true);
  check(f1 < fs / 2, fn, 'opts.freqRangeHz', `below fs/2 = ${fs / 2} Hz`, opts.freqRangeHz);
  const K = checkInt(opts.components ?? 2, fn, 'opts.components', 1, 16);
  const prob = checkProb(opts.prob ?? 1, fn);
  return gatedAugmentation(fn, prob, (x, rng, gates, [B, T, L]) => {
    const wander = new Float32Array(B * T * L);
    const amps = new Float64Array(L);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        const omega = (2 * Math.PI * rng.uniform(f0, f1)) / fs;
        const phase = rng.uniform(0, 2 * Math.PI);
        for (let l = 0; l < L; l++) amps[l] = gates[b] ? rng.uniform(0, amp) : (rng.next(), 0);
        if (!gates[b]) continue;
        for (let t = 0; t < T; t++) {
          const s = Math.sin(omega * t + phase);
          for (let l = 0, i = (b * T + t) * L; l < L; l++, i++) wander[i] += s * amps[l];
        }
      }
    }
    return tf.tidy(() => tf.add(x, tf.tensor3d(wander, [B, T, L])) as tf.Tensor3D);
  });
}

/** Options of {@link baselineShift}. */
export interface BaselineShiftOptions {
  /** Offsets are drawn uniformly in `[−maxShiftMv, maxShiftMv)` per sample and lead. Default 0.2 mV. */
  maxShiftMv?: number;
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Adds a constant offset (DC shift) per sample and lead.
 * Random draws: `batch` gates, then `leads` offsets per sample.
 * @param opts see {@link BaselineShiftOptions}.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `maxShiftMv` or `prob` is out of range.
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = baselineShift({ maxShiftMv: 0.5 })(x, createRng(0));
 */
export function baselineShift(opts: BaselineShiftOptions = {}): Augmentation {
  const fn = 'baselineShift';
  opts = checkOptions(opts, optionKeys<BaselineShiftOptions>()('maxShiftMv', 'prob'), fn);
  const max = checkNonNegative(opts.maxShiftMv ?? 0.2, fn, 'opts.maxShiftMv', 'mV');
  const prob = checkProb(opts.prob ?? 1, fn);
  return gatedAugmentation(fn, prob, (x, rng, gates, [B, T, L]) => {
    const off = new Float32Array(B * L);
    for (let b = 0; b < B; b++) for (let l = 0; l < L; l++) off[b * L + l] = gates[b] ? rng.uniform(-max, max) : (rng.next(), 0);
    return tf.tidy(() => tf.add(x, tf.tensor3d(expandFull(off, 1, L, [B, T, L]), [B, T, L])) as tf.Tensor3D);
  });
}
