/**
 * Beat-detection scoring as WFDB's `bxb` and ANSI/AAMI EC57 define it: one-to-one matching of
 * reference and test beat times within a window (150 ms by default), sensitivity (Se), positive
 * predictivity (+P), F1 and timing error, plus gross and average statistics over many records.
 * @module
 */
import { check, checkFs, checkPositive, fail } from '../core/errors';
import { countMatches, detectionRatios as ratios, matchChecked, MAX_EVENT_TIME, meanSd } from './_internal/eventStats';

/** A matched pair: indices into the reference and test arrays. */
export interface EventMatch {
  /** Index into the reference array. */
  ref: number;
  /** Index into the test array. */
  test: number;
}

/**
 * Matches two sorted lists of event times one-to-one within `maxDistance` (same unit as the
 * times). Pairs are taken closest first; ties are broken by the earlier reference event, then the
 * earlier test event. Unsorted inputs are accepted (they are sorted internally; returned indices
 * refer to the original arrays). Times must be finite: a NaN or ±Infinity time is an error (drop
 * missing events before matching).
 *
 * @param reference reference event times (e.g. sample indices), any order; each in [0, 2³¹ − 1]
 *   (counted from the record start, like WFDB annotation sample numbers)
 * @param test test event times, same unit and range
 * @param maxDistance largest |test − reference| that still matches (inclusive), in [0, 2³¹ − 1]
 * @returns matched pairs ordered by reference time
 * @throws {BeatSslError} if `reference` or `test` is not an array or typed array of finite event times in
 *   [0, 2³¹ − 1], or `maxDistance` is not a number in [0, 2³¹ − 1]
 * @example
 * matchEvents([100, 200], [103, 260], 10); // → [{ ref: 0, test: 0 }]
 */
export function matchEvents(reference: ArrayLike<number>, test: ArrayLike<number>, maxDistance: number): EventMatch[] {
  checkTimes(reference, 'matchEvents', 'reference');
  checkTimes(test, 'matchEvents', 'test');
  check(typeof maxDistance === 'number' && maxDistance >= 0 && maxDistance <= MAX_EVENT_TIME, 'matchEvents', 'maxDistance', `a number in [0, ${MAX_EVENT_TIME}] (same unit as the times)`, maxDistance);
  return matchChecked(reference, test, maxDistance);
}

/** Asserts an array or typed array of finite numbers (event times). */
function checkTimes(x: unknown, fn: string, arg: string): void {
  const ok = Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
  if (!ok || !Array.prototype.every.call(x, (v: unknown) => typeof v === 'number')) fail(fn, arg, 'an array or typed array of event times (numbers)', x);
  const a = x as ArrayLike<number>;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) fail(fn, `${arg}[${i}]`, 'a finite event time (drop missing events before matching)', a[i]);
    if (a[i]! < 0 || a[i]! > MAX_EVENT_TIME) fail(fn, `${arg}[${i}]`, `an event time in [0, ${MAX_EVENT_TIME}] (counted from the record start)`, a[i]);
  }
}


/** Options of {@link compareBeats}. */
export interface CompareBeatsOptions {
  /** Match window in seconds: a test beat within ±`windowSec` of a reference beat matches it. Default 0.15 (EC57). */
  windowSec?: number;
  /** Start of the scored span in seconds (EC57 uses 300: the first 5 min are a learning period). Default 0. */
  startSec?: number;
  /** End of the scored span in seconds (exclusive). Default: end of the record (no limit). */
  endSec?: number;
}

/** Detection counts and statistics for one record (or a pooled set). */
export interface BeatComparison {
  /** Matched reference beats inside the scored span. */
  tp: number;
  /** Unmatched test beats inside the span (false detections). */
  fp: number;
  /** Unmatched reference beats inside the span (missed beats). */
  fn: number;
  /** Sensitivity TP/(TP+FN); `NaN` when there is no reference beat in the span. */
  se: number;
  /** Positive predictivity TP/(TP+FP); `NaN` when there is no test beat in the span. */
  ppv: number;
  /** F1 = 2TP/(2TP+FP+FN); `NaN` when both lists are empty in the span. */
  f1: number;
  /** Mean signed timing error (test − reference) of the matched beats in ms; `NaN` without matches. */
  meanErrorMs: number;
  /** Sample standard deviation of the timing error in ms; `NaN` with fewer than two matches. */
  sdErrorMs: number;
}

