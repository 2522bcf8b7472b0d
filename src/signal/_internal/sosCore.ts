/**
 * Allocation-free kernels for second-order-section filtering (Direct Form II transposed).
 * @module
 */
import { fail } from '../../core/errors';

/** Validates SOS rows and returns them flat (`6·nSections`), normalised so that a0 = 1. */
export function flattenSos(sos: unknown, fn: string): Float64Array {
  if (!Array.isArray(sos) || sos.length === 0) fail(fn, 'sos', 'a non-empty array of [b0, b1, b2, a0, a1, a2] rows', sos);
  const flat = new Float64Array(sos.length * 6);
  sos.forEach((row: unknown, s: number) => {
    if (!(Array.isArray(row) || ArrayBuffer.isView(row)) || (row as ArrayLike<number>).length !== 6) {
      fail(fn, `sos[${s}]`, 'a row of 6 numbers [b0, b1, b2, a0, a1, a2]', row);
    }
    const r = row as ArrayLike<number>;
    const a0 = r[3]!;
    if (!Number.isFinite(a0) || a0 === 0) fail(fn, `sos[${s}][3]`, 'a finite non-zero a0', a0);
    for (let j = 0; j < 6; j++) {
      const v = r[j]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, `sos[${s}][${j}]`, 'a finite number', v);
      flat[s * 6 + j] = v / a0;
    }
  });
  return flat;
}

/** The coefficients of second-order section `s` (rows `[b0, b1, b2, 1, a1, a2]`, a0 normalised to 1). */
function section(sos: Float64Array, s: number): { b0: number; b1: number; b2: number; a1: number; a2: number } {
  const o = s * 6;
  return { b0: sos[o]!, b1: sos[o + 1]!, b2: sos[o + 2]!, a1: sos[o + 4]!, a2: sos[o + 5]! };
}

/**
 * Filters `buf` in place through every section. `zi` (length `2·nSections`) is the initial state
 * and receives the final state.
 */
export function sosfiltInPlace(sos: Float64Array, buf: Float64Array, zi: Float64Array): void {
  const nSec = sos.length / 6;
  const n = buf.length;
  for (let s = 0; s < nSec; s++) {
    const { b0, b1, b2, a1, a2 } = section(sos, s);
    let z0 = zi[2 * s]!;
    let z1 = zi[2 * s + 1]!;
    for (let i = 0; i < n; i++) {
      const xi = buf[i]!;
      const yi = b0 * xi + z0;
      z0 = b1 * xi - a1 * yi + z1;
      z1 = b2 * xi - a2 * yi;
      buf[i] = yi;
    }
    zi[2 * s] = z0;
    zi[2 * s + 1] = z1;
  }
}

/** Steady-state initial conditions for a unit step (SciPy `sosfilt_zi`), flat `2·nSections`. */
export function sosZiFlat(sos: Float64Array): Float64Array {
  const nSec = sos.length / 6;
  const zi = new Float64Array(2 * nSec);
  let scale = 1;
  for (let s = 0; s < nSec; s++) {
    const { b0, b1, b2, a1, a2 } = section(sos, s);
    // Solve (I − Aᵀ)·zi = B for the 2-state companion form (SciPy `lfilter_zi`).
    const B0 = b1 - a1 * b0;
    const B1 = b2 - a2 * b0;
    const z0 = (B0 + B1) / (1 + a1 + a2);
    const z1 = B1 - a2 * z0;
    zi[2 * s] = scale * z0;
    zi[2 * s + 1] = scale * z1;
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  }
  return zi;
}


/** SciPy's default `padlen` for `sosfiltfilt` given flat SOS. */
export function defaultSosPadLen(flat: Float64Array): number {
  const nSec = flat.length / 6;
  let zb = 0;
  let za = 0;
  for (let s = 0; s < nSec; s++) {
    if (flat[s * 6 + 2] === 0) zb++;
    if (flat[s * 6 + 5] === 0) za++;
  }
  return 3 * (2 * nSec + 1 - Math.min(zb, za));
}

/**
 * Zero-phase filtering core on a Float64Array (no validation); returns a new Float64Array.
 */
export function sosfiltfiltCore(flat: Float64Array, x: ArrayLike<number>, padLen: number): Float64Array {
  const n = x.length;
  const m = n + 2 * padLen;
  const ext = new Float64Array(m);
  const x0 = x[0]!;
  const xn = x[n - 1]!;
  for (let i = 0; i < padLen; i++) ext[i] = 2 * x0 - x[padLen - i]!;
  for (let i = 0; i < n; i++) ext[padLen + i] = x[i]!;
  for (let i = 0; i < padLen; i++) ext[padLen + n + i] = 2 * xn - x[n - 2 - i]!;
  const zi0 = sosZiFlat(flat);
  const zi = new Float64Array(zi0.length);
  const e0 = ext[0]!;
  for (let i = 0; i < zi.length; i++) zi[i] = zi0[i]! * e0;
  sosfiltInPlace(flat, ext, zi);
  ext.reverse();
  const y0 = ext[0]!;
  for (let i = 0; i < zi.length; i++) zi[i] = zi0[i]! * y0;
  sosfiltInPlace(flat, ext, zi);
  ext.reverse();
  return padLen > 0 ? ext.slice(padLen, padLen + n) : ext;
}

