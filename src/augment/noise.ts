/**
 * Additive noise augmentations: white Gaussian noise, EMG-like broadband noise and powerline
 * interference. Amplitudes are in the input's units (mV for raw ECG; for per-lead standardised
 * signals they are in units of the lead's standard deviation).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkFs } from '../core/errors';
import type { Augmentation } from './compose';
import { checkNonNegative, checkProb, gatedAugmentation } from './_internal/gate';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Standard deviation of the noise in mV (input units). Default 0.05. */
  stdMv?: number;
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Adds white Gaussian noise, independent per sample, time step and lead.
 * Random draws: `batch` gates, then `time · leads` normals per gated sample.
 * @param opts see {@link GaussianNoiseOptions}.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} on a negative `stdMv` or `prob` outside [0, 1] (at creation), on a bad `x` (at call).
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = gaussianNoise({ stdMv: 0.02 })(x, createRng(0));
 */
export function gaussianNoise(opts: GaussianNoiseOptions = {}): Augmentation {
  const fn = 'gaussianNoise';
  opts = checkOptions(opts, optionKeys<GaussianNoiseOptions>()('stdMv', 'prob'), fn);
  const std = checkNonNegative(opts.stdMv ?? 0.05, fn, 'opts.stdMv', 'mV');
  const prob = checkProb(opts.prob ?? 1, fn);
  return gatedAugmentation(fn, prob, (x, rng, gates, [B, T, L]) => {
    const noise = new Float32Array(B * T * L);
    const per = T * L;
    for (let b = 0; b < B; b++) {
      if (!gates[b]) continue;
      for (let i = b * per, end = i + per; i < end; i++) noise[i] = rng.normal(0, std);
    }
    return tf.tidy(() => tf.add(x, tf.tensor3d(noise, [B, T, L])) as tf.Tensor3D);
  });
}