/**
 * Scores detected beat times against reference beat times (EC57 / `bxb` style).
 *
 * Matching is one-to-one, closest pairs first, within ±`windowSec`. Matching uses all beats, and
 * counting uses the span `[startSec, endSec)`: a match counts as TP when its *reference* beat is in
 * the span; an unmatched reference beat in the span is a FN; an unmatched test beat in the span is a
 * FP. So a detection just outside the span can still match a reference beat just inside it, and
 * nothing outside the span is ever counted.
 *
 * @param reference reference beat positions, sample indices at `fs` (e.g. beat annotations of a `.atr` file)
 * @param test detected beat positions, sample indices at `fs`
 * @param fs sampling rate of both lists, Hz
 * @param opts match window and scored span, see {@link CompareBeatsOptions}
 * @returns counts, Se, +P, F1 and timing error in ms
 * @throws if `fs` is not a positive number, `windowSec` is negative, or `endSec ≤ startSec`
 * @example
 * const r = compareBeats([360, 720, 1080], [362, 725, 900], 360);
 * // r.tp === 2, r.fn === 1, r.fp === 1, r.se ≈ 0.667
 */
export function compareBeats(
  reference: ArrayLike<number>,
  test: ArrayLike<number>,
  fs: number,
  opts: CompareBeatsOptions = {},
): BeatComparison {
  const fn = 'compareBeats';
  checkTimes(reference, fn, 'reference');
  checkTimes(test, fn, 'test');
  checkFs(fs, fn);
  const windowSec = opts.windowSec ?? 0.15;
  check(typeof windowSec === 'number' && windowSec >= 0 && Number.isFinite(windowSec), fn, 'opts.windowSec', 'a finite number ≥ 0 (s)', windowSec);
  const startSec = opts.startSec ?? 0;
  check(typeof startSec === 'number' && !Number.isNaN(startSec), fn, 'opts.startSec', 'a number (s)', startSec);
  const endSec = opts.endSec ?? Infinity;
  if (opts.endSec !== undefined) checkPositive(endSec, fn, 'opts.endSec', 's');
  check(endSec > startSec, fn, 'opts.endSec', `greater than startSec (${startSec})`, endSec);
  const start = startSec * fs;
  const end = endSec * fs;
  const inSpan = (s: number) => s >= start && s < end;
  const c = countMatches(reference, test, matchChecked(reference, test, windowSec * fs), inSpan, fs);
  const { mean, sd } = meanSd(c.errorsMs);
  return { ...ratios(c.tp, c.fp, c.fn), meanErrorMs: mean, sdErrorMs: sd };
}

/** Gross and average statistics over many records, as `bxb`'s summary reports them. */
export interface Ec57Summary {
  /** Number of records summarised. */
  records: number;
  /** Summed counts and the statistics computed from them (gross statistics). */
  gross: { tp: number; fp: number; fn: number; se: number; ppv: number; f1: number };
  /** Unweighted mean over records of the per-record Se, +P and F1 (records where a value is `NaN` are left out of that mean). */
  average: { se: number; ppv: number; f1: number };
  /** Timing error of all matched beats pooled (ms): mean and SD, from the per-record means/SDs and counts. */
  meanErrorMs: number;
  sdErrorMs: number;
}

