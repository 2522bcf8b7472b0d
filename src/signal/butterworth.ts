/**
 * Butterworth IIR filter design as second-order sections (SOS), equivalent to SciPy's
 * `scipy.signal.butter(order, Wn, btype, fs=fs, output='sos')` (analog prototype, frequency
 * prewarping, bilinear transform, `zpk2sos` with `'nearest'` pole–zero pairing), and a notch
 * design equivalent to `scipy.signal.iirnotch`.
 * @module
 */
import { check, checkFs, checkInt, checkOneOf, checkPositive, fail } from '../core/errors';
import { type Complex, cabs, cadd, cconj, cdiv, cmul, cscale, csqrt, csub, cx, isReal } from './_internal/complex';

/**
 * Second-order sections: one row `[b0, b1, b2, a0, a1, a2]` per section (SciPy's `sos` layout,
 * `a0 === 1`). Cascading the rows in order gives the filter.
 */
export type Sos = number[][];

/** Band type of a Butterworth design. */
export type ButterType = 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

/** Allowed band types (for validation messages). */
export const BUTTER_TYPES: readonly ButterType[] = ['lowpass', 'highpass', 'bandpass', 'bandstop'];

/** Largest accepted Butterworth order (higher orders are numerically pointless for ECG work). */
export const MAX_BUTTER_ORDER = 16;

const EPS = 2.220446049250313e-16;

/** Analog Butterworth prototype poles (cutoff 1 rad/s), like SciPy's `buttap`. */
function buttap(order: number): Complex[] {
  const p: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const theta = (Math.PI * m) / (2 * order);
    // -exp(i·theta)
    p.push(cx(-Math.cos(theta), -Math.sin(theta)));
  }
  return p;
}

const prod = (v: Complex[]): Complex => v.reduce((acc, c) => cmul(acc, c), cx(1));

interface Zpk {
  z: Complex[];
  p: Complex[];
  k: number;
}

/** Splits complex-conjugate pairs and real values like SciPy's `_cplxreal`: returns the
 *  positive-imaginary members (pairs averaged) sorted by real part, then the real values sorted. */
function cplxreal(values: Complex[]): Complex[] {
  const tol = 100 * EPS;
  const sorted = values.slice().sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im));
  const reals: number[] = [];
  const pos: Complex[] = [];
  const neg: Complex[] = [];
  for (const v of sorted) {
    if (Math.abs(v.im) <= tol * cabs(v)) reals.push(v.re);
    else if (v.im > 0) pos.push(v);
    else neg.push(v);
  }
  if (pos.length !== neg.length) throw new Error('Error in butterSos: internal pole/zero set has an unpaired complex value.');
  const used = new Array<boolean>(neg.length).fill(false);
  const pairs: Complex[] = pos.map((a) => {
    let best = -1;
    let bestDist = Infinity;
    for (let j = 0; j < neg.length; j++) {
      if (used[j]) continue;
      const d = cabs(csub(a, cconj(neg[j]!)));
      if (d < bestDist) {
        bestDist = d;
        best = j;
      }
    }
    used[best] = true;
    return cscale(cadd(a, cconj(neg[best]!)), 0.5);
  });
  reals.sort((a, b) => a - b);
  return [...pairs, ...reals.map((r) => cx(r))];
}

