/**
 * Target builders for the contrastive losses (stack convention: rows `i` and `i + N` are the two
 * views of record / beat `i`), and the validity mask of padded beat rows.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkKnownKeys, checkOneOf, fail } from '../core/errors';
import { checkOptions } from '../core/_internal/options';
import { MAX_ARRAY_LENGTH } from '../core/_internal/limits';

/** A validity mask accepted by the losses: `[2N]`, or `[N]` (duplicated over the two views); non-zero/true = a real row, 0/false = padding. */
export type ValidMaskInput = tf.Tensor1D | ArrayLike<number | boolean>;

/**
 * Hard pair targets: 1 at `(i, i + N)` and `(i + N, i)`, 0 elsewhere (the NT-Xent targets).
 * @param n number of records N (≥ 1).
 * @returns a float32 tensor `[2N, 2N]`.
 * @throws {BeatSslError} when `n` is not an integer in [1, 8192] (2n target rows, at most 2¹⁴).
 * @example
 * pairTargets(2).arraySync(); // [[0,0,1,0],[0,0,0,1],[1,0,0,0],[0,1,0,0]]
 */
export function pairTargets(n: number): tf.Tensor2D {
  checkInt(n, 'pairTargets', 'n', 1, MAX_TARGET_ROWS / 2);
  const M = 2 * n;
  const out = new Float32Array(M * M);
  for (let i = 0; i < n; i++) {
    out[i * M + i + n] = 1;
    out[(i + n) * M + i] = 1;
  }
  return tf.tensor2d(out, [M, M]);
}

/** Soft-target similarities: `'cosine'` maps cos(φ_a, φ_b) to [0, 1]; `'gaussian'` is an RBF kernel. */
export const SOFT_TARGET_SIMILARITIES = ['cosine', 'gaussian'] as const;
/** A similarity of {@link softTargets}. */
export type SoftTargetSimilarity = (typeof SOFT_TARGET_SIMILARITIES)[number];

/** Options of {@link softTargets}. */
export interface SoftTargetsOptions {
  /** `'cosine'` (default): `(1 + cos(φ_a, φ_b)) / 2`; `'gaussian'`: `exp(−‖φ_a − φ_b‖² / (2σ²))`. */
  similarity?: SoftTargetSimilarity;
  /**
   * Exponent γ applied to the similarity (the paper's "Exp.": 1 or 50), or `'calibrated'`: γ is
   * chosen for these features so that the other view holds on average `positiveShare` of each row's
   * target mass (see {@link calibrateExponent}). Default 1.
   */
  exponent?: number | 'calibrated';
  /** Mean share of a row's target mass on the other view when `exponent` is `'calibrated'`, in (0, 1). Default 0.5. */
  positiveShare?: number;
  /** Kernel width σ of `'gaussian'`, in feature units (required for it; features are usually z-scored). */
  sigma?: number;
  /** `true` when `features` is already `[2N, F]` (one row per view); default `false`: `[N, F]`, duplicated. */
  stacked?: boolean;
}

const SOFT_TARGET_KEYS = ['similarity', 'exponent', 'positiveShare', 'sigma', 'stacked'] as const;

/** Largest number of stacked rows of a target matrix (`[M, M]` float64: 2 GiB). */
const MAX_TARGET_ROWS = 2 ** 14;
/**
 * Largest soft-target exponent γ: the top of the calibration's search range (`calibrateExponent`);
 * beyond it every off-diagonal target underflows to 0 (hard targets).
 */
const MAX_EXPONENT = 1e4;

const isNumberList = (x: unknown): x is ArrayLike<number> => (Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView))) && Array.prototype.every.call(x, (v: unknown) => typeof v === 'number' && Number.isFinite(v));

