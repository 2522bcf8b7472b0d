/**
 * Error helpers. Every thrown message follows
 * `Error in <fn>: <arg> must be <expected>, but got <actual>.`
 * @module
 */

/**
 * The error type thrown by beat-ssl for bad input. `fn` and `arg` are kept for programmatic use.
 * @example
 * ```ts
 * try {
 *   detectRPeaks(signal, NaN);
 * } catch (e) {
 *   if (e instanceof BeatSslError) console.error(e.fn, e.arg); // 'detectRPeaks' 'fs'
 * }
 * ```
 */
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

/**
 * Short printable description of any value for error messages (typed arrays and tensors by type
 * and length/shape, long strings and arrays abbreviated). Never throws.
 * @param value anything
 * @returns a one-line description, at most about 60 characters for strings/objects
 * @throws never
 * @example
 * ```ts
 * describe(new Float32Array(5000)); // 'Float32Array(5000)'
 * describe(tf.zeros([2, 10, 12])); // 'tensor of shape [2, 10, 12]'
 * ```
 */
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
 * @returns never returns
 * @throws {BeatSslError} always
 * @example
 * ```ts
 * fail('resample', 'fsOut', 'a positive number (Hz)', -1);
 * // throws "Error in resample: fsOut must be a positive number (Hz), but got -1."
 * ```
 */
export function fail(fn: string, arg: string, expected: string, actual: unknown): never {
  throw new BeatSslError(fn, `${arg} must be ${expected}, but got ${describe(actual)}.`, arg);
}

/**
 * Asserts `cond`; otherwise {@link fail}s with the same message format.
 * @param cond the condition that must hold
 * @param fn function name for the message
 * @param arg argument name for the message
 * @param expected what was expected (phrase after "must be")
 * @param actual the offending value
 * @returns nothing (narrows `cond` to `true`)
 * @throws {BeatSslError} when `cond` is false
 * @example
 * ```ts
 * check(x.length === y.length, 'myFn', 'y', `${x.length} samples like x`, y);
 * ```
 */
export function check(cond: boolean, fn: string, arg: string, expected: string, actual: unknown): asserts cond {
  if (!cond) fail(fn, arg, expected, actual);
}

/**
 * Asserts a finite positive number, e.g. a duration in seconds. Returns it.
 * @param value the value to check
 * @param fn function name for the message
 * @param arg argument name for the message
 * @param unit optional unit shown in the message, e.g. `'s'`
 * @returns `value`, typed as a number
 * @throws {BeatSslError} unless `value` is a finite number > 0
 * @example
 * ```ts
 * const windowSec = checkPositive(opts.windowSec ?? 0.15, 'compareBeats', 'opts.windowSec', 's');
 * ```
 */
export function checkPositive(value: unknown, fn: string, arg: string, unit = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(fn, arg, `a finite positive number${unit ? ` (${unit})` : ''}`, value);
  }
  return value;
}

/**
 * Smallest sampling rate accepted by beat-ssl's processing functions (Hz): one sample per
 * 1000 s. Below it, sample-to-time conversions overflow to ±Infinity (e.g. RR intervals).
 */
export const MIN_FS = 1e-3;

/**
 * Largest sampling rate accepted by beat-ssl's processing functions (Hz): 1 MHz, far above any
 * ECG (≤ 32 kHz even for pacemaker-spike work). Above about 1e9 Hz the Butterworth designs of
 * `beat-ssl/signal` return NaN for ECG cutoffs (0.5–40 Hz), and detectors size their buffers from
 * `fs`. The readers of `beat-ssl/io` accept header rates up to 1e9 Hz (`WFDB_HEADER_RANGES`):
 * reading is not processing.
 */
export const MAX_FS = 1e6;

/**
 * Asserts a sampling rate: a number in [{@link MIN_FS}, {@link MAX_FS}] Hz (0.001 Hz to 1 MHz).
 * Returns it. Every public function that takes a sampling rate checks it here.
 * @param fs the sampling rate to check (Hz)
 * @param fn function name for the message
 * @param arg argument name for the message (default `'fs'`)
 * @returns `fs` in Hz
 * @throws {BeatSslError} unless `fs` is a finite number > 0 within [MIN_FS, MAX_FS]
 * @example
 * ```ts
 * checkFs(0, 'bandpass'); // throws "Error in bandpass: fs must be a finite positive number (Hz), but got 0."
 * checkFs(1e12, 'bandpass'); // throws "Error in bandpass: fs must be a sampling rate in [0.001, 1000000] Hz (MIN_FS, MAX_FS), but got 1000000000000."
 * ```
 */
export function checkFs(fs: unknown, fn: string, arg = 'fs'): number {
  const v = checkPositive(fs, fn, arg, 'Hz');
  if (v < MIN_FS || v > MAX_FS) fail(fn, arg, `a sampling rate in [${MIN_FS}, ${MAX_FS}] Hz (MIN_FS, MAX_FS)`, v);
  return v;
}

