/**
 * Convenience ECG filters on plain typed arrays: Butterworth band-pass, low-pass, high-pass,
 * notch and baseline-wander removal. Each designs second-order sections (`butterSos`,
 * `notchSos`) and applies them zero-phase (`sosfiltfilt`, default) or causally (`sosfilt`).
 * @module
 */
import { checkFs, checkInt, checkOneOf, checkPositive, check, fail } from '../core/errors';
import type { Samples } from '../core/types';
import { butterSos, MAX_BUTTER_ORDER, MAX_NOTCH_Q, notchSos, type Sos } from './butterworth';
import { interpolateNaN } from './missing';
import { checkFiniteSamples, sameType } from './_internal/samples';
import { defaultSosPadLen, flattenSos, sosfiltfiltCore, sosfiltInPlace } from './_internal/sosCore';
import { medianFilter } from './_internal/median';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** What to do with NaN/±Infinity samples: `'throw'` (default, names the index) or `'interpolate'` (linear, see `interpolateNaN`). */
export type NanPolicy = 'throw' | 'interpolate';

/** Options shared by the Butterworth convenience filters. */
export interface ButterFilterOptions {
  /** Butterworth order N in [1, 16]. Default 4 for low/high-pass, 2 for band-pass (2N = 4 poles). */
  order?: number;
  /**
   * Zero-phase forward–backward filtering (`sosfiltfilt`, default `true`; the magnitude response is
   * squared, no delay). `false` filters causally (`sosfilt`, phase delay, no look-ahead).
   */
  zeroPhase?: boolean;
  /** NaN policy, default `'throw'`. */
  nan?: NanPolicy;
}
const BUTTER_KEYS = optionKeys<ButterFilterOptions>()('order', 'zeroPhase', 'nan');

/**
 * Applies designed SOS to `x` honouring `zeroPhase` and the NaN policy. For zero-phase filtering of
 * signals not longer than SciPy's default pad length, the pad shrinks to `x.length − 1`.
 */
function applySos<T extends Samples>(fn: string, sos: Sos, x: T, zeroPhase: boolean, nan: NanPolicy): T {
  if (!(x instanceof Float32Array || x instanceof Float64Array)) fail(fn, 'x', 'a Float32Array or Float64Array', x);
  const input = nan === 'interpolate' ? interpolateNaN(x) : x;
  checkFiniteSamples(input, fn);
  const flat = flattenSos(sos, fn);
  if (zeroPhase) {
    const padLen = Math.min(defaultSosPadLen(flat), input.length - 1);
    return sameType(x, sosfiltfiltCore(flat, input, padLen)) as T;
  }
  const buf = Float64Array.from(input);
  sosfiltInPlace(flat, buf, new Float64Array(flat.length / 3));
  return sameType(x, buf) as T;
}

function opts(fn: string, options: ButterFilterOptions | undefined, defaultOrder: number): { order: number; zeroPhase: boolean; nan: NanPolicy } {
  const o = checkOptions(options, BUTTER_KEYS, fn, 'options');
  const order = o.order === undefined ? defaultOrder : checkInt(o.order, fn, 'options.order', 1, MAX_BUTTER_ORDER);
  const zeroPhase = o.zeroPhase ?? true;
  check(typeof zeroPhase === 'boolean', fn, 'options.zeroPhase', 'a boolean', zeroPhase);
  const nan = o.nan === undefined ? 'throw' : checkOneOf(o.nan, ['throw', 'interpolate'] as const, fn, 'options.nan');
  return { order, zeroPhase, nan };
}

function cutoffCheck(fn: string, arg: string, f: number, fs: number): void {
  checkPositive(f, fn, arg, 'Hz');
  check(f < fs / 2, fn, arg, `below the Nyquist frequency fs/2 = ${fs / 2} Hz`, f);
}

/**
 * Butterworth band-pass filter (zero-phase by default), e.g. the 0.5–40 Hz ECG pre-filter.
 * @param x samples `[time]` (e.g. mV)
 * @param fs sampling rate in Hz
 * @param lowHz lower cutoff in Hz, > 0
 * @param highHz upper cutoff in Hz, > `lowHz` and < `fs / 2`
 * @param options `order` (default 2 → 4 poles), `zeroPhase` (default true), `nan` (default 'throw')
 * @returns filtered samples `[time]`, same unit, new array of the same type as `x`
 * @throws on a bad `fs`, cutoffs outside (0, fs/2) or not increasing, order outside [1, 16], NaN input (policy 'throw')
 * @example
 * ```ts
 * const y = bandpass(record.signals[1], record.fs, 0.5, 40);
 * ```
 */
