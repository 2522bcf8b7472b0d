/**
 * Target builders for the contrastive losses (stack convention: rows `i` and `i + N` are the two
 * views of record / beat `i`), and the validity mask of padded beat rows.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkOneOf, fail } from '../core/errors';
import { l2Normalize } from './_internal/contrastive';

/** A validity mask accepted by the losses: `[2N]`, or `[N]` (duplicated over the two views); non-zero/true = a real row, 0/false = padding. */
export type ValidMaskInput = tf.Tensor1D | ArrayLike<number | boolean>;

/**
 * Hard pair targets: 1 at `(i, i + N)` and `(i + N, i)`, 0 elsewhere (the NT-Xent targets).
 * @param n number of records N (≥ 1).
 * @returns a float32 tensor `[2N, 2N]`.
 * @throws {BeatSslError} when `n` is not a positive integer.
 * @example
 * pairTargets(2).arraySync(); // [[0,0,1,0],[0,0,0,1],[1,0,0,0],[0,1,0,0]]
 */
export function pairTargets(n: number): tf.Tensor2D {
  checkInt(n, 'pairTargets', 'n', 1);
  const M = 2 * n;
  const out = new Float32Array(M * M);
  for (let i = 0; i < n; i++) {
    out[i * M + i + n] = 1;
    out[(i + n) * M + i] = 1;
  }
  return tf.tensor2d(out, [M, M]);
}

/** Options of {@link softTargets}. */
export interface SoftTargetsOptions {
  /** `'cosine'` (default): `(1 + cos(φ_a, φ_b)) / 2`; `'gaussian'`: `exp(−‖φ_a − φ_b‖² / (2σ²))`. */
  similarity?: 'cosine' | 'gaussian';
  /** Exponent γ applied to the similarity (the paper's "Exp.": 1 or 50). Default 1. */
  exponent?: number;
  /** Kernel width σ of `'gaussian'`, in feature units (required for it; features are usually z-scored). */
  sigma?: number;
  /** `true` when `features` is already `[2N, F]` (one row per view); default `false`: `[N, F]`, duplicated. */
  stacked?: boolean;
}

/** Checks a plain `[N, F]` feature matrix: a non-empty array of equal-length rows of finite numbers. */
function checkFeatureRows(features: unknown, fn: string): number[][] {
  const rows = features as ArrayLike<number>[];
  check(Array.isArray(rows) && rows.length >= 1, fn, 'features', 'a tensor or a non-empty array [N, F]', features);
  const F = rows[0]?.length;
  rows.forEach((row, i) => {
    check((Array.isArray(row) || ArrayBuffer.isView(row)) && row.length === F && F >= 1, fn, `features[${i}]`, `a row of ${F} numbers like features[0]`, row);
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, `features[${i}][${j}]`, 'a finite number (replace missing features, e.g. by 0 after z-scoring)', v);
    }
  });
  return rows.map((r) => Array.from(r));
}

/**
 * Soft targets from features: `[2N, 2N]` with 1 on the other view (and the ignored diagonal) and
 * `sim(φ_a, φ_b)^γ ∈ [0, 1]` elsewhere.
 * @param features `[N, F]` per record or beat (duplicated over the two views), or `[2N, F]` with `stacked: true`.
 *   Arrays must be finite; tensors are not scanned (a NaN feature gives NaN targets), so replace missing
 *   features first (e.g. by 0 after z-scoring).
 * @param opts see {@link SoftTargetsOptions}.
 * @returns a float32 tensor `[2N, 2N]` (a constant: no gradient is meant to flow into it).
 * @throws {BeatSslError} on a bad shape, a ragged or non-finite feature array, an unknown similarity, a negative exponent, or a missing `sigma` for `'gaussian'`.
 * @example
 * const t = softTargets([[1, 0], [0, 1], [1, 1]], { exponent: 2 }); // [6, 6]
 * t.arraySync()[0]; // [1, 0.25, 0.7286, 1, 0.25, 0.7286]
 */
