/**
 * Per-lead standardisation: z-score (mean / standard deviation) or robust (median / scaled MAD).
 * NaN policy: statistics are computed over the finite samples only; NaN/±Infinity samples stay
 * NaN in the output (so gaps remain visible); a lead with no finite sample is returned as all NaN.
 * @module
 */
import { checkOneOf, checkPositive, fail } from '../core/errors';
import type { EcgRecord, Samples } from '../core/types';
import { checkEcgRecord } from '../core/_internal/record';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Standardisation method. */
export type StandardizeMethod = 'zscore' | 'robust';

/** Options of {@link standardizeSignal} / {@link standardizeRecord}. */
export interface StandardizeOptions {
  /**
   * `'zscore'` (default): `(x − mean) / std` (population std, ddof 0).
   * `'robust'`: `(x − median) / (1.4826 · MAD)`, insensitive to spikes and artefacts
   * (1.4826·MAD equals the std for Gaussian data).
   */
  method?: StandardizeMethod;
  /** Smallest scale (signal units, e.g. mV) used as divisor; a flat lead becomes all zeros. Default 1e-8. */
  eps?: number;
}
const STANDARDIZE_KEYS = optionKeys<StandardizeOptions>()('method', 'eps');

/** Centre and scale of a signal as used by {@link standardizeSignal}. */
export interface SignalStats {
  /** Mean (zscore) or median (robust), in the signal's unit. */
  center: number;
  /** Std (zscore) or 1.4826·MAD (robust), in the signal's unit. NaN when there is no finite sample. */
  scale: number;
  /** Number of finite samples used. */
  count: number;
}

const MAD_TO_STD = 1.482602218505602; // 1 / Φ⁻¹(3/4)

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const h = n >> 1;
  return n % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

/**
 * Centre and scale of a signal over its finite samples (see {@link StandardizeOptions.method}).
 * @param x samples `[time]`
 * @param options `method` ('zscore' default | 'robust')
 * @returns `{ center, scale, count }` in the signal's unit
 * @throws if `x` is not a Float32Array/Float64Array or the method is unknown
 * @example
 * ```ts
 * signalStats(x, { method: 'robust' }); // { center: 0.01, scale: 0.21, count: 5000 }
 * ```
 */
export function signalStats(x: Samples, options: StandardizeOptions = {}): SignalStats {
  return statsOf('signalStats', x, options);
}

/** {@link signalStats} with errors naming the public function `fn`. */
function statsOf(fn: string, x: Samples, options: StandardizeOptions | undefined): SignalStats {
  options = checkOptions(options, STANDARDIZE_KEYS, fn, 'options');
  if (!(x instanceof Float32Array || x instanceof Float64Array)) fail(fn, 'x', 'a Float32Array or Float64Array', x);
  const method = options.method === undefined ? 'zscore' : checkOneOf(options.method, ['zscore', 'robust'] as const, fn, 'options.method');
  let count = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) count++;
  if (count === 0) return { center: NaN, scale: NaN, count };
  if (method === 'zscore') {
    let sum = 0;
    for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) sum += x[i]!;
    const mean = sum / count;
    let ss = 0;
    for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) ss += (x[i]! - mean) ** 2;
    return { center: mean, scale: Math.sqrt(ss / count), count };
  }
  const v = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) v[k++] = x[i]!;
  v.sort();
  const med = median(v);
  for (let i = 0; i < count; i++) v[i] = Math.abs(v[i]! - med);
  v.sort();
  return { center: med, scale: MAD_TO_STD * median(v), count };
}

/**
 * Standardises one lead: `(x − center) / max(scale, eps)` (see {@link StandardizeOptions}).
 * @param x samples `[time]` (e.g. mV)
 * @param options `method` ('zscore' default | 'robust'), `eps` (default 1e-8)
 * @returns dimensionless samples `[time]`, new array of the same type; non-finite inputs stay NaN
 * @throws if `x` is not a typed array, the method is unknown or `eps` is not positive
 * @example
 * ```ts
 * const z = standardizeSignal(x); // mean 0, std 1
 * ```
 */
export function standardizeSignal<T extends Samples>(x: T, options: StandardizeOptions = {}): T {
  return standardizeAs('standardizeSignal', x, options);
}

/** {@link standardizeSignal} with errors naming the public function `fn`. */
function standardizeAs<T extends Samples>(fn: string, x: T, options: StandardizeOptions | undefined): T {
  const { center, scale } = statsOf(fn, x, options);
  const eps = options?.eps === undefined ? 1e-8 : checkPositive(options.eps, fn, 'options.eps');
  const s = Math.max(scale, eps);
  const y = (x instanceof Float32Array ? new Float32Array(x.length) : new Float64Array(x.length)) as T;
  for (let i = 0; i < x.length; i++) y[i] = Number.isFinite(x[i]!) ? (x[i]! - center) / s : NaN;
  return y;
}

/**
 * Standardises every lead of a record independently (see {@link standardizeSignal}).
 * @param record record with signals in mV
 * @param options `method`, `eps`
 * @returns a new record with dimensionless `Float32Array` signals; `units` become `'z'`
 * @throws as {@link standardizeSignal}
 * @example
 * ```ts
 * const z = standardizeRecord(record, { method: 'robust' });
 * ```
 */
export function standardizeRecord(record: EcgRecord, options: StandardizeOptions = {}): EcgRecord {
  const fn = 'standardizeRecord';
  checkEcgRecord(record, fn);
  const signals = record.signals.map((s) => {
    const y = standardizeAs(fn, s, options);
    return y instanceof Float32Array ? y : Float32Array.from(y);
  });
  return { ...record, leads: [...record.leads], units: record.signals.map(() => 'z'), comments: [...(record.comments ?? [])], signals };
}
