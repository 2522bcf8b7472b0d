/**
 * 3KG augmentation (Gopal et al. 2021): random rotation and scaling of the heart vector in VCG
 * space, back-projection to the 12 leads, and a contiguous time mask per lead.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkOneOf } from '../core/errors';
import type { Rng } from '../core/rng';
import type { Samples } from '../core/types';
import {
  THREEKG_TRANSFORMS,
  N_LEADS,
  drawThreeKGParams,
  writeThreeKGMatrix,
  type ThreeKGTransformName,
} from './_internal/threeKGMatrix';
import type { Augmentation } from './compose';
import { checkOptions } from '../core/_internal/options';
import { THREEKG_KEYS, resolveOptions, threeKGAs } from './_internal/threeKGCore';

export type { ThreeKGTransformName } from './_internal/threeKGMatrix';

/** Options of {@link threeKG} and {@link threeKGRecord}. */
export interface ThreeKGOptions {
  /** ECG → VCG transform: `'inverseDower'` (default, Edenbrandt & Pahlm 1988) or `'kors'` (Kors 1990). */
  transform?: ThreeKGTransformName;
  /** Rotation angles about x, y and z are drawn uniformly in `[−angleDeg, angleDeg)` degrees. Default 45. */
  angleDeg?: number;
  /** Per-axis scale factors are drawn uniformly in `[scale[0], scale[1])`. Default `[1, 1.5]`. */
  scale?: readonly [number, number];
  /**
   * Fraction of samples zeroed per lead, as one contiguous block that wraps around the end of the
   * record, with an independent random start per lead. `0` disables masking. Default 0.5.
   */
  maskRatio?: number;
  /**
   * Z-score every lead of every output over its unmasked samples after the lead transform and before
   * masking, as downstream inputs are standardised (give the input in mV: the VCG matrices are defined
   * in millivolts, so 3KG belongs before standardisation). Default false.
   */
  standardize?: boolean;
  /** Seed of the random stream (use this or `rng`). */
  seed?: number;
  /** Random stream to draw from (advanced by the call). Takes precedence over `seed`. */
  rng?: Rng;
}

/**
 * The 12×12 3KG matrix for given angles and scales, in row form: an output sample is
 * `y[j] = Σ_k x[k] · M[k * 12 + j]` for input and output in canonical lead order
 * (I, II, III, aVR, aVL, aVF, V1–V6). It is
 * `derive12 · DOWER · diag(scales) · Rz(z) · Ry(y) · Rx(x) · A · select8` with `A` the inverse
 * Dower (default) or Kors matrix; input columns III, aVR, aVL, aVF get zero weight.
 * @param params rotation angles about x, y, z in degrees (`anglesDeg`, default `[0, 0, 0]`),
 *   scale factors of x, y, z (`scales`, default `[1, 1, 1]`) and `transform`.
 * @returns a `Float64Array` of 144 numbers, row-major `[12 in, 12 out]`.
 * @throws {BeatSslError} when an angle or scale is not a finite number, or `transform` is unknown.
 * @example
 * const M = threeKGMatrix({ anglesDeg: [0, 0, 0], scales: [1, 1, 1] });
 * M[0 * 12 + 0]; // 0.1532: weight of input lead I in output lead I (row I of Dower · column I of invDower)
 */
export function threeKGMatrix(
  params: { anglesDeg?: readonly number[]; scales?: readonly number[]; transform?: ThreeKGTransformName } = {},
): Float64Array {
  const fn = 'threeKGMatrix';
  params = checkOptions(params, ['anglesDeg', 'scales', 'transform'], fn, 'params');
  const anglesDeg = params.anglesDeg ?? [0, 0, 0];
  const scales = params.scales ?? [1, 1, 1];
  const finite = (a: unknown, max: number) => Array.isArray(a) && a.length === 3 && a.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= max);
  check(finite(anglesDeg, 1e6), fn, 'params.anglesDeg', 'three finite angles in degrees', anglesDeg);
  check(finite(scales, 1e6), fn, 'params.scales', 'three finite scale factors (|s| ≤ 1e6)', scales);
  const transform = checkOneOf(params.transform ?? 'inverseDower', THREEKG_TRANSFORMS, fn, 'params.transform');
  const out = new Float64Array(N_LEADS * N_LEADS);
  writeThreeKGMatrix(out, 0, transform, anglesDeg.map((a) => (a * Math.PI) / 180), scales);
  return out;
}

/**
 * 3KG augmentation of a batch: ECG (I, II, V1–V6) → VCG (inverse Dower or Kors) → per-sample
 * rotation about x, y, z by angles uniform in ±`angleDeg` → per-axis scaling uniform in `scale`
 * → Dower back to 8 leads → derived III, aVR, aVL, aVF → one contiguous, wrapping block of
 * `maskRatio · time` samples zeroed per lead; with `standardize`, each lead is z-scored over its
 * unmasked samples before masking (the Beat-SSL view recipe: 3KG in mV, then standardise).
 *
 * All random numbers come from the seeded {@link Rng} (drawn per sample in a fixed order:
 * 3 angles, 3 scales, 12 mask starts), so a seed gives the same views on every backend. The
 * whole lead transform is one batched matMul `[B, T, 12] × [B, 12, 12]`; the mask is one multiply
 * by a 0/1 array filled from the drawn starts.
 * @param x ECG batch `[batch, time, 12]` in canonical lead order (I, II, III, aVR, aVL, aVF, V1–V6);
 *   any amplitude unit (the transform is linear). Input leads III, aVR, aVL, aVF are not used.
 * @param opts see {@link ThreeKGOptions}; `seed` or `rng` is required.
 * @returns a new tensor `[batch, time, 12]` (the input is not disposed).
 * @throws {BeatSslError} when `x` is not rank 3 with 12 leads, or an option is out of range.
 * @example
 * const x = tf.randomNormal([4, 1000, 12]) as tf.Tensor3D;
 * const view = threeKG(x, { seed: 1 }); // [4, 1000, 12]
 */