export function softTargets(features: tf.Tensor2D | readonly ArrayLike<number>[], opts: SoftTargetsOptions = {}): tf.Tensor2D {
  const fn = 'softTargets';
  const similarity = checkOneOf(opts.similarity ?? 'cosine', ['cosine', 'gaussian'] as const, fn, 'opts.similarity');
  const exponent = opts.exponent ?? 1;
  check(typeof exponent === 'number' && Number.isFinite(exponent) && exponent >= 0, fn, 'opts.exponent', 'a finite number ≥ 0', exponent);
  const sigma = opts.sigma;
  if (similarity === 'gaussian') {
    check(typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0, fn, 'opts.sigma', "a positive kernel width (feature units) when similarity is 'gaussian'", sigma);
  }
  const stacked = opts.stacked ?? false;
  return tf.tidy(() => {
    const f0 = features instanceof tf.Tensor ? features : tf.tensor2d(checkFeatureRows(features, fn));
    check(f0.rank === 2 && f0.shape[0] >= 1 && (!stacked || f0.shape[0] % 2 === 0), fn, 'features', stacked ? 'a matrix [2N, F]' : 'a matrix [N, F]', f0);
    const f32 = (f0.dtype === 'float32' ? f0 : tf.cast(f0, 'float32')) as tf.Tensor2D;
    const f = stacked ? f32 : (tf.concat([f32, f32]) as tf.Tensor2D);
    const M = f.shape[0];
    let sim: tf.Tensor2D;
    if (similarity === 'cosine') {
      const fn2 = l2Normalize(f);
      sim = tf.clipByValue(tf.div(tf.add(1, tf.matMul(fn2, fn2, false, true)), 2), 0, 1) as tf.Tensor2D;
    } else {
      const sq = tf.sum(tf.square(f), 1, true);
      const d2 = tf.relu(tf.sub(tf.add(sq, tf.transpose(sq)), tf.mul(2, tf.matMul(f, f, false, true))));
      sim = tf.exp(tf.div(d2, -2 * (sigma as number) * (sigma as number))) as tf.Tensor2D;
    }
    const powered = exponent === 1 ? sim : tf.pow(sim, exponent);
    const ones = tf.add(pairTargets(M / 2), tf.eye(M));
    return tf.where(tf.greater(ones, 0), tf.onesLike(powered), powered) as tf.Tensor2D;
  });
}

/**
 * Hard class targets (multi-positive): 1 where two rows have the same class label, and always on
 * the other view of the same record/beat and on the diagonal. Negative labels mean "unknown
 * class": such a row's only positive is its other view.
 * @param labels one integer class per record/beat: length N (duplicated over the two views), or 2N with `stacked: true`.
 * @param opts `stacked`: labels already given per view (length 2N).
 * @returns a float32 tensor `[2N, 2N]` of 0/1.
 * @throws {BeatSslError} when labels are not integers or the length is odd with `stacked`.
 * @example
 * const pos = classTargets([0, 0, 2, -1]); // classes of 4 beats → [8, 8]
 * pos.arraySync()[0]; // [1, 1, 0, 0, 1, 1, 0, 0]
 */
export function classTargets(labels: ArrayLike<number> | tf.Tensor1D, opts: { stacked?: boolean } = {}): tf.Tensor2D {
  const fn = 'classTargets';
  const raw = labels instanceof tf.Tensor ? Array.from(labels.dataSync()) : labels;
  check(raw !== null && typeof raw === 'object' && typeof raw.length === 'number' && raw.length >= 1, fn, 'labels', 'a non-empty array of integer labels', labels);
  const arr = Array.from(raw);
  arr.forEach((v, i) => check(Number.isInteger(v), fn, `labels[${i}]`, 'an integer class label', v));
  const stacked = opts.stacked ?? false;
  if (stacked) check(arr.length % 2 === 0, fn, 'labels', 'of even length 2N with stacked: true', labels);
  const lab = stacked ? arr : [...arr, ...arr];
  const M = lab.length;
  const half = M / 2;
  const out = new Float32Array(M * M);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      const same = i === j || j === (i + half) % M || (lab[i] >= 0 && lab[i] === lab[j]);
      if (same) out[i * M + j] = 1;
    }
  }
  return tf.tensor2d(out, [M, M]);
}

/**
 * Validity mask of padded per-record rows in the stack layout of the beat loss: each view holds
 * N records × `maxCount` slots (`[N · maxCount, d]`, slot `k` of record `i` at row `i · maxCount + k`),
 * the two views are stacked, and slot `k` of record `i` is valid when `k < counts[i]`.
 * @param counts number of real beats per record (each in [0, maxCount]).
 * @param maxCount slots per record (M).
 * @returns a float32 tensor `[2 · N · maxCount]` of 0/1, to pass as `validMask`.
 * @throws {BeatSslError} when a count is not an integer in [0, maxCount].
 * @example
 * const validMask = paddedValidMask([3, 1], 4); // [1,1,1,0, 1,0,0,0, 1,1,1,0, 1,0,0,0]
 * const zBeats = tf.randomNormal([16, 32]) as tf.Tensor2D; // 2 views × 2 records × 4 slots
 * const loss = ntXent(zBeats, { validMask });
 */
export function paddedValidMask(counts: ArrayLike<number>, maxCount: number): tf.Tensor1D {
  const fn = 'paddedValidMask';
  checkInt(maxCount, fn, 'maxCount', 1);
  check(counts !== null && typeof counts === 'object' && typeof counts.length === 'number' && counts.length >= 1, fn, 'counts', 'a non-empty array of beat counts', counts);
  const N = counts.length;
  const out = new Float32Array(2 * N * maxCount);
  for (let i = 0; i < N; i++) {
    const c = checkInt(counts[i], fn, `counts[${i}]`, 0, maxCount);
    for (let k = 0; k < c; k++) {
      out[i * maxCount + k] = 1;
      out[(N + i) * maxCount + k] = 1;
    }
  }
  return tf.tensor1d(out);
}