export function bandpass<T extends Samples>(x: T, fs: number, lowHz: number, highHz: number, options: ButterFilterOptions = {}): T {
  const fn = 'bandpass';
  checkFs(fs, fn);
  cutoffCheck(fn, 'lowHz', lowHz, fs);
  cutoffCheck(fn, 'highHz', highHz, fs);
  check(lowHz < highHz, fn, 'highHz', `greater than lowHz = ${lowHz} Hz`, highHz);
  const o = opts(fn, options, 2);
  return applySos(fn, butterSos(o.order, [lowHz, highHz], 'bandpass', fs), x, o.zeroPhase, o.nan);
}

/**
 * Butterworth low-pass filter (zero-phase by default).
 * @param x samples `[time]`
 * @param fs sampling rate in Hz
 * @param cutoffHz cutoff (−3 dB for a causal filter, −6 dB zero-phase) in Hz, in (0, fs/2)
 * @param options `order` (default 4), `zeroPhase` (default true), `nan` (default 'throw')
 * @returns filtered samples `[time]`, new array of the same type as `x`
 * @throws on a bad `fs`, cutoff outside (0, fs/2), order outside [1, 16], NaN input (policy 'throw')
 * @example
 * ```ts
 * const smooth = lowpass(x, 500, 40);
 * ```
 */
export function lowpass<T extends Samples>(x: T, fs: number, cutoffHz: number, options: ButterFilterOptions = {}): T {
  const fn = 'lowpass';
  checkFs(fs, fn);
  cutoffCheck(fn, 'cutoffHz', cutoffHz, fs);
  const o = opts(fn, options, 4);
  return applySos(fn, butterSos(o.order, cutoffHz, 'lowpass', fs), x, o.zeroPhase, o.nan);
}

/**
 * Butterworth high-pass filter (zero-phase by default).
 * @param x samples `[time]`
 * @param fs sampling rate in Hz
 * @param cutoffHz cutoff in Hz, in (0, fs/2)
 * @param options `order` (default 4), `zeroPhase` (default true), `nan` (default 'throw')
 * @returns filtered samples `[time]`, new array of the same type as `x`
 * @throws on a bad `fs`, cutoff outside (0, fs/2), order outside [1, 16], NaN input (policy 'throw')
 * @example
 * ```ts
 * const noDrift = highpass(x, 500, 0.5);
 * ```
 */
export function highpass<T extends Samples>(x: T, fs: number, cutoffHz: number, options: ButterFilterOptions = {}): T {
  const fn = 'highpass';
  checkFs(fs, fn);
  cutoffCheck(fn, 'cutoffHz', cutoffHz, fs);
  const o = opts(fn, options, 4);
  return applySos(fn, butterSos(o.order, cutoffHz, 'highpass', fs), x, o.zeroPhase, o.nan);
}

/** Options of {@link notch}. */
export interface NotchOptions {
  /** Quality factor: centre frequency / −3 dB bandwidth. Default 30. */
  q?: number;
  /** Zero-phase (default true) or causal. */
  zeroPhase?: boolean;
  /** NaN policy, default `'throw'`. */
  nan?: NanPolicy;
}
const NOTCH_KEYS = optionKeys<NotchOptions>()('q', 'zeroPhase', 'nan');

/**
 * Removes a narrow band around `freqHz` (mains hum, 50 or 60 Hz) with a second-order IIR notch
 * (SciPy `iirnotch`), zero-phase by default.
 * @param x samples `[time]`
 * @param fs sampling rate in Hz
 * @param freqHz notch frequency in Hz, in (0, fs/2)
 * @param options `q` (default 30), `zeroPhase` (default true), `nan` (default 'throw')
 * @returns filtered samples `[time]`, new array of the same type as `x`
 * @throws on a bad `fs`, a `q` outside (0, 1e4], a frequency outside (0, fs/2), NaN input (policy 'throw')
 * @example
 * ```ts
 * const y = notch(x, 500, 50, { q: 30 });
 * ```
 */