/** Index of the element of `from` nearest to `to`, restricted to real/complex/any. */
function nearestIdx(from: Complex[], to: Complex, which: 'real' | 'complex' | 'any'): number {
  let best = -1;
  let bestDist = Infinity;
  for (let i = 0; i < from.length; i++) {
    const v = from[i]!;
    if (which === 'real' && !isReal(v)) continue;
    if (which === 'complex' && isReal(v)) continue;
    const d = cabs(csub(v, to));
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  return best;
}

/** Polynomial coefficients (highest power first) of a second-order factor with roots r1, r2 (real result). */
function section(zs: Complex[], ps: Complex[]): number[] {
  const poly2 = (r: Complex[]): number[] => {
    if (r.length === 2) {
      const s = cadd(r[0]!, r[1]!);
      const m = cmul(r[0]!, r[1]!);
      return [1, -s.re, m.re];
    }
    if (r.length === 1) return [0, 1, -r[0]!.re];
    return [0, 0, 1];
  };
  return [...poly2(zs), ...poly2(ps)];
}

function worstIdx(p: Complex[]): number {
  let best = 0;
  let bestDist = Infinity;
  for (let i = 0; i < p.length; i++) {
    const d = Math.abs(1 - cabs(p[i]!));
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  return best;
}

/** Digital zpk → SOS with SciPy's `'nearest'` pairing (worst poles last, gain in section 0). */
function zpkToSos(zIn: Complex[], pIn: Complex[], k: number): Sos {
  if (zIn.length === 0 && pIn.length === 0) return [[k, 0, 0, 1, 0, 0]];
  let p = pIn.slice();
  let z = zIn.slice();
  while (p.length < z.length) p.push(cx(0));
  while (z.length < p.length) z.push(cx(0));
  const nSections = (Math.max(p.length, z.length) + 1) >> 1;
  if (p.length % 2 === 1) {
    p.push(cx(0));
    z.push(cx(0));
  }
  z = cplxreal(z);
  p = cplxreal(p);
  const sos: Sos = new Array(nSections);
  const take = (arr: Complex[], idx: number): Complex => arr.splice(idx, 1)[0]!;
  const nReal = (arr: Complex[]): number => arr.reduce((n, v) => n + (isReal(v) ? 1 : 0), 0);
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = take(p, worstIdx(p));
    if (isReal(p1) && nReal(p) === 0) {
      const z1 = take(z, nearestIdx(z, p1, 'real'));
      sos[si] = section([z1, cx(0)], [p1, cx(0)]);
    } else if (p.length + 1 === z.length && !isReal(p1) && nReal(p) === 1 && nReal(z) === 1) {
      const z1 = take(z, nearestIdx(z, p1, 'complex'));
      sos[si] = section([z1, cconj(z1)], [p1, cconj(p1)]);
    } else {
      let p2: Complex;
      if (isReal(p1)) {
        const realIdx: number[] = [];
        p.forEach((v, i) => isReal(v) && realIdx.push(i));
        const sub = realIdx.map((i) => p[i]!);
        p2 = take(p, realIdx[worstIdx(sub)]!);
      } else {
        p2 = cconj(p1);
      }
      if (z.length > 0) {
        const z1 = take(z, nearestIdx(z, p1, 'any'));
        if (!isReal(z1)) {
          sos[si] = section([z1, cconj(z1)], [p1, p2]);
        } else if (z.length > 0) {
          const z2 = take(z, nearestIdx(z, p1, 'real'));
          sos[si] = section([z1, z2], [p1, p2]);
        } else {
          sos[si] = section([z1], [p1, p2]);
        }
      } else {
        sos[si] = section([], [p1, p2]);
      }
    }
  }
  for (let j = 0; j < 3; j++) sos[0]![j]! *= k;
  return sos;
}

function bilinear({ z, p, k }: Zpk, fs2: number): Zpk {
  const degree = p.length - z.length;
  const f = cx(fs2);
  const zz = z.map((v) => cdiv(cadd(f, v), csub(f, v)));
  const pz = p.map((v) => cdiv(cadd(f, v), csub(f, v)));
  for (let i = 0; i < degree; i++) zz.push(cx(-1));
  const kz = k * cdiv(prod(z.map((v) => csub(f, v))), prod(p.map((v) => csub(f, v)))).re;
  return { z: zz, p: pz, k: kz };
}

/**
 * Designs a digital Butterworth filter as second-order sections.
 *
 * Same result as SciPy `butter(order, cutoffHz, btype=type, fs=fs, output='sos')` (to rounding):
 * analog prototype → frequency transform with prewarped edges → bilinear transform → SOS with
 * nearest pole–zero pairing. A band design of `order` N has 2N poles (N per edge).
 *
 * @param order filter order N, integer in [1, 16]
 * @param cutoffHz cutoff in Hz (`lowpass`/`highpass`) or `[lowHz, highHz]` (`bandpass`/`bandstop`);
 *   every edge strictly between 0 and `fs / 2`
 * @param type `'lowpass' | 'highpass' | 'bandpass' | 'bandstop'`
 * @param fs sampling rate in Hz
 * @returns SOS rows `[b0, b1, b2, 1, a1, a2]`, `ceil(N/2)` (low/high) or N (band) sections
 * @throws if `fs` is not positive, the order is out of range, or a cutoff is not inside (0, fs/2)
 * @example
 * ```ts
 * const sos = butterSos(4, 40, 'lowpass', 500); // 2 sections
 * const y = sosfiltfilt(sos, x);
 * ```
 */
export function butterSos(order: number, cutoffHz: number | readonly [number, number], type: ButterType, fs: number): Sos {
  const fn = 'butterSos';
  checkFs(fs, fn);
  checkInt(order, fn, 'order', 1, MAX_BUTTER_ORDER);
  checkOneOf(type, BUTTER_TYPES, fn, 'type');
  const nyq = fs / 2;
  const band = type === 'bandpass' || type === 'bandstop';
  let edges: number[];
  if (band) {
    if (!Array.isArray(cutoffHz) || cutoffHz.length !== 2) fail(fn, 'cutoffHz', `[lowHz, highHz] for a ${type} design`, cutoffHz);
    edges = [cutoffHz[0] as number, cutoffHz[1] as number];
    check(edges[0]! < edges[1]!, fn, 'cutoffHz', 'increasing [lowHz, highHz]', cutoffHz);
  } else {
    if (typeof cutoffHz !== 'number') fail(fn, 'cutoffHz', `one frequency in Hz for a ${type} design`, cutoffHz);
    edges = [cutoffHz];
  }
  for (const e of edges) {
    checkPositive(e, fn, 'cutoffHz', 'Hz');
    check(e < nyq, fn, 'cutoffHz', `below the Nyquist frequency fs/2 = ${nyq} Hz`, cutoffHz);
  }
  // Prewarp (SciPy works at a normalised fs = 2: warped = 4·tan(π·Wn/2), Wn = f / nyq).
  const fsN = 2;
  const warped = edges.map((e) => 2 * fsN * Math.tan((Math.PI * (e / nyq)) / fsN));
  const p0 = buttap(order);
  let zpk: Zpk;
  if (type === 'lowpass') {
    const wo = warped[0]!;
    zpk = { z: [], p: p0.map((v) => cscale(v, wo)), k: wo ** order };
  } else if (type === 'highpass') {
    const wo = warped[0]!;
    const p = p0.map((v) => cdiv(cx(wo), v));
    const z: Complex[] = new Array(order).fill(0).map(() => cx(0));
    const k = cdiv(cx(1), prod(p0.map((v) => cscale(v, -1)))).re;
    zpk = { z, p, k };
  } else {
    const bw = warped[1]! - warped[0]!;
    const wo = Math.sqrt(warped[0]! * warped[1]!);
    const wo2 = cx(wo * wo);
    if (type === 'bandpass') {
      const pl = p0.map((v) => cscale(v, bw / 2));
      const root = pl.map((v) => csqrt(csub(cmul(v, v), wo2)));
      const p = [...pl.map((v, i) => cadd(v, root[i]!)), ...pl.map((v, i) => csub(v, root[i]!))];
      const z: Complex[] = new Array(order).fill(0).map(() => cx(0));
      zpk = { z, p, k: bw ** order };
    } else {
      const ph = p0.map((v) => cdiv(cx(bw / 2), v));
      const root = ph.map((v) => csqrt(csub(cmul(v, v), wo2)));
      const p = [...ph.map((v, i) => cadd(v, root[i]!)), ...ph.map((v, i) => csub(v, root[i]!))];
      const z: Complex[] = [];
      for (let i = 0; i < order; i++) z.push(cx(0, wo));
      for (let i = 0; i < order; i++) z.push(cx(0, -wo));
      const k = cdiv(cx(1), prod(p0.map((v) => cscale(v, -1)))).re;
      zpk = { z, p, k };
    }
  }
  const d = bilinear(zpk, 2 * fsN);
  return zpkToSos(d.z, d.p, d.k);
}

/**
 * Largest quality factor of the notch filters (`notchSos`, `notch`): 10⁴. The notch's -3 dB width
 * is `freqHz / q` and it settles in about `q / (π · freqHz)` seconds (64 s at 50 Hz and q = 10⁴); its
 * poles sit about `π · freqHz / (q · fs)` inside the unit circle. At q = 1e12 the design is the
 * identity filter to 12 digits: a setting that silently does nothing.
 */
export const MAX_NOTCH_Q = 1e4;

/**
 * Designs a second-order IIR notch (band-stop) filter, like SciPy `iirnotch(freqHz, q, fs)`.
 * The -3 dB bandwidth is `freqHz / q`.
 * @param freqHz notch centre frequency in Hz, strictly between 0 and `fs / 2` (e.g. 50 or 60)
 * @param q quality factor (dimensionless), in (0, {@link MAX_NOTCH_Q} = 1e4]; e.g. 30
 * @param fs sampling rate in Hz
 * @returns one SOS row `[b0, b1, b2, 1, a1, a2]`
 * @throws if `fs` is not positive, `q` not in (0, 1e4] or `freqHz` is not inside (0, fs/2)
 * @example
 * ```ts
 * const y = sosfiltfilt(notchSos(50, 30, 500), x); // remove 50 Hz mains hum
 * ```
 */
export function notchSos(freqHz: number, q: number, fs: number): Sos {
  const fn = 'notchSos';
  checkFs(fs, fn);
  checkPositive(q, fn, 'q');
  check(q <= MAX_NOTCH_Q, fn, 'q', `a quality factor in (0, ${MAX_NOTCH_Q}] (MAX_NOTCH_Q)`, q);
  checkPositive(freqHz, fn, 'freqHz', 'Hz');
  check(freqHz < fs / 2, fn, 'freqHz', `below the Nyquist frequency fs/2 = ${fs / 2} Hz`, freqHz);
  const w0 = (2 * freqHz) / fs;
  const bw = (w0 / q) * Math.PI;
  const beta = Math.tan(bw / 2); // gb = 1/√2 → sqrt(1 - gb²)/gb = 1
  const gain = 1 / (1 + beta);
  const c = Math.cos(Math.PI * w0);
  return [[gain, -2 * c * gain, gain, 1, -2 * gain * c, 2 * gain - 1]];
}
