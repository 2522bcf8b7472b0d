/**
 * Delineation scoring: P, QRS and T onsets and offsets (and optionally peaks) of detected waves
 * against reference waves, matched one-to-one within a tolerance (150 ms by default), per
 * fiducial: Se, +P, F1 and mean ± SD timing error in ms (DESIGN §7, LUDB protocol).
 * @module
 */
import { check, checkFs, fail } from '../core/errors';
import type { BeatComparison } from './beats';
import { countMatches, detectionRatios, matchChecked, MAX_EVENT_TIME, meanSd } from './_internal/eventStats';

/** A wave as the scorer needs it: `type` `'P' | 'QRS' | 'T'`, inclusive sample indices (a `Wave` fits). */
export interface WaveLike {
  type: string;
  onset: number;
  offset: number;
  peak?: number;
}

/** The six fiducials scored by default, then the three optional peak fiducials. */
export const DELINEATION_FIDUCIALS = ['P_onset', 'P_offset', 'QRS_onset', 'QRS_offset', 'T_onset', 'T_offset'] as const;
/** Peak fiducials, scored when `opts.peaks` is true (waves without `peak` contribute nothing). */
export const DELINEATION_PEAK_FIDUCIALS = ['P_peak', 'QRS_peak', 'T_peak'] as const;
/** Name of a fiducial point, e.g. `'QRS_onset'`. */
export type FiducialName = (typeof DELINEATION_FIDUCIALS)[number] | (typeof DELINEATION_PEAK_FIDUCIALS)[number];

/** Options of {@link compareDelineation}. */
export interface CompareDelineationOptions {
  /** Match tolerance in seconds (±). Default 0.15. */
  toleranceSec?: number;
  /**
   * Scored span per record, `[first, last]` sample indices (both inclusive), e.g. the annotated
   * span of a LUDB lead; `null`/missing = whole record. A reference point counts (TP or FN) only
   * inside its record's span, a test point counts as FP only inside it.
   */
  spans?: readonly (readonly [number, number] | null | undefined)[];
  /** Also score `P_peak`, `QRS_peak`, `T_peak`. Default false. */
  peaks?: boolean;
}

/**
 * Per-fiducial result: counts, Se, +P, F1, timing error (test − reference) in ms — the same fields,
 * with the same meaning, as a {@link BeatComparison} of beat detection.
 */
export type FiducialScore = BeatComparison;

/** Result of {@link compareDelineation}. */
export interface DelineationScore {
  /** Number of records scored. */
  records: number;
  /** Scores per fiducial, pooled over records (counts summed, errors pooled). */
  fiducials: Partial<Record<FiducialName, FiducialScore>> & Record<(typeof DELINEATION_FIDUCIALS)[number], FiducialScore>;
  /** Mean F1 over the six onset/offset fiducials (`NaN` entries ignored). */
  meanF1: number;
}

/**
 * Checks the records of {@link compareDelineation}: each a list of wave objects with a string
 * `type`; a finite onset/offset/peak must be a sample index in [0, 2³¹ − 1] (a non-finite one is
 * not scored).
 */
function checkWaveLists(lists: readonly (readonly WaveLike[])[], fn: string, arg: string, nested: boolean): void {
  lists.forEach((waves, r) => {
    const at = nested ? `${arg}[${r}]` : arg;
    check(Array.isArray(waves), fn, at, 'an array of waves { type, onset, offset, peak? }', waves);
    waves.forEach((w, i) => {
      if (w === null || typeof w !== 'object' || typeof w.type !== 'string') fail(fn, `${at}[${i}]`, "a wave { type: 'P' | 'QRS' | 'T', onset, offset, peak? }", w);
      for (const k of ['onset', 'offset', 'peak'] as const) {
        const v = w[k];
        if (v !== undefined && typeof v !== 'number') fail(fn, `${at}[${i}].${k}`, 'a sample index (number)', v);
        if (typeof v === 'number' && Number.isFinite(v) && (v < 0 || v > MAX_EVENT_TIME)) fail(fn, `${at}[${i}].${k}`, `a sample index in [0, ${MAX_EVENT_TIME}]`, v);
      }
    });
  });
}

