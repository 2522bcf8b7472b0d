/**
 * Running median with a sorted window (O(n·w) memmoves, no per-sample allocation).
 * @module
 */

function lowerBound(arr: Float64Array, len: number, v: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Median filter of odd width `w`, edges extended by repeating the end samples
 * (like `scipy.ndimage.median_filter(x, w, mode='nearest')`).
 */
export function medianFilter(x: ArrayLike<number>, w: number): Float64Array {
  const n = x.length;
  const half = (w - 1) >> 1;
  const at = (i: number): number => x[i < 0 ? 0 : i >= n ? n - 1 : i]!;
  const win = new Float64Array(w);
  for (let j = -half; j <= half; j++) {
    const v = at(j);
    const pos = lowerBound(win, j + half, v);
    win.copyWithin(pos + 1, pos, j + half);
    win[pos] = v;
  }
  const out = new Float64Array(n);
  out[0] = win[half]!;
  for (let i = 1; i < n; i++) {
    const old = at(i - 1 - half);
    const nu = at(i + half);
    const rm = lowerBound(win, w, old);
    win.copyWithin(rm, rm + 1, w);
    const pos = lowerBound(win, w - 1, nu);
    win.copyWithin(pos + 1, pos, w - 1);
    win[pos] = nu;
    out[i] = win[half]!;
  }
  return out;
}
