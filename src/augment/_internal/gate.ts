/**
 * Shared plumbing of the composable augmentations: argument checks and per-sample `prob` gates.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Augmentation } from '../compose';
import { check } from '../../core/errors';
import type { Rng } from '../../core/rng';

/** Checks the call arguments of an augmentation: a non-empty `[batch, time, leads]` tensor and an {@link Rng}. */
export function checkBatch(x: unknown, fn: string, rng: unknown): asserts x is tf.Tensor3D {
  check(x instanceof tf.Tensor && x.rank === 3 && x.size > 0, fn, 'x', 'a non-empty tensor [batch, time, leads]', x);
  const isRng = typeof rng === 'object' && rng !== null && typeof (rng as Rng).next === 'function' && typeof (rng as Rng).normal === 'function';
  check(isRng, fn, 'rng', 'an Rng (call the augmentation as aug(x, createRng(seed)))', rng);
}

/** Checks a probability option. */
export function checkProb(p: unknown, fn: string, arg = 'opts.prob'): number {
  check(typeof p === 'number' && p >= 0 && p <= 1, fn, arg, 'a probability in [0, 1]', p);
  return p;
}

/** Checks a finite non-negative number. */
export function checkNonNegative(v: unknown, fn: string, arg: string, unit: string): number {
  check(typeof v === 'number' && Number.isFinite(v) && v >= 0, fn, arg, `a finite number ≥ 0 (${unit})`, v);
  return v;
}

/** Checks an ordered pair `[lo, hi]` of finite numbers (optionally positive). */
export function checkPair(v: unknown, fn: string, arg: string, positive = false): [number, number] {
  check(
    Array.isArray(v) && v.length === 2 && v.every((e) => typeof e === 'number' && Number.isFinite(e) && (!positive || e > 0)) && v[0] <= v[1],
    fn,
    arg,
    `a pair [min, max] of ${positive ? 'positive ' : ''}finite numbers with min ≤ max`,
    v,
  );
  return [v[0], v[1]];
}

/**
 * The common shape of the gated augmentations: check the batch, draw one Bernoulli(`prob`) gate per
 * sample (always `batch` draws, first), then run `body` with the gates and the shape.
 */
export function gatedAugmentation(
  fn: string,
  prob: number,
  body: (x: tf.Tensor3D, rng: Rng, gates: boolean[], shape: [number, number, number]) => tf.Tensor3D,
): Augmentation {
  return (x, rng) => {
    checkBatch(x, fn, rng);
    return body(x, rng, drawGates(rng, x.shape[0], prob), x.shape);
  };
}

/** Draws one Bernoulli(`prob`) gate per sample (always `batch` draws, in order). */
export function drawGates(rng: Rng, batch: number, prob: number): boolean[] {
  const gates: boolean[] = [];
  for (let b = 0; b < batch; b++) gates.push(prob >= 1 ? (rng.next(), true) : rng.bernoulli(prob));
  return gates;
}

/**
 * Expands a small per-sample array `[B, Ts, Ls]` (Ts ∈ {1, T}, Ls ∈ {1, L}) to a full
 * `Float32Array` `[B, T, L]`. Same-shape element-wise ops are ~4× faster than broadcasting ones on
 * the cpu backend (whose broadcast path computes indices per element), so the augmentations expand
 * their small parameter arrays in JS and apply one same-shape add or multiply.
 */
export function expandFull(small: Float32Array, smallT: number, smallL: number, shape: readonly [number, number, number]): Float32Array {
  const [B, T, L] = shape;
  const out = new Float32Array(B * T * L);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = (b * smallT + (smallT === 1 ? 0 : t)) * smallL;
      const dst = (b * T + t) * L;
      if (smallL === 1) out.fill(small[src], dst, dst + L);
      else for (let l = 0; l < L; l++) out[dst + l] = small[src + l];
    }
  }
  return out;
}
