/**
 * 12-lead ECG ↔ vectorcardiogram (VCG) transforms with the published Kors, inverse Dower and
 * Dower matrices (`vcgCoefficients.ts`), on plain typed arrays, records and tf tensors
 * (`[batch, time, 12]` ↔ `[batch, time, 3]`, one matMul). Both forms share the same coefficients.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { BeatSslError, check, checkOneOf, fail } from '../core/errors';
import type { EcgRecord, Samples } from '../core/types';
import { CANONICAL_LEADS, selectLeads } from './leads';
import { DOWER, INVERSE_DOWER, KORS, VCG_LEADS } from './vcgCoefficients';
import { checkOptions, optionKeys } from '../core/_internal/options';

export { DOWER, INVERSE_DOWER, KORS, VCG_LEADS } from './vcgCoefficients';

/** ECG → VCG reconstruction method: Kors regression or inverse Dower. */
export type VcgMethod = 'kors' | 'inverseDower';

/** Allowed {@link VcgMethod} values. */
export const VCG_METHODS: readonly VcgMethod[] = ['kors', 'inverseDower'];

/** Names given to the VCG axes in records returned by {@link ecgToVcg}. */
export const VCG_AXES = ['X', 'Y', 'Z'] as const;

/** Options of {@link ecgToVcg}. */
export interface EcgToVcgOptions {
  /** `'inverseDower'` (default; the 3KG augmentation's choice) or `'kors'`. */
  method?: VcgMethod;
}

/** Canonical index of each table lead (I, II, V1–V6) in the 12-lead order. */
const TABLE_TO_CANON = VCG_LEADS.map((l) => CANONICAL_LEADS.indexOf(l));

/**
 * ECG → VCG matrix `[leads, 3]` (row-major) for `nLeads` = 12 (canonical order; the derived limb
 * leads get zero weight) or 8 (table order I, II, V1–V6): `vcg[t, a] = Σ_l ecg[t, l] · M[l, a]`.
 * @param method `'inverseDower'` or `'kors'`
 * @param nLeads 12 (canonical lead order) or 8 (I, II, V1–V6)
 * @returns a new `Float64Array` of length `nLeads · 3` (dimensionless weights; mV in → mV out)
 * @throws {BeatSslError} if `method` or `nLeads` is not one of the allowed values
 * @example
 * ```ts
 * const m = ecgToVcgMatrix('kors', 12); // [12, 3]
 * const w = tf.tensor2d(Float32Array.from(m), [12, 3]); // for your own matMul
 * ```
 */
export function ecgToVcgMatrix(method: VcgMethod, nLeads: 8 | 12): Float64Array {
  checkOneOf(method, VCG_METHODS, 'ecgToVcgMatrix', 'method');
  check(nLeads === 8 || nLeads === 12, 'ecgToVcgMatrix', 'nLeads', 'one of 8, 12', nLeads);
  const table = method === 'kors' ? KORS : INVERSE_DOWER;
  const m = new Float64Array(nLeads * 3);
  for (let j = 0; j < 8; j++) {
    const row = nLeads === 12 ? TABLE_TO_CANON[j]! : j;
    for (let a = 0; a < 3; a++) m[row * 3 + a] = table[a]![j]!;
  }
  return m;
}

/**
 * VCG → 12-lead ECG matrix `[3, 12]` (row-major, canonical lead order): Dower for I, II, V1–V6,
 * and III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2 folded in.
 * @returns a new `Float64Array` of length 36 (`ecg[t, l] = Σ_a vcg[t, a] · M[a, l]`; mV in → mV out)
 * @throws never
 * @example
 * ```ts
 * const m = vcgToEcgMatrix(); // [3, 12]
 * const twelve = tf.matMul(vcg2d, tf.tensor2d(Float32Array.from(m), [3, 12])); // [time, 12]
 * ```
 */
export function vcgToEcgMatrix(): Float64Array {
  const m = new Float64Array(3 * 12);
  for (let a = 0; a < 3; a++) {
    const I = DOWER[0]![a]!;
    const II = DOWER[1]![a]!;
    const col = [I, II, II - I, -(I + II) / 2, I - II / 2, II - I / 2, ...DOWER.slice(2).map((r) => r[a]!)];
    for (let l = 0; l < 12; l++) m[a * 12 + l] = col[l]!;
  }
  return m;
}

function isRecord(x: unknown): x is EcgRecord {
  return !!x && typeof x === 'object' && !Array.isArray(x) && Array.isArray((x as EcgRecord).signals) && Array.isArray((x as EcgRecord).leads);
}

