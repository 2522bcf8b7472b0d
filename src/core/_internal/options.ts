/**
 * Options objects of the public functions: one list of valid keys per options type, checked by
 * the compiler against the type, and one runtime check (an object, only known keys).
 * @internal
 * @module
 */
import { checkKnownKeys, fail } from '../errors';

type Missing<T, K extends readonly PropertyKey[]> = Exclude<keyof T, K[number]>;

/**
 * The option names of `T`, listed once: `optionKeys<FooOptions>()('a', 'b')`. A name that is not
 * a key of `T`, or a key of `T` left out, is a compile error, so the runtime list cannot drift
 * from the type.
 */
export function optionKeys<T>() {
  return <const K extends readonly (keyof T & string)[]>(...keys: [Missing<T, K>] extends [never] ? K : ['missing option key', Missing<T, K>]): K => keys as unknown as K;
}

/**
 * Checks an options argument: `undefined` gives `{}`; anything but a plain object (null, an
 * array, a number, a string, a tensor, a class instance) is an error; unknown keys are errors
 * listing the valid ones ({@link checkKnownKeys}). Returns the object.
 */
export function checkOptions<T extends object>(opts: T | undefined, allowed: readonly string[], fn: string, arg = 'opts'): T {
  if (opts === undefined) return {} as T;
  const proto = opts !== null && typeof opts === 'object' ? Object.getPrototypeOf(opts) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    fail(fn, arg, `an options object (valid keys: ${allowed.map((k) => `'${k}'`).join(', ')})`, opts);
  }
  checkKnownKeys(opts, allowed, fn, arg);
  return opts;
}
