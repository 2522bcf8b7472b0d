/** Small statistics helpers shared by the beat and delineation metrics. @internal @module */
import { MAX_ARRAY_LENGTH } from '../../core/_internal/limits';

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

/**
 * Largest event time (and match distance) the event matchers accept: 2³¹ − 1
 * ({@link MAX_ARRAY_LENGTH}, the Int32 range), the range of WFDB annotation sample numbers
 * (`beatAnnotationSamples` returns an Int32Array).
 */
export const MAX_EVENT_TIME = MAX_ARRAY_LENGTH;

function sortedOrder(x: ArrayLike<number>): number[] {
  const idx = Array.from({ length: x.length }, (_, i) => i).filter((i) => Number.isFinite(x[i]));
  idx.sort((a, b) => x[a] - x[b] || a - b);
  return idx;
}

/** One-to-one matching of `matchEvents` on arguments the caller has checked (finite times, distance ≥ 0). */
export function matchChecked(reference: ArrayLike<number>, test: ArrayLike<number>, maxDistance: number): { ref: number; test: number }[] {
  const ri = sortedOrder(reference);
  const ti = sortedOrder(test);
  // candidate pairs within the window (two pointers over the sorted lists)
  const pairs: [number, number, number][] = [];
  let lo = 0;
  for (let a = 0; a < ri.length; a++) {
    const r = reference[ri[a]];
    while (lo < ti.length && test[ti[lo]] < r - maxDistance) lo++;
    for (let b = lo; b < ti.length; b++) {
      const t = test[ti[b]];
      if (t > r + maxDistance) break;
      pairs.push([Math.abs(t - r), a, b]);
    }
  }
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
  const usedR = new Uint8Array(ri.length);
  const usedT = new Uint8Array(ti.length);
  const out: { ref: number; test: number }[] = [];
  for (const [, a, b] of pairs) {
    if (usedR[a] || usedT[b]) continue;
    usedR[a] = 1;
    usedT[b] = 1;
    out.push({ ref: ri[a], test: ti[b] });
  }
  out.sort((p, q) => reference[p.ref] - reference[q.ref] || p.ref - q.ref);
  return out;
}
