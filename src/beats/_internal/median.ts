/** Median of a numeric list, shared by the R-peak engine and the feature/delineation code. @internal @module */

/** Median of the finite values of a list (NaN when there is none). */
export function medianOf(v: ArrayLike<number>): number {
  const s = Array.from(v).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const h = s.length >> 1;
  return s.length & 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}
