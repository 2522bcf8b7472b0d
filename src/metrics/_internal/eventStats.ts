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

/**
 * Counts a one-to-one matching inside a scored span: a match is a TP when its reference event is in
 * the span (its timing error test − reference is recorded in ms), an unmatched reference event in
 * the span is a FN, an unmatched test event in the span is a FP.
 */
export function countMatches(
  reference: ArrayLike<number>,
  test: ArrayLike<number>,
  matches: readonly { ref: number; test: number }[],
  inSpan: (sample: number) => boolean,
  fs: number,
): { tp: number; fp: number; fn: number; errorsMs: number[] } {
  const refMatched = new Uint8Array(reference.length);
  const testMatched = new Uint8Array(test.length);
  let tp = 0;
  const errorsMs: number[] = [];
  for (const m of matches) {
    refMatched[m.ref] = 1;
    testMatched[m.test] = 1;
    if (inSpan(reference[m.ref]!)) {
      tp++;
      errorsMs.push(((test[m.test]! - reference[m.ref]!) / fs) * 1000);
    }
  }
  let fn = 0;
  for (let i = 0; i < reference.length; i++) if (!refMatched[i] && inSpan(reference[i]!)) fn++;
  let fp = 0;
  for (let i = 0; i < test.length; i++) if (!testMatched[i] && inSpan(test[i]!)) fp++;
  return { tp, fp, fn, errorsMs };
}
