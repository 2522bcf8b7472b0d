/**
 * Private helpers shared by the signal functions: input validation and typed-array plumbing.
 * @module
 */
import { fail } from '../../core/errors';
import type { Samples } from '../../core/types';

/** Asserts a Float32Array/Float64Array of finite samples; throws naming the first bad index. */
export function checkFiniteSamples(x: unknown, fn: string, arg = 'x', minLength = 1): Samples {
  if (!(x instanceof Float32Array || x instanceof Float64Array)) fail(fn, arg, 'a Float32Array or Float64Array', x);
  if (x.length < minLength) fail(fn, arg, `at least ${minLength} sample${minLength === 1 ? '' : 's'} long`, x);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) {
      fail(fn, arg, 'finite samples (use interpolateNaN or the nan: "interpolate" option for gaps)', `${Number.isNaN(v) ? 'NaN' : v} at index ${i}`);
    }
  }
  return x;
}

/** A new array of the same type (Float32Array or Float64Array) as `like`, filled from `src`. */
export function sameType(like: Samples, src: ArrayLike<number>): Samples {
  return like instanceof Float32Array ? Float32Array.from(src) : Float64Array.from(src);
}