function checkLeadArrays(x: readonly unknown[], fn: string, counts: readonly number[], arg = 'x'): Samples[] {
  check(counts.includes(x.length), fn, arg, `an array of ${counts.join(' or ')} lead arrays`, x);
  const n = (x[0] as Samples | undefined)?.length;
  x.forEach((s, i) => {
    if (!(s instanceof Float32Array || s instanceof Float64Array)) fail(fn, `${arg}[${i}]`, 'a Float32Array or Float64Array', s);
    check(s.length === n, fn, `${arg}[${i}]`, `${n} samples like ${arg}[0]`, s);
  });
  return x as Samples[];
}

/** y[k] = Σ_l x[l] · M[l, k] over time, for M `[L, K]` row-major. */
function mixLeads(x: readonly Samples[], m: Float64Array, outCount: number, like: Samples): Samples[] {
  const L = x.length;
  const n = x[0]!.length;
  const out: Samples[] = [];
  for (let k = 0; k < outCount; k++) {
    const y = like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
    const acc = new Float64Array(n);
    for (let l = 0; l < L; l++) {
      const w = m[l * outCount + k]!;
      if (w === 0) continue;
      const s = x[l]!;
      for (let t = 0; t < n; t++) acc[t]! += w * s[t]!;
    }
    y.set(acc);
    out.push(y);
  }
  return out;
}

function tensorMix(fn: string, x: tf.Tensor, m: Float64Array, inCount: number, outCount: number, arg = 'x'): tf.Tensor {
  return tf.tidy(() => {
    const shape = x.shape;
    check(shape.length >= 2, fn, arg, `a tensor of shape [..., time, ${inCount}] (rank ≥ 2)`, x);
    const lead = shape[shape.length - 1]!;
    check(lead === inCount, fn, arg, `a tensor whose last dimension is ${inCount}`, x);
    const flat = tf.reshape(tf.cast(x, 'float32'), [-1, inCount]);
    const w = tf.tensor2d(Float32Array.from(m), [inCount, outCount]);
    return tf.reshape(tf.matMul(flat, w), [...shape.slice(0, -1), outCount]);
  });
}

/**
 * Reconstructs the vectorcardiogram (X, Y, Z, mV) from a 12-lead ECG with the Kors regression or
 * the inverse Dower matrix. Only I, II and V1–V6 enter (the other limb leads are combinations of I and II).
 *
 * Accepted inputs:
 * - an array of 12 lead arrays in canonical order (I, II, III, aVR, aVL, aVF, V1–V6), or of 8 in
 *   table order (I, II, V1–V6) → `[X, Y, Z]` arrays of the same type;
 * - an {@link EcgRecord} (leads found by name, any order/case) → a record with leads `X, Y, Z`;
 * - a tf tensor `[..., time, 12]` (or `[..., time, 8]`) → a float32 tensor `[..., time, 3]`,
 *   computed with one matMul inside `tf.tidy` (the input is not disposed).
 * @param x ECG in mV (see above)
 * @param options `method`: `'inverseDower'` (default) or `'kors'`
 * @returns the VCG in the form of the input
 * @throws if the method is unknown, a lead is missing (named), or lengths/shapes disagree
 * @example
 * ```ts
 * const [vx, vy, vz] = ecgToVcg(twelveLeads, { method: 'kors' });
 * const vcg = ecgToVcg(batch); // tensor [batch, time, 12] → [batch, time, 3]
 * ```
 */
