/**
 * Fine-tuning of the U-Net segmenter: cross-entropy + Dice loss (`segmentationLoss` of
 * `beat-ssl/losses`), validation Dice per epoch, best-epoch weights kept — the one fine-tuning
 * loop (`finetuneLoop`) with the segmentation task.
 * @module
 */
import type { SegmentationExample } from '../data/examples';
import { EcgSegmenter } from '../heads/segmentation';
import { finetuneLoop, segmentationTask, type FinetuneAugment, type FinetuneCommonOptions, type SegmenterEpochInfo } from './finetune';
import { checkOptions, optionKeys } from '../core/_internal/options';
import { FINETUNE_LOOP_KEYS } from './_internal/loopKeys';
import { check, checkRange } from '../core/errors';

export type { SegmentationExample } from '../data/examples';
export { evaluateSegmenter, type SegmenterEpochInfo } from './finetune';
export { segmentationLoss } from '../losses/segmentation';

/** Amplitude and noise augmentation of {@link finetuneSegmenter} (the loop's `FinetuneAugment`). */
export type SegmentationAugment = FinetuneAugment;

/** Options of {@link finetuneSegmenter}. */
export interface FinetuneSegmenterOptions extends FinetuneCommonOptions {
  /** The segmenter. Updated in place. */
  segmenter: EcgSegmenter;
  /** Training examples (e.g. `segmentationExample` of `beat-ssl/data`). */
  train: SegmentationExample[];
  /** Validation examples (Dice per epoch, best-epoch selection by mean Dice over P, QRS, T). */
  val?: SegmentationExample[];
  /** Weight of the Dice loss (1 − mean soft Dice over P, QRS, T) added to the cross-entropy. Default 1. */
  diceWeight?: number;
  /** Called after each epoch; return `false` to stop. */
  onEpoch?: (info: SegmenterEpochInfo) => void | boolean | Promise<void | boolean>;
}

/** Result of {@link finetuneSegmenter}. */
export interface FinetuneSegmenterResult {
  /** Per-epoch reports. */
  history: SegmenterEpochInfo[];
  /** Epoch with the best validation mean Dice (last epoch without `val`). */
  bestEpoch: number;
  /** Validation mean Dice of the best epoch. */
  bestValMeanDice: number;
  /** Training examples actually used (label fraction applied). */
  trainRecords: number;
}

/**
 * Fine-tunes a segmenter with cross-entropy + Dice (Adam), evaluating per-class Dice on `val`
 * after every epoch and keeping the best epoch's weights.
 * @param options {@link FinetuneSegmenterOptions}
 * @returns per-epoch history and the best epoch
 * @throws on invalid options or inconsistent examples
 * @example
 * ```ts
 * const seg = createSegmenter(pretrained.takeEncoder());
 * const res = await finetuneSegmenter({ segmenter: seg, train, val, epochs: 20, seed: 1 });
 * ```
 */
export async function finetuneSegmenter(options: FinetuneSegmenterOptions): Promise<FinetuneSegmenterResult> {
  check(options !== null && typeof options === 'object', 'finetuneSegmenter', 'options', 'an options object', options);
  checkOptions(options, [...optionKeys<Omit<FinetuneSegmenterOptions, (typeof FINETUNE_LOOP_KEYS)[number]>>()('segmenter', 'diceWeight'), ...FINETUNE_LOOP_KEYS], 'finetuneSegmenter', 'options');
  check(options.segmenter instanceof EcgSegmenter, 'finetuneSegmenter', 'options.segmenter', 'an EcgSegmenter', options.segmenter);
  const diceWeight = checkRange(options.diceWeight ?? 1, 'finetuneSegmenter', 'options.diceWeight', 0, 1e6);
  const res = await finetuneLoop(segmentationTask(options.segmenter, diceWeight, 'finetuneSegmenter'), options);
  return { ...res, bestValMeanDice: res.history[res.bestEpoch - 1]?.valMeanDice ?? NaN };
}
