/** Small statistics helpers shared by the beat and delineation metrics. @internal @module */

/** Mean and sample SD (n − 1) of a list; `NaN` where undefined (no values, or one value for the SD). */
export function meanSd(x: readonly number[]): { mean: number; sd: number } {
  if (x.length === 0) return { mean: NaN, sd: NaN };
  let s = 0;
  for (const v of x) s += v;
  const mean = s / x.length;
  if (x.length < 2) return { mean, sd: NaN };
  let q = 0;
  for (const v of x) q += (v - mean) * (v - mean);
  return { mean, sd: Math.sqrt(q / (x.length - 1)) };
}

/** TP/FP/FN → Se, +P, F1 (`NaN` where the denominator is 0). */
export function detectionRatios(tp: number, fp: number, fn: number): { tp: number; fp: number; fn: number; se: number; ppv: number; f1: number } {
  return {
    tp,
    fp,
    fn,
    se: tp + fn > 0 ? tp / (tp + fn) : NaN,
    ppv: tp + fp > 0 ? tp / (tp + fp) : NaN,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : NaN,
  };
}
