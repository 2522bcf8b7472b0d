/**
 * Missing-sample handling. beat-ssl's NaN policy (WFDB readers return invalid samples as NaN):
 * - filters and resampling (which smear a sample over its neighbours) **throw** on NaN/±Infinity,
 *   naming the first bad index; fill gaps explicitly with {@link interpolateNaN}, or pass
 *   `nan: 'interpolate'` to the convenience filters;
 * - pointwise transforms (derived limb leads, ECG ↔ VCG) propagate NaN sample by sample;
 * - standardisation ignores NaN in its statistics and keeps NaN in place.
 * @module
 */
import { fail } from '../core/errors';
import type { Samples } from '../core/types';

/**
 * Replaces NaN/±Infinity samples by linear interpolation between the nearest finite neighbours;
 * leading/trailing gaps take the first/last finite value.
 * @param x samples `[time]` (any unit)
 * @returns a new array of the same type with no non-finite values (a copy when there are none)
 * @throws if `x` is not a Float32Array/Float64Array or has no finite sample at all
 * @example
 * ```ts
 * interpolateNaN(new Float32Array([1, NaN, 3])); // Float32Array [1, 2, 3]
 * ```
 */
export function interpolateNaN<T extends Samples>(x: T): T {
  const fn = 'interpolateNaN';
  if (!(x instanceof Float32Array || x instanceof Float64Array)) fail(fn, 'x', 'a Float32Array or Float64Array', x);
  const y = x.slice() as T;
  const n = y.length;
  let prev = -1; // index of the last finite sample
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!)) continue;
    if (i - prev > 1) {
      if (prev < 0) {
        for (let j = 0; j < i; j++) y[j] = y[i]!;
      } else {
        const a = y[prev]!;
        const b = y[i]!;
        const span = i - prev;
        for (let j = prev + 1; j < i; j++) y[j] = a + ((b - a) * (j - prev)) / span;
      }
    }
    prev = i;
  }
  if (prev < 0) fail(fn, 'x', 'a signal with at least one finite sample', n === 0 ? x : 'only NaN/Infinity');
  for (let j = prev + 1; j < n; j++) y[j] = y[prev]!;
  return y;
}