/**
 * Asserts an integer within `[min, max]`. Returns it.
 * @param value the value to check
 * @param fn function name for the message
 * @param arg argument name for the message
 * @param min smallest allowed value (default −∞)
 * @param max largest allowed value (default +∞)
 * @returns `value`, typed as a number
 * @throws {BeatSslError} unless `value` is an integer in `[min, max]`
 * @example
 * ```ts
 * const order = checkInt(opts.order ?? 4, 'lowpass', 'opts.order', 1, 20);
 * ```
 */
export function checkInt(value: unknown, fn: string, arg: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = Number.isFinite(min) && Number.isFinite(max) ? ` in [${min}, ${max}]` : Number.isFinite(min) ? ` ≥ ${min}` : Number.isFinite(max) ? ` ≤ ${max}` : '';
    fail(fn, arg, `an integer${range}`, value);
  }
  return value;
}

/**
 * Asserts a number within `[min, max]` (NaN is rejected). Returns it.
 * @param value the value to check
 * @param fn function name for the message
 * @param arg argument name for the message
 * @param min smallest allowed value
 * @param max largest allowed value
 * @returns `value`, typed as a number
 * @throws {BeatSslError} unless `min ≤ value ≤ max`
 * @example
 * ```ts
 * const p = checkRange(opts.prob ?? 1, 'gaussianNoise', 'opts.prob', 0, 1);
 * ```
 */
export function checkRange(value: unknown, fn: string, arg: string, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) fail(fn, arg, `a number in [${min}, ${max}]`, value);
  return value;
}

/**
 * Asserts `value` is one of `allowed` (for `method`-style string options). Returns it.
 * @param value the value to check
 * @param allowed the allowed strings, listed in the message
 * @param fn function name for the message
 * @param arg argument name for the message
 * @returns `value`, typed as one of `allowed`
 * @throws {BeatSslError} naming every allowed value, unless `value` is one of them
 * @example
 * ```ts
 * checkOneOf('z', ['zscore', 'robust'], 'standardizeSignal', 'options.method');
 * // throws "... options.method must be one of 'zscore', 'robust', but got "z"."
 * ```
 */
export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], fn: string, arg: string): T {
  if (!Array.isArray(allowed)) fail('checkOneOf', 'allowed', 'an array of the allowed strings', allowed);
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(fn, arg, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/**
 * Asserts that an options object has only known keys, so a misspelled option (`{ std: 0.1 }` for
 * `{ stdMv: 0.1 }`) is an error instead of a silently used default. `undefined` values count as absent.
 * @param options the options object (anything else is left to the caller's own checks)
 * @param allowed the option names the function reads
 * @param fn function name for the message
 * @param arg argument name for the message (e.g. `'opts'`)
 * @throws {BeatSslError} naming the unknown key(s) and listing the valid ones
 * @example
 * ```ts
 * checkKnownKeys({ std: 1 }, ['stdMv', 'seed'], 'gaussianNoise', 'opts');
 * // throws "Error in gaussianNoise: opts must have only the keys 'stdMv', 'seed', but got unknown key 'std'."
 * ```
 */
export function checkKnownKeys(options: unknown, allowed: readonly string[], fn: string, arg: string): void {
  if (!Array.isArray(allowed)) fail('checkKnownKeys', 'allowed', 'an array of the valid option names', allowed);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return;
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k) && (options as Record<string, unknown>)[k] !== undefined);
  if (unknown.length === 0) return;
  const list = allowed.map((a) => `'${a}'`).join(', ');
  throw new BeatSslError(fn, `${arg} must have only the keys ${list}, but got unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}.`, arg);
}

/**
 * Asserts a Float32Array/Float64Array of at least `opts.minLength` samples (default 1). Returns it.
 * @param value the value to check, samples `[time]`
 * @param fn function name for the message
 * @param arg argument name for the message
 * @param opts `minLength`: minimum number of samples (default 1)
 * @returns `value`, typed as a float typed array
 * @throws {BeatSslError} if `value` is not a Float32Array/Float64Array or is too short
 * @example
 * ```ts
 * const x = checkSamples(signal, 'detectRPeaks', 'signal');
 * ```
 */
export function checkSamples(value: unknown, fn: string, arg: string, opts: { minLength?: number } = {}): Float32Array | Float64Array {
  if (!(value instanceof Float32Array || value instanceof Float64Array)) fail(fn, arg, 'a Float32Array or Float64Array', value);
  const minLength = opts.minLength ?? 1;
  if (value.length < minLength) fail(fn, arg, `at least ${minLength} sample${minLength === 1 ? '' : 's'} long`, value);
  return value;
}