/** Checks a stacked similarity matrix `[M, M]` (even M, values in [0, 1]). */
function checkSimilarity(fn: string, S: unknown, M: number): void {
  checkInt(M, fn, 'M', 2, MAX_TARGET_ROWS);
  check(M % 2 === 0, fn, 'M', 'an even number of stacked rows (2N)', M);
  check(isNumberList(S) && S.length === M * M && Array.prototype.every.call(S, (v: number) => v >= 0 && v <= 1), fn, 'S', `a similarity matrix of M · M = ${M * M} values in [0, 1]`, S);
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

/** Resolved soft-target settings (validated once, by the caller's function name). */
export interface ResolvedSoftTargets {
  similarity: SoftTargetSimilarity;
  exponent: number | 'calibrated';
  positiveShare: number;
  sigma: number | undefined;
}

/**
 * Validates soft-target settings, naming the caller's options (e.g. `options.exponent`).
 * @internal shared by {@link softTargets} and the Beat-SSL objective
 */
export function resolveSoftTargets(
  o: { similarity?: unknown; exponent?: unknown; positiveShare?: unknown; sigma?: unknown },
  fn: string,
  prefix: string | ((key: 'similarity' | 'exponent' | 'positiveShare' | 'sigma') => string),
): ResolvedSoftTargets {
  const name = typeof prefix === 'string' ? (k: string) => `${prefix}${k}` : prefix;
  check(o !== null && typeof o === 'object' && !Array.isArray(o), fn, name('similarity').replace(/\.?similarity$/, '') || 'options', 'an options object', o);
  const similarity = checkOneOf(o.similarity ?? 'cosine', SOFT_TARGET_SIMILARITIES, fn, name('similarity'));
  const exponent = o.exponent ?? 1;
  check(exponent === 'calibrated' || (typeof exponent === 'number' && exponent >= 0 && exponent <= MAX_EXPONENT), fn, name('exponent'), `a number in [0, ${MAX_EXPONENT}] or 'calibrated'`, exponent);
  const positiveShare = o.positiveShare ?? 0.5;
  check(typeof positiveShare === 'number' && positiveShare > 0 && positiveShare < 1, fn, name('positiveShare'), 'a number in (0, 1)', positiveShare);
  const sigma = o.sigma;
  if (similarity === 'gaussian') {
    check(typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0, fn, name('sigma'), "a positive kernel width (feature units) when similarity is 'gaussian'", sigma);
  } else if (sigma !== undefined) check(typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0, fn, name('sigma'), 'a positive kernel width', sigma);
  return { similarity, exponent: exponent as number | 'calibrated', positiveShare, sigma: sigma as number | undefined };
}

/**
 * Pairwise similarities in [0, 1] of `M` feature rows (`[M, D]` row-major), Float64 `[M, M]`.
 * @internal
 */
export function similarityMatrix(rows: ArrayLike<number>, M: number, D: number, similarity: SoftTargetSimilarity, sigma = 1): Float64Array {
  const fn = 'similarityMatrix';
  checkInt(M, fn, 'M', 1, MAX_TARGET_ROWS);
  checkInt(D, fn, 'D', 1, 2 ** 24);
  check(isNumberList(rows) && rows.length === M * D, fn, 'rows', `M · D = ${M * D} numbers ([M, D] row-major)`, rows);
  checkOneOf(similarity, SOFT_TARGET_SIMILARITIES, fn, 'similarity');
  check(typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0, fn, 'sigma', 'a positive kernel width', sigma);
  const S = new Float64Array(M * M);
  if (similarity === 'cosine') {
    const norm = new Float64Array(M);
    for (let i = 0; i < M; i++) {
      let ss = 0;
      for (let d = 0; d < D; d++) ss += rows[i * D + d] ** 2;
      norm[i] = Math.sqrt(ss) || 1e-12;
    }
    for (let i = 0; i < M; i++) {
      for (let j = i; j < M; j++) {
        let dot = 0;
        for (let d = 0; d < D; d++) dot += rows[i * D + d] * rows[j * D + d];
        const v = Math.min(1, Math.max(0, (1 + dot / (norm[i] * norm[j])) / 2));
        S[i * M + j] = v;
        S[j * M + i] = v;
      }
    }
  } else {
    const k = -1 / (2 * sigma * sigma);
    for (let i = 0; i < M; i++) {
      for (let j = i; j < M; j++) {
        let d2 = 0;
        for (let d = 0; d < D; d++) d2 += (rows[i * D + d] - rows[j * D + d]) ** 2;
        const v = Math.exp(k * d2);
        S[i * M + j] = v;
        S[j * M + i] = v;
      }
    }
  }
  return S;
}

/** At most this many anchor rows are used to calibrate γ (evenly spaced): enough for a stable mean. */
const CALIBRATION_ROWS = 128;

/**
 * Mean over anchors `i` of the share of row `i`'s target mass on its other view `i'` when the other
 * entries are `S_ij^γ` (self excluded): `1 / (1 + Σ_{j ∉ {i, i'}} S_ij^γ)`.
 */
function meanPositiveShare(S: Float64Array, M: number, gamma: number, anchors: number[]): number {
  const half = M / 2;
  let total = 0;
  for (const i of anchors) {
    const partner = (i + half) % M;
    let mass = 0;
    for (let j = 0; j < M; j++) {
      if (j === i || j === partner) continue;
      const v = S[i * M + j];
      mass += v <= 0 ? 0 : gamma === 0 ? 1 : Math.exp(gamma * Math.log(v));
    }
    total += 1 / (1 + mass);
  }
  return total / anchors.length;
}

/**
 * The exponent γ for which the other view holds on average `share` of each row's target mass
 * (bisection on log γ in [1e-3, 1e4]; the share grows with γ). When even γ = 1e4 cannot reach the
 * share (many identical feature rows), 1e4 is returned; when γ → 0 already exceeds it, 0.
 * @internal use {@link calibrateExponent} for the public form
 */
export function calibrateFromSimilarity(S: Float64Array, M: number, share: number): { exponent: number; positiveShare: number } {
  checkSimilarity('calibrateFromSimilarity', S, M);
  check(typeof share === 'number' && share > 0 && share < 1, 'calibrateFromSimilarity', 'share', 'a number in (0, 1)', share);
  const step = Math.max(1, Math.floor(M / CALIBRATION_ROWS));
  const anchors: number[] = [];
  for (let i = 0; i < M; i += step) anchors.push(i);
  const at = (g: number) => meanPositiveShare(S, M, g, anchors);
  if (at(0) >= share) return { exponent: 0, positiveShare: at(0) };
  let lo = Math.log(1e-3);
  let hi = Math.log(1e4);
  if (at(Math.exp(hi)) < share) return { exponent: Math.exp(hi), positiveShare: at(Math.exp(hi)) };
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (at(Math.exp(mid)) < share) lo = mid;
    else hi = mid;
  }
  const exponent = Math.exp(hi);
  return { exponent, positiveShare: at(exponent) };
}

