/**
 * Segmentation metrics on per-sample masks (0 none, 1 P, 2 QRS, 3 T — `SEGMENT_CLASSES` order),
 * and the glue between waves and masks.
 * @module
 */
import { check, checkFs, checkInt, fail } from '../core/errors';
import { checkWaves } from '../core/_internal/waves';
import { MAX_ARRAY_LENGTH } from '../core/_internal/limits';

import type { Wave, WaveType } from '../core/types';
import { compareDelineation, type DelineationScore } from './delineation';

/** Most classes a Dice accumulator counts (class indices 0..65535). */
const MAX_DICE_CLASSES = 2 ** 16;

/**
 * Scored sample range `[first, last]`, both inclusive (the convention of `compareDelineation`'s
 * `spans` and of the LUDB loader's annotated span); samples outside are ignored.
 */
export type SampleSpan = readonly [number, number];

/** Per-class Dice of one or more masks. */
export interface DiceResult {
  /** Dice per class index (`NaN` when the class is absent from both masks). */
  perClass: number[];
  /** Mean Dice over the wave classes 1..K−1 that are defined (background excluded). */
  meanWaves: number;
  /** Confusion counts per class, summed over every mask given. */
  counts: { tp: number; fp: number; fn: number }[];
}

/**
 * Accumulates Dice counts for a batch of masks: create, `add` each (prediction, reference) pair,
 * then `result()`. Dice of a class = 2·TP / (2·TP + FP + FN), pooled over all samples added
 * (micro-averaged over records, as usual for LUDB).
 * @param numClasses number of classes (default 4: none, P, QRS, T), an integer in [2, 65536]
 * @throws {BeatSslError} when `numClasses` is not an integer in [2, 65536]
 * @example
 * const acc = createDiceAccumulator();
 * acc.add(predMask, refMask, [300, 4499]);
 * acc.result().perClass; // [dNone, dP, dQRS, dT]
 */
export function createDiceAccumulator(numClasses = 4): {
  add: (pred: ArrayLike<number>, ref: ArrayLike<number>, span?: SampleSpan) => void;
  result: () => DiceResult;
} {
  checkInt(numClasses, 'createDiceAccumulator', 'numClasses', 2, MAX_DICE_CLASSES);
  const tp = new Float64Array(numClasses);
  const fp = new Float64Array(numClasses);
  const fn = new Float64Array(numClasses);
  return {
    add(pred, ref, span) {
      check(pred != null && ref != null && pred.length === ref.length, 'diceScores', 'pred', `a mask as long as ref (${ref?.length})`, pred?.length);
      const start = Math.max(0, span ? span[0] : 0);
      const end = Math.min(pred.length, span ? span[1] + 1 : pred.length);
      for (let i = start; i < end; i++) {
        const p = pred[i];
        const r = ref[i];
        if (!(p >= 0 && p < numClasses && Number.isInteger(p))) fail('diceScores', `pred[${i}]`, `a class index in [0, ${numClasses - 1}]`, p);
        if (!(r >= 0 && r < numClasses && Number.isInteger(r))) fail('diceScores', `ref[${i}]`, `a class index in [0, ${numClasses - 1}]`, r);
        if (p === r) tp[p]++;
        else {
          fp[p]++;
          fn[r]++;
        }
      }
    },
    result() {
      const perClass: number[] = [];
      const counts: DiceResult['counts'] = [];
      for (let c = 0; c < numClasses; c++) {
        const d = 2 * tp[c] + fp[c] + fn[c];
        perClass.push(d === 0 ? NaN : (2 * tp[c]) / d);
        counts.push({ tp: tp[c], fp: fp[c], fn: fn[c] });
      }
      const waves = perClass.slice(1).filter((v) => !Number.isNaN(v));
      return { perClass, meanWaves: waves.length ? waves.reduce((a, b) => a + b, 0) / waves.length : NaN, counts };
    },
  };
}

/**
 * Per-class Dice between a predicted and a reference mask.
 * @param pred predicted class per sample (0..numClasses−1), length T
 * @param ref reference class per sample, length T
 * @param opts `span`: only samples in `[first, last]` (inclusive) are scored (e.g. LUDB's annotated part);
 *   `numClasses` (default 4)
 * @returns `{ perClass, meanWaves, counts }`
 * @throws when lengths differ or a value is not a class index
 * @example
 * diceScores([0, 2, 2, 0], [0, 2, 2, 2]).perClass; // [0.666…, NaN, 0.8, NaN]
 */
export function diceScores(pred: ArrayLike<number>, ref: ArrayLike<number>, opts: { span?: SampleSpan; numClasses?: number } = {}): DiceResult {
  const acc = createDiceAccumulator(opts.numClasses ?? 4);
  acc.add(pred, ref, opts.span);
  return acc.result();
}

const CLASS_OF: Record<WaveType, number> = { P: 1, QRS: 2, T: 3 };
const TYPE_OF: (WaveType | null)[] = [null, 'P', 'QRS', 'T'];

