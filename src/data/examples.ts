/**
 * Training examples from records — the one way beat-ssl makes them, for the library's fine-tuning
 * loops, the CLI, the evals, the scripts and the examples. Every example is prepared by
 * `preprocessRecord` with the model's preprocessing spec (`beat-ssl/signal`), so what a model is
 * trained on is exactly what its folder's `preprocess.json` reproduces at inference.
 *
 * Segmentation labels come from the annotated **wave list** by one rule ({@link waveLabels}): a
 * wave `[onset, offset]` at the native rate labels the working-rate samples
 * `round(onset · r) … round(offset · r)` (`r` = working rate / native rate), and the annotated span
 * becomes `ceil(first · r) … floor(last · r)`.
 * @module
 */
import type { EcgRecord, Wave } from '../core/types';
import { check, checkInt } from '../core/errors';
import { checkEcgRecord } from '../core/_internal/record';
import { checkWaves } from '../core/_internal/waves';
import { interleaveLeads, preprocessRecord, type PreprocessOptions, type PreprocessSpec } from '../signal/preprocess';

/** One labelled record for classification. */
export interface ClassificationExample {
  /** `[T × leads]` time-major (interleaved), preprocessed with the model's spec. */
  signals: Float32Array;
  /** 0/1 per class (length `numClasses`). */
  labels: ArrayLike<number>;
  /** Record name, when made from a record. */
  name?: string;
}

/** One labelled record for segmentation. */
export interface SegmentationExample {
  /** `[T × leads]` time-major (interleaved), preprocessed with the model's spec. */
  signals: Float32Array;
  /** Class per working-rate sample (0 none, 1 P, 2 QRS, 3 T), length T. */
  labels: Uint8Array;
  /** Annotated span `[first, last]` (inclusive working-rate samples); outside it losses and metrics ignore samples. Default: all. */
  span?: readonly [number, number];
  /** Record name, when made from a record. */
  name?: string;
}

const CLASS: Record<Wave['type'], number> = { P: 1, QRS: 2, T: 3 };

/** Longest label array (samples): 2³¹ − 1. */
const MAX_LABELS = 2 ** 31 - 1;

/** A rate ratio: a finite number in (0, 1e6]. */
function checkRatio(ratio: unknown, fn: string): void {
  check(typeof ratio === 'number' && Number.isFinite(ratio) && ratio > 0 && ratio <= 1e6, fn, 'ratio', 'a finite number in (0, 1e6] (working rate / native rate)', ratio);
}

/**
 * Per-sample class labels at the working rate from a wave list at the native rate — the one
 * labelling rule: wave `[onset, offset]` → samples `round(onset · ratio) … round(offset · ratio)`,
 * clamped to `[0, length − 1]`; later waves overwrite earlier ones where they overlap.
 * @param waves annotated waves, inclusive sample indices at the native rate
 * @param length number of working-rate samples T
 * @param ratio working rate / native rate (e.g. 100 / 500 = 0.2)
 * @returns `Uint8Array(length)`: 0 none, 1 P, 2 QRS, 3 T
 * @throws if `length` is not a non-negative integer or `ratio` not positive
 * @example
 * ```ts
 * waveLabels([{ type: 'QRS', onset: 500, offset: 545 }], 1000, 0.2); // samples 100–109 = 2
 * ```
 */
export function waveLabels(waves: readonly Wave[], length: number, ratio: number): Uint8Array {
  const fn = 'waveLabels';
  checkWaves(waves, fn);
  checkInt(length, fn, 'length', 0, MAX_LABELS);
  checkRatio(ratio, fn);
  const y = new Uint8Array(length);
  for (const w of waves) {
    const c = CLASS[w.type];
    const a = Math.max(0, Math.round(w.onset * ratio));
    const b = Math.min(length - 1, Math.round(w.offset * ratio));
    for (let t = a; t <= b; t++) y[t] = c;
  }
  return y;
}