/** Stacked `[M, D]` feature rows (duplicated when not stacked) as a Float64Array. */
function stackedRows(features: tf.Tensor2D | readonly ArrayLike<number>[], stacked: boolean, fn: string): { rows: Float64Array; M: number; D: number } {
  let N: number;
  let D: number;
  let flat: ArrayLike<number>;
  if (features instanceof tf.Tensor) {
    check(features.rank === 2 && features.shape[0] >= 1 && features.shape[1] >= 1, fn, 'features', stacked ? 'a matrix [2N, F]' : 'a matrix [N, F]', features);
    [N, D] = features.shape;
    flat = features.dataSync();
  } else {
    const r = checkFeatureRows(features, fn);
    N = r.length;
    D = r[0].length;
    flat = r.flat();
  }
  if (stacked) check(N % 2 === 0, fn, 'features', 'a matrix [2N, F] (an even number of rows) with stacked: true', features);
  const M = stacked ? N : 2 * N;
  const rows = new Float64Array(M * D);
  for (let i = 0; i < M; i++) for (let d = 0; d < D; d++) rows[i * D + d] = flat[(i % N) * D + d];
  return { rows, M, D };
}

/**
 * The exponent γ that {@link softTargets} with `exponent: 'calibrated'` uses for these features: the
 * other view then holds on average `positiveShare` of each row's target mass (the rest spread over
 * the other records by similarity). A per-batch, scale-free sharpness: γ = 1 on `(1 + cos)/2`
 * gives the other view only ≈ 3 % of the mass at N = 32 (near-uniform targets), γ = 50 ≈ 99 %
 * (near-hard targets).
 * @param features `[N, F]` per record or beat (or `[2N, F]` with `stacked: true`); finite
 * @param opts `positiveShare` (default 0.5), `similarity`, `sigma`, `stacked`
 * @returns `{ exponent, positiveShare }`: γ and the share it achieves (≈ the requested one unless unreachable)
 * @throws {BeatSslError} on bad features or options
 * @example
 * calibrateExponent([[1, 0], [0, 1], [1, 1], [-1, 0]], { positiveShare: 0.5 }); // { exponent: ≈ 2.2, positiveShare: 0.5 }
 */
export function calibrateExponent(
  features: tf.Tensor2D | readonly ArrayLike<number>[],
  opts: Omit<SoftTargetsOptions, 'exponent'> = {},
): { exponent: number; positiveShare: number } {
  const fn = 'calibrateExponent';
  checkKnownKeys(opts, SOFT_TARGET_KEYS, fn, 'opts');
  const o = resolveSoftTargets({ ...opts, exponent: 'calibrated' }, fn, 'opts.');
  const { rows, M, D } = stackedRows(features, opts.stacked ?? false, fn);
  check(M >= 4, fn, 'features', 'at least 2 records (4 stacked rows) to calibrate against', M / 2);
  return calibrateFromSimilarity(similarityMatrix(rows, M, D, o.similarity, o.sigma), M, o.positiveShare);
}

/**
 * Builds the stacked `[M, M]` soft-target matrix from a similarity matrix: 1 on the other view and
 * the diagonal, `S_ij^γ` elsewhere.
 * @internal
 */
