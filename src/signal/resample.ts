/**
 * Anti-aliased rational resampling (polyphase FIR with a Kaiser-windowed sinc), equivalent to
 * SciPy `resample_poly(x, up, down)` with its default `window=('kaiser', 5.0)`.
 * @module
 */
import { check, checkFs, checkInt, checkOneOf, checkPositive, fail } from '../core/errors';
import type { EcgRecord, Samples } from '../core/types';
import { checkFiniteSamples, sameType } from './_internal/samples';
import { checkEcgRecord } from '../core/_internal/record';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Largest up/down factor accepted after reduction by the gcd (filter length is `20·max + 1`). */
export const MAX_RESAMPLE_FACTOR = 10000;

/** Options of {@link resamplePoly} and {@link resample}. */
export interface ResampleOptions {
  /** Kaiser window β of the anti-aliasing FIR (SciPy default 5.0). */
  kaiserBeta?: number;
  /**
   * Values assumed beyond the ends: `'constant'` (zeros, SciPy's default) or `'mean'` (the
   * signal mean is removed before and added back after, avoiding edge droop on offset signals).
   */
  padType?: 'constant' | 'mean';
}
const RESAMPLE_KEYS = optionKeys<ResampleOptions>()('kaiserBeta', 'padType');

const gcd = (a: number, b: number): number => {
  while (b) [a, b] = [b, a % b];
  return a;
};

/** Modified Bessel function of the first kind, order 0 (power series; exact to double rounding for |x| ≲ 30). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Low-pass FIR (SciPy `firwin(numTaps, cutoff, window=('kaiser', beta))`, cutoff relative to Nyquist). */
function kaiserSincFir(numTaps: number, cutoff: number, beta: number): Float64Array {
  const h = new Float64Array(numTaps);
  const alpha = (numTaps - 1) / 2;
  const i0b = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < numTaps; n++) {
    const m = n - alpha;
    const arg = cutoff * m;
    const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
    const r = (n - alpha) / alpha;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
    h[n] = cutoff * sinc * w;
    sum += h[n]!;
  }
  for (let n = 0; n < numTaps; n++) h[n]! /= sum;
  return h;
}

/** Small cache of designed anti-aliasing filters (pure function of its key; bounded size). */
const firCache = new Map<string, Float64Array>();

function cachedFir(numTaps: number, cutoff: number, beta: number): Float64Array {
  const key = `${numTaps}/${cutoff}/${beta}`;
  let h = firCache.get(key);
  if (!h) {
    h = kaiserSincFir(numTaps, cutoff, beta);
    if (firCache.size >= 16) firCache.delete(firCache.keys().next().value as string);
    firCache.set(key, h);
  }
  return h;
}

/** Polyphase core: returns `ceil(n·up/down)` samples of `upfirdn(h, x, up, down)` aligned like SciPy. */
function polyphase(x: ArrayLike<number>, up: number, down: number, beta: number, offset: number): Float64Array {
  const nIn = x.length;
  const nOut = Math.ceil((nIn * up) / down);
  const maxRate = Math.max(up, down);
  const halfLen = 10 * maxRate;
  const h0 = cachedFir(2 * halfLen + 1, 1 / maxRate, beta);
  const nPrePad = down - (halfLen % down);
  const nPreRemove = Math.floor((halfLen + nPrePad) / down);
  const L = h0.length + nPrePad;
  const h = new Float64Array(L);
  for (let j = 0; j < h0.length; j++) h[nPrePad + j] = h0[j]! * up;
  const y = new Float64Array(nOut);
  for (let i = 0; i < nOut; i++) {
    const kk = (i + nPreRemove) * down;
    let tMin = Math.ceil((kk - L + 1) / up);
    if (tMin < 0) tMin = 0;
    let tMax = Math.floor(kk / up);
    if (tMax > nIn - 1) tMax = nIn - 1;
    let acc = 0;
    for (let t = tMin, j = kk - tMin * up; t <= tMax; t++, j -= up) acc += h[j]! * (x[t]! - offset);
    y[i] = acc + offset;
  }
  return y;
}

/**
 * Resamples by the rational factor `up / down` with an anti-aliasing Kaiser-windowed sinc FIR
 * (SciPy `resample_poly(x, up, down)`): output length `ceil(n · up / down)` after reducing
 * `up/down` by their gcd; sample `i` of the output is at time `i · down / up` input samples.
 * @param x samples `[time]`, finite
 * @param up integer upsampling factor ≥ 1
 * @param down integer downsampling factor ≥ 1
 * @param options `kaiserBeta` (default 5), `padType` (default 'constant')
 * @returns resampled samples, new array of the same type as `x`
 * @throws if `up`/`down` are not positive integers (≤ 10000 after gcd) or `x` has NaN/±Infinity
 * @example
 * ```ts
 * const y = resamplePoly(x, 1, 5); // 500 Hz → 100 Hz
 * ```
 */
export function resamplePoly<T extends Samples>(x: T, up: number, down: number, options: ResampleOptions = {}): T {
  const fn = 'resamplePoly';
  checkInt(up, fn, 'up', 1);
  checkInt(down, fn, 'down', 1);
  checkFiniteSamples(x, fn);
  const g = gcd(up, down);
  return resampleCore(fn, x, up / g, down / g, options);
}