/**
 * An annotated span at the native rate mapped to the working rate: `[ceil(first · ratio),
 * min(length − 1, floor(last · ratio))]` (empty, first > last, when nothing is annotated).
 * @param span `[first, last]` inclusive native samples
 * @param length working-rate length T
 * @param ratio working rate / native rate
 * @returns the working-rate span
 * @throws if `span` is not two numbers
 * @example
 * ```ts
 * spanAtRate([644, 3996], 1000, 0.2); // [129, 799]
 * ```
 */
export function spanAtRate(span: readonly [number, number], length: number, ratio: number): [number, number] {
  const fn = 'spanAtRate';
  check(Array.isArray(span) && span.length === 2 && span.every((v) => typeof v === 'number' && Number.isFinite(v)) && span[0] <= span[1], fn, 'span', '[first, last] sample indices with first ≤ last', span);
  checkInt(length, fn, 'length', 1, MAX_LABELS);
  checkRatio(ratio, fn);
  return [Math.max(0, Math.ceil(span[0] * ratio)), Math.min(length - 1, Math.floor(span[1] * ratio))];
}

/**
 * A classification example from a record: `preprocessRecord` with the spec, interleaved to
 * `[T × leads]`.
 * @param record the record (any rate, mV)
 * @param labels 0/1 per class
 * @param spec the model's preprocessing spec (`fs` required; e.g. `{ fs: 100, lengthSamples: 1000 }`)
 * @returns a {@link ClassificationExample}
 * @throws as `preprocessRecord` (a missing lead is named)
 * @example
 * ```ts
 * const ex = classificationExample(sample.record, sample.labels, spec);
 * ```
 */
export function classificationExample(record: EcgRecord, labels: ArrayLike<number>, spec: PreprocessOptions | PreprocessSpec): ClassificationExample {
  const fn = 'classificationExample';
  checkEcgRecord(record, fn);
  const isList = Array.isArray(labels) || (ArrayBuffer.isView(labels) && !(labels instanceof DataView));
  check(isList && labels.length > 0, fn, 'labels', 'a non-empty array of 0/1 per class', labels);
  for (let i = 0; i < labels.length; i++) check(typeof labels[i] === 'number' && labels[i]! >= 0 && labels[i]! <= 1, fn, `labels[${i}]`, 'a label in [0, 1]', labels[i]);
  const p = preprocessRecord(record, spec, fn);
  return { signals: interleaveLeads(p.signals), labels: Float32Array.from(labels, Number), name: record.name };
}

/**
 * A segmentation example from a record and its annotated waves: `preprocessRecord` with the spec,
 * labels by {@link waveLabels}, span by {@link spanAtRate}.
 * @param record the record (any rate, mV)
 * @param waves annotated waves at the record's rate (e.g. `LudbSample.waves`)
 * @param span annotated span `[first, last]` at the record's rate (e.g. `LudbSample.span`); omit when every sample is labelled
 * @param spec the model's preprocessing spec
 * @returns a {@link SegmentationExample} at `spec.fs`
 * @throws as `preprocessRecord`
 * @example
 * ```ts
 * const train = samples.map((s) => segmentationExample(s.record, s.waves, s.span, spec));
 * ```
 */
export function segmentationExample(record: EcgRecord, waves: readonly Wave[], span: readonly [number, number] | undefined, spec: PreprocessOptions | PreprocessSpec): SegmentationExample {
  const fn = 'segmentationExample';
  checkEcgRecord(record, fn);
  checkWaves(waves, fn);
  if (span !== undefined) check(Array.isArray(span) && span.length === 2 && span.every((v) => typeof v === 'number' && Number.isFinite(v)) && span[0] <= span[1], fn, 'span', '[first, last] sample indices with first ≤ last, or undefined', span);
  const p = preprocessRecord(record, spec, fn);
  const T = p.signals[0]?.length ?? 0;
  const ratio = p.fs / record.fs;
  const ex: SegmentationExample = { signals: interleaveLeads(p.signals), labels: waveLabels(waves, T, ratio), name: record.name };
  if (span) ex.span = spanAtRate(span, T, ratio);
  return ex;
}
