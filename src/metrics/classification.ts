/**
 * Multilabel classification metrics: rank-based AUROC (ties share their mid-rank), macro AUROC,
 * F1 at a fixed or per-class threshold, and the per-class threshold that maximises F1 on a
 * validation set.
 *
 * Score matrices are given as one row per record (`scores[record][class]`), labels likewise
 * (numbers in [0, 1]: 0/1 targets, anything > 0.5 counts as positive; a label outside [0, 1] is an error).
 *
 * Threshold rule (documented in docs/evaluation.md): beat-ssl reports macro F1 at the per-class
 * thresholds chosen on the **validation** set with {@link chooseF1Thresholds} and applied unchanged
 * to the test set; when no validation set exists the fixed threshold 0.5 is used.
 * @module
 */
import { check, fail } from '../core/errors';

/** A matrix of per-record, per-class values: `m[record][class]`. */
export type ScoreMatrix = ArrayLike<ArrayLike<number>>;

const isList = (x: unknown): x is ArrayLike<unknown> => Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));

/**
 * Scores: finite numbers. Labels: numbers in [0, 1] (0/1 targets; values > 0.5 count as positive,
 * so soft labels are read as their rounding). A label outside [0, 1] (2, −1, NaN) is an error, not a
 * positive or a negative.
 */
function checkPair(fn: string, scores: ArrayLike<number>, labels: ArrayLike<number>, where = ''): void {
  check(isList(scores), fn, `scores${where}`, 'an array of numbers', scores);
  check(isList(labels), fn, `labels${where}`, 'an array of 0/1 labels', labels);
  check(scores.length === labels.length, fn, `labels${where}`, `the same length as scores (${scores.length})`, labels.length);
  for (let i = 0; i < scores.length; i++) {
    if (typeof scores[i] !== 'number' || !Number.isFinite(scores[i])) fail(fn, where ? `scores[${i}]${where}` : `scores[${i}]`, 'a finite number', scores[i]);
    const l = labels[i];
    if (typeof l !== 'number' || !(l >= 0 && l <= 1)) fail(fn, where ? `labels[${i}]${where}` : `labels[${i}]`, 'a label in [0, 1] (0 = negative, 1 = positive)', l);
  }
}

function checkMatrix(fn: string, scores: ScoreMatrix, labels: ScoreMatrix): number {
  check(isList(scores) && scores.length > 0, fn, 'scores', 'a non-empty matrix [records][classes]', scores);
  check(isList(scores[0]) && scores[0].length > 0, fn, 'scores[0]', 'a non-empty row of class scores', scores[0]);
  check(isList(labels) && labels.length === scores.length, fn, 'labels', `a matrix with ${scores.length} rows`, labels);
  const k = scores[0].length;
  for (let i = 0; i < scores.length; i++) {
    if (!isList(scores[i]) || scores[i].length !== k) fail(fn, `scores[${i}]`, `a row of ${k} classes`, scores[i]);
    if (!isList(labels[i]) || labels[i].length !== k) fail(fn, `labels[${i}]`, `a row of ${k} classes`, labels[i]);
  }
  for (let j = 0; j < k; j++) checkPair(fn, column(scores, j), column(labels, j), ` (class ${j})`);
  return k;
}

function column(m: ScoreMatrix, j: number): Float64Array {
  const out = new Float64Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = m[i][j];
  return out;
}

/**
 * Area under the ROC curve of one binary task, computed from ranks (Mann–Whitney U): tied
 * scores share their mid-rank, so a tie between a positive and a negative counts one half.
 * @param scores higher = more likely positive, length n
 * @param labels 0/1 per record (values > 0.5 are positives), length n
 * @returns AUROC in [0, 1]; `NaN` when all labels are of one class (undefined)
 * @throws when lengths differ, a score is not finite or a label is outside [0, 1]
 * @example
 * auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPair('auroc', scores, labels);
  return aurocOf(scores, labels);
}

function aurocOf(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] > 0.5) {
        rankSumPos += midRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Per-class and macro-averaged values of a metric. */
export interface MacroScore {
  /** Mean over classes whose value is defined (not `NaN`); `NaN` when none is. */
  macro: number;
  /** One value per class (`NaN` when undefined for that class). */
  perClass: number[];
}

function macroOf(perClass: number[]): MacroScore {
  const defined = perClass.filter((v) => !Number.isNaN(v));
  return { macro: defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : NaN, perClass };
}

/**
 * AUROC of every class of a multilabel problem and their unweighted mean (macro AUROC, as
 * reported for PTB-XL). Classes without both positives and negatives are `NaN` and left out of
 * the mean.
 * @param scores `[records][classes]` predicted probabilities (or any monotone score)
 * @param labels `[records][classes]` 0/1 targets
 * @returns `{ macro, perClass }`
 * @throws when the matrices are empty or their shapes differ, a score is not finite or a label is outside [0, 1]
 * @example
 * macroAuroc([[0.9, 0.1], [0.2, 0.7], [0.6, 0.6]], [[1, 0], [0, 1], [0, 1]]).macro; // 1
 */
export function macroAuroc(scores: ScoreMatrix, labels: ScoreMatrix): MacroScore {
  const k = checkMatrix('macroAuroc', scores, labels);
  const perClass: number[] = [];
  for (let j = 0; j < k; j++) perClass.push(aurocOf(column(scores, j), column(labels, j)));
  return macroOf(perClass);
}