/**
 * Paints waves into a per-sample mask (0 none, 1 P, 2 QRS, 3 T); later waves overwrite earlier
 * ones where they overlap. Onset and offset are inclusive and clipped to the mask.
 * @param waves waves with sample indices at the mask's rate
 * @param length mask length in samples
 * @returns `Uint8Array(length)`
 * @throws {BeatSslError} when `waves` is not an array of waves (type P/QRS/T, finite onset ≤ offset) or
 *   `length` is not an integer in [0, 2³¹ − 1]
 * @example
 * wavesToMask([{ type: 'QRS', onset: 2, offset: 3 }], 6); // [0, 0, 2, 2, 0, 0]
 */
export function wavesToMask(waves: readonly Wave[], length: number): Uint8Array {
  checkWaves(waves, 'wavesToMask');
  checkInt(length, 'wavesToMask', 'length', 0, MAX_ARRAY_LENGTH);
  const mask = new Uint8Array(length);
  for (const w of waves) {
    const c = CLASS_OF[w.type];
    const a = Math.max(0, Math.round(w.onset));
    const b = Math.min(length - 1, Math.round(w.offset));
    for (let i = a; i <= b; i++) mask[i] = c;
  }
  return mask;
}

/**
 * The plain reading of a mask as waves: every maximal run of one wave class becomes a wave
 * (no minimum durations, no gap merging — for references and tests; models use the heads'
 * post-processing).
 * @param mask class per sample (0 none, 1 P, 2 QRS, 3 T)
 * @returns waves in time order with inclusive onset/offset
 * @example
 * maskToWaves([0, 1, 1, 0, 2, 2, 2, 0]); // [{type:'P',onset:1,offset:2},{type:'QRS',onset:4,offset:6}]
 */
export function maskToWaves(mask: ArrayLike<number>): Wave[] {
  const isList = Array.isArray(mask) || (ArrayBuffer.isView(mask) && !(mask instanceof DataView));
  check(isList, 'maskToWaves', 'mask', 'an array of class indices (0 none, 1 P, 2 QRS, 3 T)', mask);
  for (let i = 0; i < mask.length; i++) if (!(mask[i] === 0 || mask[i] === 1 || mask[i] === 2 || mask[i] === 3)) fail('maskToWaves', `mask[${i}]`, 'a class index 0, 1, 2 or 3', mask[i]);
  const waves: Wave[] = [];
  let i = 0;
  while (i < mask.length) {
    const c = mask[i];
    let j = i;
    while (j + 1 < mask.length && mask[j + 1] === c) j++;
    const type = TYPE_OF[c];
    if (type) waves.push({ type, onset: i, offset: j });
    i = j + 1;
  }
  return waves;
}

/** One record to score in {@link scoreSegmentation}. */
export interface SegmentationRecordResult {
  /** Reference waves (samples at `fs`). */
  reference: readonly Wave[];
  /** Predicted waves (samples at `fs`). */
  predicted: readonly Wave[];
  /** Scored span `[first, last]` (inclusive); whole record when absent. */
  span?: SampleSpan;
  /** Record length in samples (needed for Dice when masks are built from waves). */
  length: number;
  /** Predicted mask; built from `predicted` when absent. */
  predictedMask?: ArrayLike<number>;
  /** Reference mask; built from `reference` when absent. */
  referenceMask?: ArrayLike<number>;
}

/** Result of {@link scoreSegmentation}. */
export interface SegmentationScore {
  /** Per-fiducial Se, +P, F1 and timing error (from `compareDelineation`). */
  delineation: DelineationScore;
  /** Per-class Dice pooled over the records, inside their spans. */
  dice: DiceResult;
}

/**
 * Scores a segmentation model (or any delineator) on a set of records the LUDB way: the six
 * fiducials' Se, +P, F1 within ±`toleranceSec` and mean ± SD timing error (ms), and per-class Dice,
 * only inside each record's annotated span.
 * @param records per record: reference and predicted waves (and optionally masks), span, length
 * @param fs sampling rate of every index in `records` (Hz)
 * @param opts `toleranceSec` (default 0.15)
 * @returns `{ delineation, dice }`
 * @throws when `fs` is invalid or a mask length differs from `length`
 * @example
 * const s = scoreSegmentation([{ reference, predicted, span: [660, 4321], length: 5000 }], 500);
 * s.delineation.meanF1; s.dice.perClass;
 */
export function scoreSegmentation(records: readonly SegmentationRecordResult[], fs: number, opts: { toleranceSec?: number } = {}): SegmentationScore {
  const fn = 'scoreSegmentation';
  check(Array.isArray(records) && records.length > 0, fn, 'records', 'a non-empty array of per-record results', records);
  records.forEach((r, i) => check(r !== null && typeof r === 'object' && Array.isArray(r.reference) && Array.isArray(r.predicted), fn, `records[${i}]`, 'a record result { reference: Wave[], predicted: Wave[], length, span? }', r));
  checkFs(fs, fn);
  const delineation = compareDelineation(
    records.map((r) => [...r.reference]),
    records.map((r) => [...r.predicted]),
    fs,
    { toleranceSec: opts.toleranceSec ?? 0.15, spans: records.map((r) => r.span ?? null) },
  );
  const acc = createDiceAccumulator(4);
  for (const r of records) {
    const pm = r.predictedMask ?? wavesToMask(r.predicted, r.length);
    const rm = r.referenceMask ?? wavesToMask(r.reference, r.length);
    acc.add(pm, rm, r.span);
  }
  return { delineation, dice: acc.result() };
}
