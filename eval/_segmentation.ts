/**
 * LUDB segmentation helpers shared by eval/ludb-segmentation.ts, eval/_downstream.ts and
 * scripts/train-segmentation-weights.ts: examples at the working rate from the library's one
 * examples module (`segmentationExample` of beat-ssl/data, the rule the CLI uses too), the
 * library's fine-tuning loop (masked cross-entropy inside the annotated span), and scoring through
 * `segmentRecord` at the native rate (the exact code paths users get).
 */
import type { Wave } from '../src/core/types';
import { loadLudb, type LudbSample } from '../src/data/ludb';
import { collectDataset } from '../src/data/dataset';
import { segmentationExample, type SegmentationExample } from '../src/data/examples';
import { preprocessSpec, type PreprocessSpec } from '../src/signal/preprocess';
import { scoreSegmentation, type SegmentationScore } from '../src/metrics/segmentation';
import type { EcgSegmenter } from '../src/heads/segmentation';
import { finetuneSegmenter, type SegmentationAugment } from '../src/train/finetuneSegmenter';
import type { LabelsToWavesOptions } from '../src/heads/waves';
import type { SegmentationModel } from '../src/heads/segmentationModel';
import { segmentRecord } from '../src/analysis/segmentRecord';

/**
 * The preprocessing of every segmentation model in the evals and of the shipped weights: the
 * library's defaults made explicit (12 canonical leads, 0.5–40 Hz, per-lead z-score) at `fs`.
 */
export function segmentationPreprocessing(fs = 100): PreprocessSpec {
  return preprocessSpec({ fs });
}

/** One LUDB record prepared for training and scoring. */
export interface SegItem {
  id: number;
  sample: LudbSample;
  /** The training example (`segmentationExample`): signals `[T × 12]`, labels, span at the working rate. */
  example: SegmentationExample;
  /** `[T × 12]` preprocessed at the working rate (= `example.signals`). */
  x: Float32Array;
  /** Class per working-rate sample (= `example.labels`). */
  y: Uint8Array;
  /** Loss weight per working-rate sample: 1 inside the annotated span, 0 outside. */
  w: Float32Array;
  T: number;
}

/** Loads LUDB records (lead II labels) and prepares them at the working rate. */
export async function prepareLudb(dir: string, pre: PreprocessSpec, ids?: number[]): Promise<SegItem[]> {
  const ds = await loadLudb(dir, { lead: 'ii', ids });
  const samples = await collectDataset(ds, 4);
  return samples.map((s) => prepareItem(s, pre));
}

export function prepareItem(s: LudbSample, pre: PreprocessSpec): SegItem {
  const example = segmentationExample(s.record, s.waves, s.span, pre);
  const T = example.labels.length;
  const w = new Float32Array(T);
  const [first, last] = example.span!;
  for (let t = first; t <= last; t++) w[t] = 1;
  return { id: s.id, sample: s, example, x: example.signals, y: example.labels, w, T };
}

export interface FinetuneSegOptions {
  epochs: number;
  batchSize?: number;
  lr?: number;
  seed: number;
  /** Learning rate of the encoder relative to the decoder's (0 freezes it). Default 1. */
  encoderLrScale?: number;
  /** Amplitude scaling range and Gaussian noise SD (standardised units). Default ×[0.8, 1.2], SD 0.05. */
  augment?: SegmentationAugment | false;
  /** Train on one random crop of this many working-rate samples per record and epoch. Default: whole records. */
  cropSamples?: number;
  onEpoch?: (epoch: number, loss: number, sec: number) => void;
}

/** The augmentation of every segmentation fine-tuning in the evals and of the shipped weights. */
export const SEGMENTATION_AUGMENT: SegmentationAugment = { scale: [0.8, 1.2], noiseSd: 0.05 };

/**
 * Fine-tunes a segmenter on prepared items with the library's `finetuneSegmenter` (the exact loop
 * users get): cross-entropy masked to the annotated span (no Dice term), Adam with a cosine
 * learning-rate decay, seeded crops, order and augmentation.
 */
export async function finetuneSegmenterOnItems(seg: EcgSegmenter, items: SegItem[], o: FinetuneSegOptions): Promise<{ losses: number[]; seconds: number }> {
  const t0 = performance.now();
  const train = items.map((it) => it.example);
  const res = await finetuneSegmenter({
    segmenter: seg,
    train,
    epochs: o.epochs,
    batchSize: o.batchSize ?? 16,
    optimizer: { learningRate: o.lr ?? 2e-3 },
    lrSchedule: { type: 'cosine' },
    windowSamples: o.cropSamples ?? Math.min(...items.map((i) => i.T)),
    diceWeight: 0,
    augment: o.augment === false ? undefined : o.augment ?? SEGMENTATION_AUGMENT,
    encoderLearningRateScale: o.encoderLrScale,
    restoreBest: false,
    seed: o.seed,
    onEpoch: (info) => o.onEpoch?.(info.epoch - 1, info.loss, (performance.now() - t0) / 1000),
  });
  return { losses: res.history.map((h) => h.loss), seconds: (performance.now() - t0) / 1000 };
}

/**
 * Post-processing of every segmentation model in the evals and of the shipped weights: runs merged
 * across gaps < 40 ms, P and QRS shorter than 40 ms and T shorter than 80 ms dropped. Chosen on
 * LUDB 121–160 with a random-init model of a preliminary run (it raised that model's mean F1 from
 * 0.9843 to 0.9865, by removing T-wave fragments).
 */
export const SEGMENTATION_POSTPROCESSING: LabelsToWavesOptions = { mergeGapSec: 0.04, minDurationSec: { P: 0.04, QRS: 0.04, T: 0.08 } };

/** Wraps a segmenter as a {@link SegmentationModel} (not owning it). */
export function asSegmentationModel(seg: EcgSegmenter, pre: PreprocessSpec): SegmentationModel {
  return { segmenter: seg, preprocessing: pre, postprocessing: SEGMENTATION_POSTPROCESSING, dispose: () => undefined };
}

/** Scores a model on prepared items through `segmentRecord` (native rate, lead II reference, annotated span). */
export async function scoreModelOnItems(model: SegmentationModel, items: SegItem[]): Promise<SegmentationScore & { perRecordF1: { id: number; f1: number }[] }> {
  const recs = [];
  for (const it of items) {
    const r = await segmentRecord(it.sample.record, model);
    recs.push({ reference: it.sample.waves, predicted: r.waves, span: it.sample.span, length: it.sample.record.signals[0].length });
  }
  const score = scoreSegmentation(recs, items[0].sample.record.fs);
  const perRecordF1 = recs.map((r, i) => ({ id: items[i].id, f1: scoreSegmentation([r], items[i].sample.record.fs).delineation.meanF1 }));
  return { ...score, perRecordF1 };
}

/** Scores precomputed waves (e.g. a rule-based delineator) on items. */
export function scoreWavesOnItems(items: SegItem[], predicted: Wave[][]): SegmentationScore {
  return scoreSegmentation(
    items.map((it, i) => ({ reference: it.sample.waves, predicted: predicted[i], span: it.sample.span, length: it.sample.record.signals[0].length })),
    items[0].sample.record.fs,
  );
}
