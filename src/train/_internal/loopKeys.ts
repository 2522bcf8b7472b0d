/**
 * The option keys of the fine-tuning loop, in one place: `finetuneLoop` checks them (plus its task's
 * own keys), and `finetuneClassifier` / `finetuneSegmenter` check them beside their head's key.
 * @internal
 */
import { optionKeys } from '../../core/_internal/options';
import type { FinetuneEpochBase, FinetuneLoopOptions } from '../finetune';

/** Every key of {@link FinetuneLoopOptions} (compile-checked against the type). */
export const FINETUNE_LOOP_KEYS = optionKeys<FinetuneLoopOptions<unknown, FinetuneEpochBase>>()('epochs', 'batchSize', 'labelFraction', 'optimizer', 'lrSchedule', 'windowSamples', 'encoderLearningRateScale', 'augment', 'seed', 'restoreBest', 'checkpoint', 'preprocessing', 'train', 'val', 'onEpoch');