function points(waves: readonly WaveLike[], name: FiducialName): number[] {
  const [type, which] = name.split('_') as [string, 'onset' | 'offset' | 'peak'];
  const out: number[] = [];
  for (const w of waves) {
    if (w.type !== type) continue;
    const v = w[which];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/**
 * Scores delineated waves against reference waves, per fiducial (P/QRS/T onset and offset, and
 * optionally peaks), pooled over records.
 *
 * Points of one fiducial are matched one-to-one, closest first, within ±`toleranceSec`.
 * Works for any source of waves: the rule-based `delineateBeats`, a segmentation model's
 * post-processed masks, or another annotator.
 *
 * @param reference per record, the reference waves (`{ type, onset, offset, peak? }`, samples at `fs`); a flat list is one record
 * @param test per record, the detected waves, same layout and rate
 * @param fs sampling rate, Hz (converts the tolerance and the errors)
 * @param opts tolerance, scored spans, peaks; see {@link CompareDelineationOptions}
 * @returns per-fiducial Se, +P, F1, mean ± SD error (ms) and the mean F1 of the six fiducials
 * @throws {BeatSslError} if `reference` and `test` hold different numbers of records, a wave is not an
 *   object with a `type` and sample indices in [0, 2³¹ − 1], `fs`/`toleranceSec` are invalid, or a span is not `[first ≤ last]`
 * @example
 * const ref = [{ type: 'QRS', onset: 100, offset: 150 }];
 * const det = [{ type: 'QRS', onset: 104, offset: 149 }];
 * compareDelineation([ref], [det], 500).fiducials.QRS_onset.meanErrorMs; // 8
 */
export function compareDelineation(
  reference: readonly WaveLike[][] | readonly WaveLike[],
  test: readonly WaveLike[][] | readonly WaveLike[],
  fs: number,
  opts: CompareDelineationOptions = {},
): DelineationScore {
  const fn = 'compareDelineation';
  checkFs(fs, fn);
  const tol = opts.toleranceSec ?? 0.15;
  check(typeof tol === 'number' && Number.isFinite(tol) && tol >= 0, fn, 'opts.toleranceSec', 'a finite number ≥ 0 (s)', tol);
  check(Array.isArray(reference), fn, 'reference', 'an array of wave lists (one per record)', reference);
  check(Array.isArray(test), fn, 'test', 'an array of wave lists (one per record)', test);
  const nested = (x: readonly unknown[]) => x.length === 0 || Array.isArray(x[0]);
  const refs = (nested(reference) ? reference : [reference]) as readonly WaveLike[][];
  const tests = (nested(test) ? test : [test]) as readonly WaveLike[][];
  check(refs.length === tests.length, fn, 'test', `one wave list per reference record (${refs.length})`, `${tests.length} lists`);
  checkWaveLists(refs, fn, 'reference', nested(reference));
  checkWaveLists(tests, fn, 'test', nested(test));
  const spans = opts.spans ?? [];
  check(Array.isArray(spans), fn, 'opts.spans', 'an array of [first, last] sample pairs', spans);
  spans.forEach((sp, i) => {
    if (sp === null || sp === undefined) return;
    const ok = Array.isArray(sp) && sp.length === 2 && typeof sp[0] === 'number' && typeof sp[1] === 'number' && sp[0] <= sp[1];
    check(ok, fn, `opts.spans[${i}]`, 'null or a [first, last] pair of sample indices with first ≤ last', sp);
  });
  const names: FiducialName[] = [...DELINEATION_FIDUCIALS, ...(opts.peaks ? DELINEATION_PEAK_FIDUCIALS : [])];
  const acc = new Map<FiducialName, { tp: number; fp: number; fn: number; errs: number[] }>();
  for (const n of names) acc.set(n, { tp: 0, fp: 0, fn: 0, errs: [] });
  for (let r = 0; r < refs.length; r++) {
    const span = spans[r];
    const lo = span ? span[0] : -Infinity;
    const hi = span ? span[1] : Infinity;
    const inSpan = (s: number) => s >= lo && s <= hi;
    for (const name of names) {
      const a = acc.get(name)!;
      const rp = points(refs[r] ?? [], name);
      const tp = points(tests[r] ?? [], name);
      const c = countMatches(rp, tp, matchChecked(rp, tp, tol * fs), inSpan, fs);
      a.tp += c.tp;
      a.fp += c.fp;
      a.fn += c.fn;
      for (const e of c.errorsMs) a.errs.push(e);
    }
  }
  const fiducials = {} as DelineationScore['fiducials'];
  for (const n of names) {
    const a = acc.get(n)!;
    const { mean, sd } = meanSd(a.errs);
    fiducials[n] = { ...detectionRatios(a.tp, a.fp, a.fn), meanErrorMs: mean, sdErrorMs: sd };
  }
  const f1s = DELINEATION_FIDUCIALS.map((n) => fiducials[n].f1).filter((v) => Number.isFinite(v));
  return { records: refs.length, fiducials, meanF1: f1s.length ? f1s.reduce((x, y) => x + y, 0) / f1s.length : NaN };
}
