/**
 * Error helpers. Every thrown message follows
 * `Error in <fn>: <arg> must be <expected>, but got <actual>.`
 * @module
 */

/** The error type thrown by beat-ssl for bad input. `fn` and `arg` are kept for programmatic use. */
export class BeatSslError extends Error {
  /** Function that rejected the input. */
  readonly fn: string;
  /** Argument (or file) that was wrong, when known. */
  readonly arg?: string;
  constructor(fn: string, message: string, arg?: string) {
    super(`Error in ${fn}: ${message}`);
    this.name = 'BeatSslError';
    this.fn = fn;
    this.arg = arg;
  }
}

/** Short printable description of any value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    return `${name}(${(value as unknown as { length: number }).length})`;
  }
  if (Array.isArray(value)) {
    return value.length <= 6 ? `[${value.map(describe).join(', ')}]` : `array of length ${value.length}`;
  }
  if (typeof value === 'object' && value && 'shape' in value && Array.isArray((value as { shape: unknown }).shape)) {
    return `tensor of shape [${(value as { shape: number[] }).shape.join(', ')}]`;
  }
  if (typeof value === 'function') return 'a function';
  try {
    const s = JSON.stringify(value);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return typeof value;
  }
}

/**
 * Throws `Error in <fn>: <arg> must be <expected>, but got <actual>.`
 * @param fn function name, e.g. `'detectRPeaks'`
 * @param arg argument name, e.g. `'fs'`
 * @param expected what was expected, e.g. `'a positive number (Hz)'`
 * @param actual the offending value (described with {@link describe})
 */
export function fail(fn: string, arg: string, expected: string, actual: unknown): never {
  throw new BeatSslError(fn, `${arg} must be ${expected}, but got ${describe(actual)}.`, arg);
}

/** Asserts `cond`; otherwise {@link fail}s with the same message format. */
export function check(cond: boolean, fn: string, arg: string, expected: string, actual: unknown): asserts cond {
  if (!cond) fail(fn, arg, expected, actual);
}

/** Asserts a finite positive number, e.g. a sampling rate in Hz. Returns it. */
export function checkPositive(value: unknown, fn: string, arg: string, unit = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(fn, arg, `a finite positive number${unit ? ` (${unit})` : ''}`, value);
  }
  return value;
}

/** Asserts a sampling rate: a finite positive number in Hz. Returns it. */
export function checkFs(fs: unknown, fn: string, arg = 'fs'): number {
  return checkPositive(fs, fn, arg, 'Hz');
}

/** Asserts an integer within `[min, max]`. Returns it. */
export function checkInt(value: unknown, fn: string, arg: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = Number.isFinite(min) && Number.isFinite(max) ? ` in [${min}, ${max}]` : Number.isFinite(min) ? ` ≥ ${min}` : '';
    fail(fn, arg, `an integer${range}`, value);
  }
  return value;
}

/** Asserts a number within `[min, max]`. Returns it. */
export function checkRange(value: unknown, fn: string, arg: string, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) fail(fn, arg, `a number in [${min}, ${max}]`, value);
  return value;
}

/** Asserts `value` is one of `allowed` (for `method`-style string options). Returns it. */
export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], fn: string, arg: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(fn, arg, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** Asserts a Float32Array/Float64Array (optionally non-empty). Returns it. */
export function checkSamples(value: unknown, fn: string, arg: string, opts: { minLength?: number } = {}): Float32Array | Float64Array {
  if (!(value instanceof Float32Array || value instanceof Float64Array)) fail(fn, arg, 'a Float32Array or Float64Array', value);
  const minLength = opts.minLength ?? 1;
  if (value.length < minLength) fail(fn, arg, `at least ${minLength} samples long`, value);
  return value;
}