export function ecgToVcg(x: tf.Tensor, options?: EcgToVcgOptions): tf.Tensor;
/** Record form of {@link ecgToVcg}: leads found by name (any order/case); returns a record with leads `X, Y, Z` (mV). */
export function ecgToVcg(x: EcgRecord, options?: EcgToVcgOptions): EcgRecord;
/** Array form of {@link ecgToVcg}: 12 leads `[time]` in canonical order (or 8: I, II, V1–V6) → `[X, Y, Z]` of the same array type (mV). */
export function ecgToVcg<T extends Samples>(x: readonly T[], options?: EcgToVcgOptions): T[];
export function ecgToVcg(x: tf.Tensor | EcgRecord | readonly Samples[], options: EcgToVcgOptions = {}): tf.Tensor | EcgRecord | Samples[] {
  const fn = 'ecgToVcg';
  checkOptions(options, optionKeys<EcgToVcgOptions>()('method'), fn, 'options');
  const method = options.method === undefined ? 'inverseDower' : checkOneOf(options.method, VCG_METHODS, fn, 'options.method');
  if (x instanceof tf.Tensor) {
    const n = x.shape[x.rank - 1] === 8 ? 8 : 12;
    check(x.rank >= 2 && (x.shape[x.rank - 1] === 12 || n === 8), fn, 'x', 'a tensor [..., time, 12] (or [..., time, 8])', x);
    return tensorMix(fn, x, ecgToVcgMatrix(method, n), n, 3);
  }
  if (isRecord(x)) {
    let sel: EcgRecord;
    try {
      sel = selectLeads(x, VCG_LEADS);
    } catch (e) {
      // report the missing lead as an error of ecgToVcg, the function the user called
      if (e instanceof BeatSslError) throw new BeatSslError(fn, e.message.replace(/^Error in selectLeads: /, ''), e.arg);
      throw e;
    }
    const signals = mixLeads(checkLeadArrays(sel.signals, fn, [8]), ecgToVcgMatrix(method, 8), 3, new Float32Array(0)) as Float32Array[];
    return { ...x, leads: [...VCG_AXES], signals, units: ['mV', 'mV', 'mV'], comments: [...(x.comments ?? [])] };
  }
  if (!Array.isArray(x)) fail(fn, 'x', 'an array of lead arrays, an EcgRecord or a tf.Tensor', x);
  const leads = checkLeadArrays(x, fn, [12, 8]);
  const n = leads.length as 8 | 12;
  return mixLeads(leads, ecgToVcgMatrix(method, n), 3, leads[0]!);
}

/**
 * Synthesises the 12-lead ECG from a VCG with the Dower matrix (I, II, V1–V6), deriving III, aVR,
 * aVL and aVF from I and II (so Einthoven's and Goldberger's identities hold exactly).
 *
 * Accepted inputs: `[X, Y, Z]` typed arrays → 12 arrays in canonical order; a record with leads
 * named `X, Y, Z` (or `vx, vy, vz`) → a 12-lead record; a tensor `[..., time, 3]` → `[..., time, 12]`
 * (one matMul in `tf.tidy`).
 * @param v VCG in mV
 * @returns 12 leads in canonical order I, II, III, aVR, aVL, aVF, V1–V6 (mV), in the input's form
 * @throws if the input is not 3 equal-length leads / a `[..., 3]` tensor
 * @example
 * ```ts
 * const twelve = vcgToEcg([vx, vy, vz]);
 * ```
 */
export function vcgToEcg(v: tf.Tensor): tf.Tensor;
/** Record form of {@link vcgToEcg}: a record with leads `X, Y, Z` (or `vx, vy, vz`) → a 12-lead record (mV). */
export function vcgToEcg(v: EcgRecord): EcgRecord;
/** Array form of {@link vcgToEcg}: `[X, Y, Z]` arrays `[time]` → 12 arrays in canonical order, same array type (mV). */
export function vcgToEcg<T extends Samples>(v: readonly T[]): T[];
export function vcgToEcg(v: tf.Tensor | EcgRecord | readonly Samples[]): tf.Tensor | EcgRecord | Samples[] {
  const fn = 'vcgToEcg';
  const m = vcgToEcgMatrix();
  if (v instanceof tf.Tensor) return tensorMix(fn, v, m, 3, 12, 'v');
  if (isRecord(v)) {
    const idx = ['x', 'y', 'z'].map((a) => v.leads.findIndex((l) => [a, `v${a}`].includes(l.trim().toLowerCase())));
    idx.forEach((i, k) => {
      if (i < 0) fail(fn, 'v', `a record with lead ${VCG_AXES[k]} (or v${VCG_AXES[k]!.toLowerCase()}) (has ${JSON.stringify(v.leads)})`, v.name);
    });
    const xyz = checkLeadArrays(idx.map((i) => v.signals[i]!), fn, [3], 'v.signals');
    const signals = mixLeads(xyz, m, 12, new Float32Array(0)) as Float32Array[];
    return { ...v, leads: [...CANONICAL_LEADS], signals, units: CANONICAL_LEADS.map(() => 'mV'), comments: [...(v.comments ?? [])] };
  }
  if (!Array.isArray(v)) fail(fn, 'v', 'an array [X, Y, Z] of typed arrays, an EcgRecord or a tf.Tensor', v);
  const xyz = checkLeadArrays(v, fn, [3], 'v');
  return mixLeads(xyz, m, 12, xyz[0]!);
}