export function notch<T extends Samples>(x: T, fs: number, freqHz: number, options: NotchOptions = {}): T {
  const fn = 'notch';
  checkFs(fs, fn);
  cutoffCheck(fn, 'freqHz', freqHz, fs);
  checkOptions(options, NOTCH_KEYS, fn, 'options');
  const q = options.q === undefined ? 30 : checkPositive(options.q, fn, 'options.q');
  check(q <= MAX_NOTCH_Q, fn, 'options.q', `a quality factor in (0, ${MAX_NOTCH_Q}] (MAX_NOTCH_Q)`, q);
  const o = opts(fn, { zeroPhase: options.zeroPhase, nan: options.nan }, 1);
  return applySos(fn, notchSos(freqHz, q, fs), x, o.zeroPhase, o.nan);
}

/** Options of {@link removeBaselineWander}. */
export interface BaselineOptions {
  /**
   * `'highpass'` (default): zero-phase Butterworth high-pass at `cutoffHz`.
   * `'median'`: subtract the baseline estimated by two cascaded median filters of
   * `windowsSec` (default 0.2 s then 0.6 s; removes P/QRS then T), edges repeat the end samples.
   */
  method?: 'highpass' | 'median';
  /** High-pass cutoff in Hz (method 'highpass'), default 0.5. */
  cutoffHz?: number;
  /** High-pass order (method 'highpass'), default 2. */
  order?: number;
  /** Median window lengths in seconds (method 'median'), default `[0.2, 0.6]`; rounded to odd sample counts. */
  windowsSec?: readonly number[];
  /** NaN policy, default `'throw'`. */
  nan?: NanPolicy;
}
const BASELINE_KEYS = optionKeys<BaselineOptions>()('method', 'cutoffHz', 'order', 'windowsSec', 'nan');

/**
 * Removes baseline wander (respiration, electrode drift) from one lead.
 * @param x samples `[time]` in mV
 * @param fs sampling rate in Hz
 * @param options `method` ('highpass' | 'median'), `cutoffHz`, `order`, `windowsSec`, `nan`
 * @returns samples `[time]` with the baseline removed, new array of the same type as `x`
 * @throws on a bad `fs`, method, cutoff, window, or NaN input (policy 'throw')
 * @example
 * ```ts
 * const flat = removeBaselineWander(x, 500, { method: 'median' });
 * ```
 */
export function removeBaselineWander<T extends Samples>(x: T, fs: number, options: BaselineOptions = {}): T {
  const fn = 'removeBaselineWander';
  checkFs(fs, fn);
  checkOptions(options, BASELINE_KEYS, fn, 'options');
  const method = options.method === undefined ? 'highpass' : checkOneOf(options.method, ['highpass', 'median'] as const, fn, 'options.method');
  const nan = options.nan === undefined ? 'throw' : checkOneOf(options.nan, ['throw', 'interpolate'] as const, fn, 'options.nan');
  if (method === 'highpass') {
    const cutoffHz = options.cutoffHz ?? 0.5;
    cutoffCheck(fn, 'options.cutoffHz', cutoffHz, fs);
    const order = options.order === undefined ? 2 : checkInt(options.order, fn, 'options.order', 1, MAX_BUTTER_ORDER);
    return applySos(fn, butterSos(order, cutoffHz, 'highpass', fs), x, true, nan);
  }
  if (!(x instanceof Float32Array || x instanceof Float64Array)) fail(fn, 'x', 'a Float32Array or Float64Array', x);
  const input = nan === 'interpolate' ? interpolateNaN(x) : x;
  checkFiniteSamples(input, fn);
  const windows = options.windowsSec ?? [0.2, 0.6];
  check(Array.isArray(windows) && windows.length > 0, fn, 'options.windowsSec', 'a non-empty array of durations in seconds', windows);
  let base: ArrayLike<number> = input;
  for (const w of windows) {
    checkPositive(w, fn, 'options.windowsSec', 's');
    const len = Math.max(1, Math.round(w * fs)) | 1;
    base = medianFilter(base, len);
  }
  const out = new Float64Array(input.length);
  for (let i = 0; i < out.length; i++) out[i] = input[i]! - base[i]!;
  return sameType(x, out) as T;
}