function resampleCore<T extends Samples>(fn: string, x: T, up: number, down: number, options: ResampleOptions): T {
  checkOptions(options, RESAMPLE_KEYS, fn, 'options');
  check(Math.max(up, down) <= MAX_RESAMPLE_FACTOR, fn, 'up/down', `reducible to factors ≤ ${MAX_RESAMPLE_FACTOR}`, `${up}/${down}`);
  const beta = options.kaiserBeta === undefined ? 5 : checkPositive(options.kaiserBeta, fn, 'options.kaiserBeta');
  const padType = options.padType === undefined ? 'constant' : checkOneOf(options.padType, ['constant', 'mean'] as const, fn, 'options.padType');
  if (up === 1 && down === 1) return x.slice() as T;
  let offset = 0;
  if (padType === 'mean') {
    for (let i = 0; i < x.length; i++) offset += x[i]!;
    offset /= x.length;
  }
  return sameType(x, polyphase(x, up, down, beta, offset)) as T;
}

/**
 * The reduced rational factor `{ up, down }` with `fsOut / fsIn = up / down`. Non-integer rates
 * are accepted when the ratio is rational with factors ≤ 10000 (e.g. 128 → 100.5 Hz).
 * @param fsIn input rate in Hz
 * @param fsOut output rate in Hz
 * @returns coprime integers `up`, `down`
 * @throws if a rate is not positive or the ratio needs factors above 10000
 * @example
 * ```ts
 * resampleFactors(360, 250); // { up: 25, down: 36 }
 * ```
 */
export function resampleFactors(fsIn: number, fsOut: number): { up: number; down: number } {
  const fn = 'resampleFactors';
  checkFs(fsIn, fn, 'fsIn');
  checkFs(fsOut, fn, 'fsOut');
  for (let scale = 1; scale <= 1e6; scale *= 10) {
    const a = Math.round(fsIn * scale);
    const b = Math.round(fsOut * scale);
    if (Math.abs(a - fsIn * scale) < 1e-6 && Math.abs(b - fsOut * scale) < 1e-6 && a > 0 && b > 0) {
      const g = gcd(a, b);
      const up = b / g;
      const down = a / g;
      if (Math.max(up, down) <= MAX_RESAMPLE_FACTOR) return { up, down };
      break;
    }
  }
  return fail(fn, 'fsOut / fsIn', `a rational ratio with factors ≤ ${MAX_RESAMPLE_FACTOR}`, `${fsOut} / ${fsIn}`);
}

/**
 * Resamples one signal from `fsIn` to `fsOut` Hz with anti-aliasing (polyphase Kaiser-sinc FIR,
 * same output as SciPy `resample_poly(x, up, down)` with `up/down = fsOut/fsIn` reduced).
 * Output length `ceil(n · up / down)`.
 * @param x samples `[time]` at `fsIn`, finite (see `interpolateNaN`)
 * @param fsIn input sampling rate in Hz
 * @param fsOut output sampling rate in Hz
 * @param options `kaiserBeta` (default 5), `padType` ('constant' default, or 'mean')
 * @returns samples `[ceil(n·fsOut/fsIn)]` at `fsOut`, new array of the same type as `x`
 * @throws if a rate is not positive, the ratio is not rational with small factors, or `x` has NaN/±Infinity
 * @example
 * ```ts
 * const y100 = resample(x500, 500, 100); // length x500.length / 5
 * ```
 */
export function resample<T extends Samples>(x: T, fsIn: number, fsOut: number, options: ResampleOptions = {}): T {
  const fn = 'resample';
  checkFs(fsIn, fn, 'fsIn');
  checkFs(fsOut, fn, 'fsOut');
  checkFiniteSamples(x, fn);
  const { up, down } = resampleFactors(fsIn, fsOut);
  return resampleCore(fn, x, up, down, options);
}

/**
 * Resamples every lead of a record to `fs` Hz (see {@link resample}); other fields are copied.
 * @param record record with `fs` and equal-length `signals` (mV)
 * @param fs target sampling rate in Hz
 * @param options `kaiserBeta`, `padType`
 * @returns a new record at `fs` with `Float32Array` signals of length `ceil(n·fs/record.fs)`
 * @throws if `fs` is not positive, the ratio is not rational with small factors, or a lead has NaN/±Infinity (named)
 * @example
 * ```ts
 * const r100 = resampleRecord(await readRecord('examples/data/ludb/1'), 100);
 * ```
 */
export function resampleRecord(record: EcgRecord, fs: number, options: ResampleOptions = {}): EcgRecord {
  const fn = 'resampleRecord';
  checkEcgRecord(record, fn);
  checkFs(record.fs, fn, 'record.fs');
  checkFs(fs, fn, 'fs');
  checkOptions(options, RESAMPLE_KEYS, fn, 'options');
  const { up, down } = resampleFactors(record.fs, fs);
  const signals = record.signals.map((s, i) => {
    const lead = record.leads?.[i] ?? String(i);
    const x = checkFiniteSamples(s, fn, `record.signals[${i}] (${lead})`);
    const y = resampleCore(fn, x, up, down, options);
    return y instanceof Float32Array ? y : Float32Array.from(y);
  });
  return { ...record, fs, leads: [...record.leads], units: record.units ? [...record.units] : signals.map(() => 'mV'), comments: [...(record.comments ?? [])], signals };
}
