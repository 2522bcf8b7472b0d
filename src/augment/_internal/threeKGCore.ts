/**
 * The tensor form of 3KG and its option checks, shared by `threeKG`, `threeKGRecord`,
 * `threeKGAugment` and `twoViews` so that errors name the public function called.
 * @internal
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkKnownKeys, checkOneOf, fail } from '../../core/errors';
import { toRng, type Rng } from '../../core/rng';
import { standardizeBatch } from '../standardizeBatch';
import type { ThreeKGOptions } from '../3kg';
import { THREEKG_TRANSFORMS, N_LEADS, drawThreeKGParams, writeThreeKGMatrix, type ThreeKGTransformName } from './threeKGMatrix';

/** Keys of `ThreeKGOptions`. */
export const THREEKG_KEYS = ['transform', 'angleDeg', 'scale', 'maskRatio', 'standardize', 'seed', 'rng'] as const;

export interface ResolvedThreeKG {
  standardize: boolean;
  transform: ThreeKGTransformName;
  angleDeg: number;
  scale: readonly [number, number];
  maskRatio: number;
  rng: Rng;
}

export function resolveOptions(opts: ThreeKGOptions | undefined, fn: string): ResolvedThreeKG {
  if (opts === undefined || opts === null || typeof opts !== 'object' || Array.isArray(opts)) fail(fn, 'opts', 'an options object with a seed or rng', opts);
  checkKnownKeys(opts, THREEKG_KEYS, fn, 'opts');
  const standardize = opts.standardize ?? false;
  check(typeof standardize === 'boolean', fn, 'opts.standardize', 'true or false', standardize);
  const transform = checkOneOf(opts.transform ?? 'inverseDower', THREEKG_TRANSFORMS, fn, 'opts.transform');
  const angleDeg = opts.angleDeg ?? 45;
  check(typeof angleDeg === 'number' && Number.isFinite(angleDeg) && angleDeg >= 0 && angleDeg <= 180, fn, 'opts.angleDeg', 'a number of degrees in [0, 180]', angleDeg);
  const scale = opts.scale ?? ([1, 1.5] as const);
  check(
    Array.isArray(scale) && scale.length === 2 && scale.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0) && scale[0] <= scale[1],
    fn,
    'opts.scale',
    'a pair [min, max] of positive numbers with min ≤ max',
    scale,
  );
  const maskRatio = opts.maskRatio ?? 0.5;
  check(typeof maskRatio === 'number' && maskRatio >= 0 && maskRatio <= 1, fn, 'opts.maskRatio', 'a number in [0, 1]', maskRatio);
  const rng = toRng(opts.rng ?? opts.seed, fn, opts.rng === undefined ? 'opts.seed' : 'opts.rng');
  return { standardize, transform, angleDeg, scale: [scale[0], scale[1]], maskRatio, rng };
}

/** `threeKG` with errors naming the public function `fn`. */
export function threeKGAs(fn: string, x: tf.Tensor3D, opts: ThreeKGOptions): tf.Tensor3D {
  check(x instanceof tf.Tensor && x.rank === 3 && x.shape[2] === N_LEADS, fn, 'x', 'a tensor [batch, time, 12]', x);
  const o = resolveOptions(opts, fn);
  const [B, T] = x.shape;
  check(B > 0 && T > 0, fn, 'x', 'a tensor with at least one record and one time sample', x);
  const mats = new Float32Array(B * N_LEADS * N_LEADS);
  const starts = new Int32Array(B * N_LEADS);
  for (let b = 0; b < B; b++) {
    const p = drawThreeKGParams(o.rng, o.angleDeg, o.scale, T);
    writeThreeKGMatrix(mats, b * N_LEADS * N_LEADS, o.transform, p.anglesRad, p.scales);
    starts.set(p.maskStarts, b * N_LEADS);
  }
  const maskLen = Math.round(o.maskRatio * T);
  // The mask is filled in JS from the drawn starts (B·12 wrapping blocks) and applied with one
  // same-shape multiply. Building it with broadcast comparisons of a [1, T, 1] time range against a
  // [B, 1, 12] start tensor was measured ~10× slower on cpu and ~5× on wasm (docs/augment-losses.md).
  let keep: Float32Array | null = null;
  if (maskLen > 0) {
    keep = new Float32Array(B * T * N_LEADS).fill(1);
    for (let b = 0; b < B; b++) {
      for (let l = 0; l < N_LEADS; l++) {
        const base = b * T * N_LEADS + l;
        for (let i = 0, t = starts[b * N_LEADS + l]; i < maskLen; i++, t = t + 1 === T ? 0 : t + 1) keep[base + t * N_LEADS] = 0;
      }
    }
  }
  return tf.tidy(() => {
    const xf = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    const y = tf.matMul(xf, tf.tensor3d(mats, [B, N_LEADS, N_LEADS])) as tf.Tensor3D;
    const k = keep ? tf.tensor3d(keep, [B, T, N_LEADS]) : undefined;
    if (o.standardize) return standardizeBatch(y, k);
    return k ? (tf.mul(y, k) as tf.Tensor3D) : y;
  });
}

