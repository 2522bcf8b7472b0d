/**
 * Fine-tuning of the multilabel classifier: BCE, label fraction, linear probe or full
 * fine-tuning, validation macro AUROC / F1 per epoch, best-epoch weights kept — the one
 * fine-tuning loop (`finetuneLoop`) with the classification task.
 * @module
 */
import type { ClassificationExample } from '../data/examples';
import { EcgClassifier } from '../heads/classification';
import { classificationTask, finetuneLoop, type ClassifierEpochInfo, type FinetuneCommonOptions } from './finetune';
import { checkOptions, optionKeys } from '../core/_internal/options';
import { FINETUNE_LOOP_KEYS } from './_internal/loopKeys';
import { check } from '../core/errors';

export type { ClassificationExample } from '../data/examples';
export { evaluateClassifier, type ClassifierEpochInfo } from './finetune';

/** Options of {@link finetuneClassifier}. */
export interface FinetuneClassifierOptions extends FinetuneCommonOptions {
  /** The classifier (its `freezeEncoder` selects linear probe vs full fine-tuning). Updated in place. */
  classifier: EcgClassifier;
  /** Training examples (e.g. `classificationExample` of `beat-ssl/data`). */
  train: ClassificationExample[];
  /** Validation examples (metrics per epoch, best-epoch selection by macro AUROC). */
  val?: ClassificationExample[];
  /** Called after each epoch; return `false` to stop. */
  onEpoch?: (info: ClassifierEpochInfo) => void | boolean | Promise<void | boolean>;
}

/** Result of {@link finetuneClassifier}. */
export interface FinetuneClassifierResult {
  /** Per-epoch reports. */
  history: ClassifierEpochInfo[];
  /** Epoch with the best validation macro AUROC (last epoch without `val`). */
  bestEpoch: number;
  /** Validation macro AUROC of the best epoch. */
  bestValAuroc: number;
  /** Training examples actually used (label fraction applied). */
  trainRecords: number;
}

/**
 * Fine-tunes a classifier with binary cross-entropy (Adam), evaluating macro AUROC / F1 on `val`
 * after every epoch and keeping the best epoch's weights.
 * @param options {@link FinetuneClassifierOptions}
 * @returns per-epoch history and the best epoch
 * @throws on invalid options or inconsistent example shapes
 * @example
 * ```ts
 * const clf = createClassifier(pretrained.takeEncoder(), { numClasses: 5, freezeEncoder: true });
 * const { bestValAuroc } = await finetuneClassifier({ classifier: clf, train, val, epochs: 10, labelFraction: 0.1, seed: 1 });
 * ```
 */
export async function finetuneClassifier(options: FinetuneClassifierOptions): Promise<FinetuneClassifierResult> {
  check(options !== null && typeof options === 'object', 'finetuneClassifier', 'options', 'an options object', options);
  checkOptions(options, [...optionKeys<Omit<FinetuneClassifierOptions, (typeof FINETUNE_LOOP_KEYS)[number]>>()('classifier'), ...FINETUNE_LOOP_KEYS], 'finetuneClassifier', 'options');
  check(options.classifier instanceof EcgClassifier, 'finetuneClassifier', 'options.classifier', 'an EcgClassifier', options.classifier);
  const res = await finetuneLoop(classificationTask(options.classifier, 'finetuneClassifier'), options);
  return { ...res, bestValAuroc: res.history[res.bestEpoch - 1]?.valAuroc ?? NaN };
}