export function softTargetMatrix(S: Float64Array, M: number, exponent: number): Float32Array {
  checkSimilarity('softTargetMatrix', S, M);
  check(typeof exponent === 'number' && exponent >= 0 && exponent <= MAX_EXPONENT, 'softTargetMatrix', 'exponent', `a number in [0, ${MAX_EXPONENT}]`, exponent);
  const out = new Float32Array(M * M);
  const half = M / 2;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      const v = S[i * M + j];
      out[i * M + j] = i === j || j === (i + half) % M ? 1 : exponent === 1 ? v : v <= 0 ? 0 : exponent === 0 ? 1 : Math.exp(exponent * Math.log(v));
    }
  }
  return out;
}

/**
 * Soft targets from features: `[2N, 2N]` with 1 on the other view (and the ignored diagonal) and
 * `sim(φ_a, φ_b)^γ ∈ [0, 1]` elsewhere.
 * @param features `[N, F]` per record or beat (duplicated over the two views), or `[2N, F]` with `stacked: true`.
 *   Arrays must be finite; tensors are not scanned (a NaN feature gives NaN targets), so replace missing
 *   features first (e.g. by 0 after z-scoring).
 * @param opts see {@link SoftTargetsOptions}.
 * @returns a float32 tensor `[2N, 2N]` (a constant: no gradient is meant to flow into it).
 * @throws {BeatSslError} on a bad shape, a ragged or non-finite feature array, an unknown similarity, an exponent outside [0, 1e4], or a missing `sigma` for `'gaussian'`.
 * @example
 * const t = softTargets([[1, 0], [0, 1], [1, 1]], { exponent: 2 }); // [6, 6]
 * t.arraySync()[0]; // [1, 0.25, 0.7286, 1, 0.25, 0.7286]
 * softTargets(features, { exponent: 'calibrated', positiveShare: 0.5 }); // γ chosen for this batch
 */
export function softTargets(features: tf.Tensor2D | readonly ArrayLike<number>[], opts: SoftTargetsOptions = {}): tf.Tensor2D {
  const fn = 'softTargets';
  checkKnownKeys(opts, SOFT_TARGET_KEYS, fn, 'opts');
  const o = resolveSoftTargets(opts, fn, 'opts.');
  const { rows, M, D } = stackedRows(features, opts.stacked ?? false, fn);
  const S = similarityMatrix(rows, M, D, o.similarity, o.sigma);
  const exponent = o.exponent === 'calibrated' ? (M >= 4 ? calibrateFromSimilarity(S, M, o.positiveShare).exponent : 1) : o.exponent;
  return tf.tensor2d(softTargetMatrix(S, M, exponent), [M, M]);
}

/**
 * Hard class targets (multi-positive): 1 where two rows have the same class label, and always on
 * the other view of the same record/beat and on the diagonal. Negative labels mean "unknown
 * class" (by design, e.g. beats the classifier could not label): such a row's only positive is its
 * other view, and two unknown rows are not each other's positives.
 * @param labels one integer class per record/beat: length N (duplicated over the two views), or 2N with `stacked: true`.
 * @param opts `stacked`: labels already given per view (length 2N).
 * @returns a float32 tensor `[2N, 2N]` of 0/1.
 * @throws {BeatSslError} when labels are not integers ≤ 2³¹ − 1, the length is odd with `stacked`, or `opts` has an unknown key.
 * @example
 * const pos = classTargets([0, 0, 2, -1]); // classes of 4 beats → [8, 8]
 * pos.arraySync()[0]; // [1, 1, 0, 0, 1, 1, 0, 0]
 */
export function classTargets(labels: ArrayLike<number> | tf.Tensor1D, opts: { stacked?: boolean } = {}): tf.Tensor2D {
  const fn = 'classTargets';
  opts = checkOptions(opts, ['stacked'], fn);
  const raw = labels instanceof tf.Tensor ? Array.from(labels.dataSync()) : labels;
  check(raw !== null && typeof raw === 'object' && typeof raw.length === 'number' && raw.length >= 1, fn, 'labels', 'a non-empty array of integer labels', labels);
  const arr = Array.from(raw);
  arr.forEach((v, i) => check(Number.isInteger(v) && v <= MAX_ARRAY_LENGTH, fn, `labels[${i}]`, `an integer class label ≤ ${MAX_ARRAY_LENGTH} (negative: unknown class)`, v));
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
 * @throws {BeatSslError} when a count is not an integer in [0, maxCount], or the mask would exceed 2³¹ − 1 values.
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
  const maxPerRecord = Math.floor(MAX_ARRAY_LENGTH / (2 * N));
  check(maxCount <= maxPerRecord, fn, 'maxCount', `an integer ≤ ${maxPerRecord} (the mask has 2 · ${N} · maxCount values)`, maxCount);
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