/**
 * Summarises per-record {@link compareBeats} results: *gross* statistics from the summed TP, FP, FN
 * (each beat weighs the same) and *average* statistics, the unweighted mean of per-record values
 * (each record weighs the same), as EC57 asks for both.
 *
 * @param results per-record results of {@link compareBeats}
 * @returns gross and average Se, +P, F1, pooled timing error (ms)
 * @throws {BeatSslError} if `results` is not an array of compareBeats results (integer counts ≥ 0)
 * @example
 * const s = ec57Summary([compareBeats(ref1, det1, 360, { startSec: 300 }), compareBeats(ref2, det2, 360, { startSec: 300 })]);
 * console.log(s.gross.se, s.gross.ppv);
 */
export function ec57Summary(results: readonly BeatComparison[]): Ec57Summary {
  check(Array.isArray(results), 'ec57Summary', 'results', 'an array of compareBeats results', results);
  results.forEach((r, i) => {
    const ok = r !== null && typeof r === 'object' && (['tp', 'fp', 'fn'] as const).every((k) => Number.isInteger(r[k]) && r[k] >= 0);
    check(ok, 'ec57Summary', `results[${i}]`, 'a compareBeats result { tp, fp, fn, se, ppv, f1, meanErrorMs, sdErrorMs } with integer counts ≥ 0', r);
  });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const avg = (k: 'se' | 'ppv' | 'f1') => {
    const v = results.map((r) => r[k]).filter((x) => Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  };
  // pooled mean/SD from per-record (n, mean, sd)
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (const r of results) {
    tp += r.tp;
    fp += r.fp;
    fn += r.fn;
    if (r.tp > 0 && Number.isFinite(r.meanErrorMs)) {
      const sd = Number.isFinite(r.sdErrorMs) ? r.sdErrorMs : 0;
      n += r.tp;
      sum += r.tp * r.meanErrorMs;
      sumSq += (r.tp - 1) * sd * sd + r.tp * r.meanErrorMs * r.meanErrorMs;
    }
  }
  const mean = n > 0 ? sum / n : NaN;
  const sd = n > 1 ? Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))) : NaN;
  return {
    records: results.length,
    gross: ratios(tp, fp, fn),
    average: { se: avg('se'), ppv: avg('ppv'), f1: avg('f1') },
    meanErrorMs: mean,
    sdErrorMs: sd,
  };
}

/** WFDB beat-annotation symbols (the ones EC57 scores as beats). */
export const BEAT_SYMBOLS: readonly string[] = ['N', 'L', 'R', 'B', 'A', 'a', 'J', 'S', 'V', 'r', 'F', 'e', 'j', 'n', 'E', '/', 'f', 'Q', '?'];

/**
 * Keeps the beat annotations of an annotation list (symbols in {@link BEAT_SYMBOLS}) and returns
 * their sample indices — the reference for {@link compareBeats}.
 *
 * @param annotations WFDB annotations (`{ sample, symbol }`, `sample` in samples)
 * @returns sample indices of beat annotations, in input order
 * @throws {BeatSslError} if `annotations` is not an array of `{ sample, symbol }` objects, or a beat
 *   annotation's `sample` is not an integer in [0, 2³¹ − 1]
 * @example
 * beatAnnotationSamples([{ sample: 10, symbol: 'N' }, { sample: 20, symbol: '+' }]); // Int32Array [10]
 */
export function beatAnnotationSamples(annotations: readonly { sample: number; symbol: string }[]): Int32Array {
  const fn = 'beatAnnotationSamples';
  check(Array.isArray(annotations), fn, 'annotations', 'an array of { sample, symbol } annotations', annotations);
  annotations.forEach((a, i) => check(a !== null && typeof a === 'object' && typeof a.symbol === 'string', fn, `annotations[${i}]`, 'an annotation { sample, symbol }', a));
  const set = new Set(BEAT_SYMBOLS);
  const beats = annotations.filter((a) => set.has(a?.symbol));
  beats.forEach((a, i) => {
    if (!Number.isInteger(a.sample) || a.sample < 0 || a.sample > 0x7fffffff) {
      fail(fn, `annotations (beat ${i}, symbol '${a.symbol}') sample`, 'an integer sample index ≥ 0', a.sample);
    }
  });
  return Int32Array.from(beats.map((a) => a.sample));
}