export function threeKG(x: tf.Tensor3D, opts: ThreeKGOptions): tf.Tensor3D {
  return threeKGAs('threeKG', x, opts);
}

/**
 * 3KG augmentation of one record held as typed arrays (no tensors, no backend needed). Same
 * definition and same random stream as {@link threeKG}: `threeKGRecord(signals, { seed })` equals
 * `threeKG` on the batch `[1, T, 12]` built from `signals` with the same seed.
 * @param signals 12 arrays `[time]` of equal length in mV, canonical lead order (I, II, III, aVR, aVL, aVF, V1–V6).
 * @param opts see {@link ThreeKGOptions}; `seed` or `rng` is required.
 * @returns 12 new `Float32Array`s of the same length.
 * @throws {BeatSslError} when there are not 12 leads of equal, non-zero length, or an option is out of range.
 * @example
 * const signals = Array.from({ length: 12 }, () => new Float32Array(5000)); // 10 s at 500 Hz, I…V6
 * const view = threeKGRecord(signals, { seed: 7, angleDeg: 30 }); // 12 × Float32Array(5000)
 */
export function threeKGRecord(signals: readonly Samples[], opts: ThreeKGOptions): Float32Array[] {
  const fn = 'threeKGRecord';
  check(Array.isArray(signals) && signals.length === N_LEADS, fn, 'signals', 'an array of 12 leads (I, II, III, aVR, aVL, aVF, V1–V6)', signals);
  const T = signals[0]?.length ?? 0;
  signals.forEach((s, l) =>
    check((s instanceof Float32Array || s instanceof Float64Array) && s.length === T && T > 0, fn, `signals[${l}]`, `a Float32Array of length ${T} (all leads equal and non-empty)`, s),
  );
  const o = resolveOptions(opts, fn);
  const p = drawThreeKGParams(o.rng, o.angleDeg, o.scale, T);
  // Float32 coefficients, like the tensor form, so both round the same way.
  const M = new Float32Array(N_LEADS * N_LEADS);
  writeThreeKGMatrix(M, 0, o.transform, p.anglesRad, p.scales);
  const out: Float32Array[] = [];
  const maskLen = Math.round(o.maskRatio * T);
  for (let j = 0; j < N_LEADS; j++) {
    const y = new Float32Array(T);
    for (let k = 0; k < N_LEADS; k++) {
      const w = M[k * N_LEADS + j];
      if (w === 0) continue;
      const xs = signals[k];
      for (let t = 0; t < T; t++) y[t] += w * xs[t];
    }
    const masked = new Uint8Array(T);
    for (let i = 0, t = p.maskStarts[j]; i < maskLen; i++, t = t + 1 === T ? 0 : t + 1) masked[t] = 1;
    if (o.standardize) standardizeVisible(y, masked);
    for (let t = 0; t < T; t++) if (masked[t]) y[t] = 0;
    out.push(y);
  }
  return out;
}

/** In place: z-scores `y` over its samples with `masked[t] = 0` (population std, divisor ≥ 1e-8). */
function standardizeVisible(y: Float32Array, masked: Uint8Array): void {
  let n = 0;
  let sum = 0;
  for (let t = 0; t < y.length; t++) if (!masked[t]) (sum += y[t]), n++;
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  for (let t = 0; t < y.length; t++) if (!masked[t]) ss += (y[t] - mean) ** 2;
  const sd = Math.max(n > 0 ? Math.sqrt(ss / n) : 0, 1e-8);
  for (let t = 0; t < y.length; t++) y[t] = (y[t] - mean) / sd;
}

/**
 * {@link threeKG} as a composable {@link Augmentation} (for {@link compose} and {@link twoViews}).
 * @param opts 3KG options without `seed`/`rng` (the stream is passed at call time).
 * @returns `(x, rng) => threeKG(x, { ...opts, rng })`.
 * @throws {BeatSslError} at call time, as {@link threeKG}.
 * @example
 * const x = tf.zeros([8, 1000, 12]) as tf.Tensor3D;
 * const aug = compose([threeKGAugment({ angleDeg: 30 }), gaussianNoise({ stdMv: 0.02 })]);
 * const y = aug(x, createRng(3)); // [8, 1000, 12]
 */
export function threeKGAugment(opts: Omit<ThreeKGOptions, 'seed' | 'rng'> = {}): Augmentation {
  const fn = 'threeKGAugment';
  opts = checkOptions(opts, THREEKG_KEYS.filter((k) => k !== 'seed' && k !== 'rng'), fn);
  resolveOptions({ ...opts, seed: 0 }, fn); // option errors at creation
  return (x, rng) => threeKG(x, { ...opts, rng });
}