/** Options of {@link emgNoise}. */
export interface EmgNoiseOptions {
  /** Sampling rate in Hz (required). */
  fs: number;
  /** RMS of the noise in mV (input units), per lead. Default 0.02. */
  stdMv?: number;
  /** High-pass corner of the noise spectrum in Hz (first-order). Default 20. */
  cutoffHz?: number;
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Adds EMG-like (muscle) noise: white Gaussian noise high-passed by a first-order filter at
 * `cutoffHz` and rescaled to RMS `stdMv` per sample and lead (a simple model of the broadband
 * electromyographic artefact; bursts are not modelled).
 * Random draws: `batch` gates, then `time · leads` normals per gated sample.
 * @param opts see {@link EmgNoiseOptions}; `fs` is required.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `fs` is missing, `cutoffHz` is not below `fs / 2`, or `stdMv`/`prob` are out of range.
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = emgNoise({ fs: 500, stdMv: 0.03 })(x, createRng(0));
 */
export function emgNoise(opts: EmgNoiseOptions): Augmentation {
  const fn = 'emgNoise';
  opts = checkOptions(opts, optionKeys<EmgNoiseOptions>()('fs', 'stdMv', 'cutoffHz', 'prob'), fn);
  const fs = checkFs(opts?.fs, fn, 'opts.fs');
  const std = checkNonNegative(opts.stdMv ?? 0.02, fn, 'opts.stdMv', 'mV');
  const cutoff = opts.cutoffHz ?? 20;
  check(typeof cutoff === 'number' && cutoff > 0 && cutoff < fs / 2, fn, 'opts.cutoffHz', `a frequency in (0, fs/2 = ${fs / 2}) Hz`, cutoff);
  const prob = checkProb(opts.prob ?? 1, fn);
  const alpha = 1 / (1 + (2 * Math.PI * cutoff) / fs); // one-pole high-pass coefficient
  return gatedAugmentation(fn, prob, (x, rng, gates, [B, T, L]) => {
    const noise = new Float32Array(B * T * L);
    const white = new Float64Array(T * L);
    const hp = new Float64Array(T);
    for (let b = 0; b < B; b++) {
      if (!gates[b]) continue;
      for (let i = 0; i < T * L; i++) white[i] = rng.normal();
      for (let l = 0; l < L; l++) {
        let prevIn = white[l];
        let prevOut = 0;
        let ss = 0;
        for (let t = 0; t < T; t++) {
          const v = white[t * L + l];
          prevOut = alpha * (prevOut + v - prevIn);
          prevIn = v;
          hp[t] = prevOut;
          ss += prevOut * prevOut;
        }
        const gain = ss > 0 ? std / Math.sqrt(ss / T) : 0;
        for (let t = 0; t < T; t++) noise[(b * T + t) * L + l] = hp[t] * gain;
      }
    }
    return tf.tidy(() => tf.add(x, tf.tensor3d(noise, [B, T, L])) as tf.Tensor3D);
  });
}

/** Options of {@link powerlineNoise}. */
export interface PowerlineNoiseOptions {
  /** Sampling rate in Hz (required; must exceed `2 · freqHz`). */
  fs: number;
  /** Mains frequency in Hz: 50 (default) or 60. */
  freqHz?: 50 | 60;
  /** Maximum amplitude in mV (input units); per sample and lead drawn uniformly in [0, amplitudeMv). Default 0.05. */
  amplitudeMv?: number;
  /** Probability that a sample of the batch is augmented. Default 1. */
  prob?: number;
}

/**
 * Adds powerline interference `a · sin(2π f t / fs + φ)` with one random phase per sample and
 * one random amplitude per sample and lead.
 * Random draws: `batch` gates, then per sample 1 phase and `leads` amplitudes.
 * @param opts see {@link PowerlineNoiseOptions}; `fs` is required.
 * @returns an {@link Augmentation} keeping the shape `[batch, time, leads]`.
 * @throws {BeatSslError} when `fs` is missing or ≤ 2·freqHz, `freqHz` is not 50 or 60, or `amplitudeMv`/`prob` are out of range.
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D; // [batch, time, leads], mV
 * const y = powerlineNoise({ fs: 500, freqHz: 60, amplitudeMv: 0.1 })(x, createRng(0));
 */
export function powerlineNoise(opts: PowerlineNoiseOptions): Augmentation {
  const fn = 'powerlineNoise';
  opts = checkOptions(opts, optionKeys<PowerlineNoiseOptions>()('fs', 'freqHz', 'amplitudeMv', 'prob'), fn);
  const fs = checkFs(opts?.fs, fn, 'opts.fs');
  const f = opts.freqHz ?? 50;
  check(f === 50 || f === 60, fn, 'opts.freqHz', 'one of 50, 60 (Hz)', f);
  check(fs > 2 * f, fn, 'opts.fs', `above twice the mains frequency (> ${2 * f} Hz)`, fs);
  const amp = checkNonNegative(opts.amplitudeMv ?? 0.05, fn, 'opts.amplitudeMv', 'mV');
  const prob = checkProb(opts.prob ?? 1, fn);
  return gatedAugmentation(fn, prob, (x, rng, gates, [B, T, L]) => {
    const noise = new Float32Array(B * T * L);
    const amps = new Float64Array(L);
    const omega = (2 * Math.PI * f) / fs;
    for (let b = 0; b < B; b++) {
      const phase = rng.uniform(0, 2 * Math.PI);
      for (let l = 0; l < L; l++) amps[l] = gates[b] ? rng.uniform(0, amp) : (rng.next(), 0);
      if (!gates[b]) continue;
      for (let t = 0; t < T; t++) {
        const s = Math.sin(omega * t + phase);
        for (let l = 0, i = (b * T + t) * L; l < L; l++, i++) noise[i] = s * amps[l];
      }
    }
    return tf.tidy(() => tf.add(x, tf.tensor3d(noise, [B, T, L])) as tf.Tensor3D);
  });
}
