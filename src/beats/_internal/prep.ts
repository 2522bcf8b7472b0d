/** Shared preprocessing for delineation and beat features. @internal @module */
import { bandpass } from '../../signal/filter';
import type { Samples } from '../../core/types';

/** NaN-free copy (NaN → last finite value, 0 before the first). */
export function holdNaN(x: Samples): Float64Array {
  const y = new Float64Array(x.length);
  let last = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) last = v;
    y[i] = last;
  }
  return y;
}

/** Zero-phase band-pass (defaults 0.5–40 Hz, capped below Nyquist); very short inputs are only de-meaned. */
export function cleanLead(x: Samples, fs: number, lowHz = 0.5, highHz = 40): Float64Array {
  const y = holdNaN(x);
  const hi = Math.min(highHz, 0.45 * fs);
  if (y.length < 3 * fs) {
    let m = 0;
    for (const v of y) m += v;
    m /= Math.max(1, y.length);
    for (let i = 0; i < y.length; i++) y[i] -= m;
    return y;
  }
  return bandpass(y, fs, lowHz, hi);
}

export { medianOf } from './median';