/** Confusion counts and F1 of one binary task. */
export interface F1Result {
  f1: number;
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * F1 of one binary task at a threshold (`score >= threshold` is predicted positive).
 * Conventions: precision is 0 when nothing is predicted positive, recall is 0 when there is no
 * positive, and F1 = 2·TP / (2·TP + FP + FN) (0 when that denominator is 0).
 * @param scores length n
 * @param labels 0/1, length n
 * @param threshold decision threshold (default 0.5)
 * @returns `{ f1, precision, recall, tp, fp, fn }`
 * @throws when lengths differ, a score is not finite or a label is outside [0, 1]
 * @example
 * f1Score([0.9, 0.2, 0.7, 0.4], [1, 0, 0, 1]).f1; // 0.5
 */
export function f1Score(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): F1Result {
  checkPair('f1Score', scores, labels);
  check(typeof threshold === 'number' && Number.isFinite(threshold), 'f1Score', 'threshold', 'a finite number', threshold);
  return f1Of(scores, labels, threshold);
}

function f1Of(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): F1Result {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const pos = labels[i] > 0.5;
    const pred = scores[i] >= threshold;
    if (pred && pos) tp++;
    else if (pred) fp++;
    else if (pos) fn++;
  }
  const denom = 2 * tp + fp + fn;
  return {
    f1: denom === 0 ? 0 : (2 * tp) / denom,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    tp,
    fp,
    fn,
  };
}

/**
 * The threshold that maximises F1 for one binary task, searched over the midpoints between
 * consecutive distinct scores (plus one above the maximum). Ties in F1 go to the threshold closest
 * to 0.5. Use it on validation predictions, then apply the thresholds to the test set.
 * @param scores length n
 * @param labels 0/1, length n
 * @returns the chosen threshold; 0.5 when there is no positive
 * @throws when lengths differ, a score is not finite or a label is outside [0, 1]
 * @example
 * bestF1Threshold([0.1, 0.3, 0.35, 0.8], [0, 0, 1, 1]); // 0.325
 */
export function bestF1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPair('bestF1Threshold', scores, labels);
  return bestF1Of(scores, labels);
}

function bestF1Of(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] > 0.5) nPos++;
  if (nPos === 0) return 0.5;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  // Sweep thresholds from high to low: after admitting a group of equal scores, tp/fp are known.
  let tp = 0;
  let fp = 0;
  let best = -1;
  let bestT = 0.5;
  // threshold above every score: nothing predicted, F1 = 0
  const consider = (t: number, f1: number) => {
    if (f1 > best + 1e-12 || (Math.abs(f1 - best) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(bestT - 0.5))) {
      best = f1;
      bestT = t;
    }
  };
  consider(scores[order[0]] + 1e-6, 0);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] > 0.5) tp++;
      else fp++;
    }
    const fnCount = nPos - tp;
    const f1 = (2 * tp) / (2 * tp + fp + fnCount);
    const lo = j + 1 < n ? scores[order[j + 1]] : scores[order[j]] - 1e-6;
    consider((scores[order[i]] + lo) / 2, f1);
    i = j + 1;
  }
  return bestT;
}

/**
 * Per-class thresholds maximising F1 on a validation set ({@link bestF1Threshold} per column).
 * @param scores `[records][classes]`
 * @param labels `[records][classes]` 0/1
 * @returns one threshold per class
 * @throws when shapes differ, a score is not finite or a label is outside [0, 1]
 * @example
 * const t = chooseF1Thresholds(valScores, valLabels);
 * macroF1(testScores, testLabels, t).macro;
 */
export function chooseF1Thresholds(scores: ScoreMatrix, labels: ScoreMatrix): number[] {
  const k = checkMatrix('chooseF1Thresholds', scores, labels);
  const out: number[] = [];
  for (let j = 0; j < k; j++) out.push(bestF1Of(column(scores, j), column(labels, j)));
  return out;
}

/**
 * Per-class F1 and their unweighted mean (macro F1). Classes with no positive and no predicted
 * positive are `NaN` (undefined) and left out of the mean.
 * @param scores `[records][classes]`
 * @param labels `[records][classes]` 0/1
 * @param thresholds one number for all classes (default 0.5) or one per class (e.g. from
 *   {@link chooseF1Thresholds} on validation data)
 * @returns `{ macro, perClass }`
 * @throws when shapes differ, a score or threshold is not finite, a label is outside [0, 1] or the thresholds do not match the class count
 * @example
 * macroF1([[0.9, 0.2], [0.1, 0.8]], [[1, 0], [0, 1]]).macro; // 1
 */
export function macroF1(scores: ScoreMatrix, labels: ScoreMatrix, thresholds: number | ArrayLike<number> = 0.5): MacroScore {
  const k = checkMatrix('macroF1', scores, labels);
  const ts = typeof thresholds === 'number' ? Array.from({ length: k }, () => thresholds) : thresholds;
  check(isList(ts) && ts.length === k, 'macroF1', 'thresholds', `a number or ${k} numbers`, thresholds);
  for (let j = 0; j < k; j++) check(typeof ts[j] === 'number' && Number.isFinite(ts[j]), 'macroF1', typeof thresholds === 'number' ? 'thresholds' : `thresholds[${j}]`, 'a finite number', ts[j]);
  const perClass: number[] = [];
  for (let j = 0; j < k; j++) {
    const r = f1Of(column(scores, j), column(labels, j), ts[j]!);
    perClass.push(r.tp + r.fp + r.fn === 0 ? NaN : r.f1);
  }
  return macroOf(perClass);
}
