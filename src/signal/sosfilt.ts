/**
 * Applying second-order-section filters: causal (`sosfilt`) and zero-phase forward–backward
 * (`sosfiltfilt`), numerically equivalent to SciPy's functions of the same names.
 * @module
 */
import { checkInt, fail } from '../core/errors';
import type { Samples } from '../core/types';
import type { Sos } from './butterworth';
import { checkFiniteSamples, sameType } from './_internal/samples';
import { defaultSosPadLen, flattenSos, sosfiltfiltCore, sosfiltInPlace, sosZiFlat } from './_internal/sosCore';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Options of {@link sosfilt}. */
export interface SosfiltOptions {
  /**
   * Initial state, one `[z0, z1]` pair per section (SciPy's `zi` layout, e.g. `sosfiltZi(sos)`
   * scaled by the first sample). Default: zeros (filter starts at rest).
   */
  zi?: readonly (readonly number[])[];
}
const SOSFILT_KEYS = optionKeys<SosfiltOptions>()('zi');

/**
 * Filters a signal causally through cascaded second-order sections (Direct Form II transposed),
 * like SciPy `sosfilt(sos, x)`. Introduces the filter's phase delay; see {@link sosfiltfilt}
 * for zero-phase filtering.
 * @param sos second-order sections `[b0, b1, b2, a0, a1, a2]` (e.g. from `butterSos`)
 * @param x samples `[time]` (any unit; the output has the same unit). Must be finite.
 * @param options optional initial state `zi`
 * @returns filtered samples `[time]`, a new array of the same type as `x`
 * @throws if `sos` is malformed, `x` is not a Float32Array/Float64Array or contains NaN/±Infinity
 *   (the message names the first bad index)
 * @example
 * ```ts
 * const y = sosfilt(butterSos(2, 40, 'lowpass', 500), x);
 * ```
 */
export function sosfilt<T extends Samples>(sos: Sos, x: T, options: SosfiltOptions = {}): T {
  const fn = 'sosfilt';
  checkOptions(options, SOSFILT_KEYS, fn, 'options');
  const flat = flattenSos(sos, fn);
  checkFiniteSamples(x, fn);
  const nSec = flat.length / 6;
  const zi = new Float64Array(2 * nSec);
  if (options.zi !== undefined) {
    const z = options.zi;
    if (!Array.isArray(z) || z.length !== nSec) fail(fn, 'options.zi', `an array of ${nSec} [z0, z1] pairs`, z);
    for (let s = 0; s < nSec; s++) {
      const row = z[s];
      if (!row || row.length !== 2 || !Number.isFinite(row[0]) || !Number.isFinite(row[1])) {
        fail(fn, `options.zi[${s}]`, 'a pair of finite numbers', row);
      }
      zi[2 * s] = row[0]!;
      zi[2 * s + 1] = row[1]!;
    }
  }
  const buf = Float64Array.from(x);
  sosfiltInPlace(flat, buf, zi);
  return sameType(x, buf) as T;
}

/**
 * Steady-state initial conditions of a SOS filter for a unit step input (SciPy `sosfilt_zi`).
 * Multiply by the first sample to start a filter without a transient.
 * @param sos second-order sections
 * @returns one `[z0, z1]` pair per section
 * @throws if `sos` is malformed
 * @example
 * ```ts
 * const zi = sosfiltZi(sos).map(([a, b]) => [a * x[0], b * x[0]]);
 * const y = sosfilt(sos, x, { zi });
 * ```
 */
export function sosfiltZi(sos: Sos): number[][] {
  const flat = flattenSos(sos, 'sosfiltZi');
  const zi = sosZiFlat(flat);
  const out: number[][] = [];
  for (let s = 0; s < zi.length / 2; s++) out.push([zi[2 * s]!, zi[2 * s + 1]!]);
  return out;
}

/** Options of {@link sosfiltfilt}. */
export interface SosfiltfiltOptions {
  /**
   * Number of samples of odd extension added at each end before filtering (SciPy `padlen`).
   * Default `3 · (2·nSections + 1 − #sections with b2 = a2 = 0)`, SciPy's default.
   * Must be less than the signal length; `0` disables padding.
   */
  padLen?: number;
}
const SOSFILTFILT_KEYS = optionKeys<SosfiltfiltOptions>()('padLen');

/**
 * Zero-phase forward–backward filtering with second-order sections, like SciPy
 * `sosfiltfilt(sos, x)` (odd extension of `padLen` samples at each end, steady-state initial
 * conditions for both passes). The effective magnitude response is the square of the filter's.
 * @param sos second-order sections (e.g. from `butterSos`)
 * @param x samples `[time]`, finite, longer than `padLen`
 * @param options `padLen` (samples); default as SciPy
 * @returns filtered samples `[time]`, a new array of the same type as `x`
 * @throws if `sos` is malformed, `x` contains NaN/±Infinity, or `x.length <= padLen`
 * @example
 * ```ts
 * const clean = sosfiltfilt(butterSos(2, [0.5, 40], 'bandpass', 500), x);
 * ```
 */
export function sosfiltfilt<T extends Samples>(sos: Sos, x: T, options: SosfiltfiltOptions = {}): T {
  const fn = 'sosfiltfilt';
  checkOptions(options, SOSFILTFILT_KEYS, fn, 'options');
  const flat = flattenSos(sos, fn);
  checkFiniteSamples(x, fn);
  const padLen = options.padLen === undefined ? defaultSosPadLen(flat) : checkInt(options.padLen, fn, 'options.padLen', 0);
  if (x.length <= padLen) {
    fail(fn, 'x', `longer than padLen = ${padLen} samples (pass a smaller options.padLen for short signals)`, x);
  }
  return sameType(x, sosfiltfiltCore(flat, x, padLen)) as T;
}
