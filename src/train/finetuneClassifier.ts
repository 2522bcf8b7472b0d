/**
 * Fine-tuning loop for the multilabel classifier: BCE, label fraction, linear probe or full
 * fine-tuning, validation macro AUROC / F1 per epoch, best-epoch weights kept.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkRange, fail } from '../core/errors';
import { createRng } from '../core/rng';
import { EcgClassifier } from '../heads/classification';
import { macroAuroc, macroF1 } from '../metrics/classification';
import { ensureGradients } from '../backend/ensureGradients';
import { learningRateAt, type LrSchedule } from './schedule';
import { makeAdam, makeGroupedAdam, epochPermutation, type AdamOptions } from './_internal/loop';
import { BestEpochKeeper, cropBatch, fractionIndices } from './_internal/supervised';

/** One labelled record for classification. */
export interface ClassificationExample {
  /** `[T × leads]` time-major, preprocessed like the pretraining data. */
  signals: Float32Array;
  /** 0/1 per class (length `numClasses`). */
  labels: ArrayLike<number>;
}

/** Options of {@link finetuneClassifier}. */
export interface FinetuneClassifierOptions {
  /** The classifier (its `freezeEncoder` selects linear probe vs full fine-tuning). Updated in place. */
  classifier: EcgClassifier;
  /** Training examples. */
  train: ClassificationExample[];
  /** Validation examples (metrics per epoch, best-epoch selection by macro AUROC). */
  val?: ClassificationExample[];
  /** Epochs. */
  epochs: number;
  /** Default 32. */
  batchSize?: number;
  /** Fraction of the training labels used (1%, 10%, 100% protocols): a seeded subset. Default 1. */
  labelFraction?: number;
  /** Adam settings (learning rate default 1e-3). */
  optimizer?: AdamOptions;
  /** Default constant. */
  lrSchedule?: LrSchedule;
  /** Training crop length in samples (random offset); validation uses the first samples. Default: shortest record. */
  windowSamples?: number;
  /**
   * Learning rate of the encoder relative to the head's (discriminative fine-tuning); 0 freezes the
   * encoder's weights (normalisation still in training mode — for a true linear probe use the
   * classifier's `freezeEncoder`). Default 1.
   */
  encoderLearningRateScale?: number;
  /** Seed (subset, order, crops). */
  seed: number;
  /** Restore the weights of the best validation epoch at the end. Default true. */
  restoreBest?: boolean;
  /** Save the best classifier to `dir/best` and the history to `dir/history.json` (Node). */
  checkpoint?: { dir: string };
  /** Called after each epoch; return `false` to stop. */
  onEpoch?: (info: ClassifierEpochInfo) => void | boolean | Promise<void | boolean>;
}

/** Per-epoch report of {@link finetuneClassifier}. */
export interface ClassifierEpochInfo {
  /** 1-based. */
  epoch: number;
  /** Mean training BCE. */
  loss: number;
  /** Validation BCE (NaN without `val`). */
  valLoss: number;
  /** Validation macro AUROC. */
  valAuroc: number;
  /** Validation macro F1 at 0.5. */
  valF1: number;
  lr: number;
  numTensors: number;
  recordsPerSec: number;
}

/** Result of {@link finetuneClassifier}. */
export interface FinetuneClassifierResult {
  history: ClassifierEpochInfo[];
  /** Epoch with the best validation macro AUROC (last epoch without `val`). */
  bestEpoch: number;
  bestValAuroc: number;
  /** Training examples actually used (label fraction applied). */
  trainRecords: number;
}

const FN = 'finetuneClassifier';

/**
 * Fine-tunes a classifier with binary cross-entropy (Adam), evaluating macro AUROC / F1 on `val`
 * after every epoch and keeping the best epoch's weights.
 * @param options {@link FinetuneClassifierOptions}
 * @returns per-epoch history and the best epoch
 * @throws on invalid options or inconsistent example shapes
 * @example
 * const clf = createClassifier(pretrained.takeEncoder(), { numClasses: 5, freezeEncoder: true });
 * const { bestValAuroc } = await finetuneClassifier({ classifier: clf, train, val, epochs: 10, labelFraction: 0.1, seed: 1 });
 */
export async function finetuneClassifier(options: FinetuneClassifierOptions): Promise<FinetuneClassifierResult> {
  check(options != null && options.classifier instanceof EcgClassifier, FN, 'options.classifier', 'an EcgClassifier', options?.classifier);
  const clf = options.classifier;
  const leads = clf.encoder.config.leads;
  const K = clf.config.numClasses;
  const checkSet = (set: ClassificationExample[], name: string) => {
    check(Array.isArray(set) && set.length > 0, FN, name, 'a non-empty array of { signals, labels }', set);
    set.forEach((e, i) => {
      check(e?.signals instanceof Float32Array && e.signals.length % leads === 0 && e.signals.length > 0, FN, `${name}[${i}].signals`, `a Float32Array [T × ${leads}]`, e?.signals);
      check(e.labels != null && e.labels.length === K, FN, `${name}[${i}].labels`, `${K} values (0/1)`, e.labels);
    });
  };
  checkSet(options.train, 'options.train');
  if (options.val) checkSet(options.val, 'options.val');
  const epochs = checkInt(options.epochs, FN, 'options.epochs', 1);
  const seed = options.seed;
  check(Number.isFinite(seed), FN, 'options.seed', 'a finite number', seed);
  const fraction = checkRange(options.labelFraction ?? 1, FN, 'options.labelFraction', 1e-6, 1);
  const rng = createRng(seed);
  const subset = fractionIndices(options.train.length, fraction, rng);
  const train = subset.map((i) => options.train[i]);
  const batchSize = Math.min(checkInt(options.batchSize ?? 32, FN, 'options.batchSize', 1), train.length);
  const minLen = Math.min(...train.map((e) => e.signals.length / leads));
  const L = checkInt(options.windowSamples ?? minLen, FN, 'options.windowSamples', 1, minLen);
  const adam = makeAdam.resolve(options.optimizer, FN);
  const optimizer = makeGroupedAdam(adam, clf.trainableVariables, clf.encoder.model, options.encoderLearningRateScale, FN);
  const stepsPerEpoch = Math.ceil(train.length / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  const variables = optimizer.variables;
  await ensureGradients();
  const history: ClassifierEpochInfo[] = [];
  const keeper = new BestEpochKeeper(clf, Boolean(options.val), options.checkpoint?.dir, FN);
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = Date.now();
      const perm = epochPermutation(seed, epoch, train.length);
      let lossSum = 0;
      let lr = adam.learningRate;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const idx = Array.from(perm.subarray(s * batchSize, (s + 1) * batchSize));
        const { x } = cropBatch(train.map((e) => e.signals), idx, L, leads, rng);
        const y = new Float32Array(idx.length * K);
        idx.forEach((r, b) => y.set(Array.from(train[r].labels, Number), b * K));
        lr = learningRateAt(adam.learningRate, step, totalSteps, options.lrSchedule);
        optimizer.setLearningRate(lr);
        const xt = tf.tensor3d(x, [idx.length, L, leads]);
        const yt = tf.tensor2d(y, [idx.length, K]);
        const { value, grads } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(yt, clf.logits(xt, { training: true })) as tf.Scalar, variables);
        optimizer.applyGradients(grads);
        lossSum += value.dataSync()[0] * idx.length;
        tf.dispose([xt, yt, value, ...Object.values(grads)]);
        step++;
      }
      const loss = lossSum / train.length;
      if (!Number.isFinite(loss)) fail(FN, 'training loss', 'finite (lower the learning rate)', loss);
      const val = options.val ? evaluateClassifier(clf, options.val, batchSize) : { loss: NaN, auroc: NaN, f1: NaN };
      const info: ClassifierEpochInfo = {
        epoch: epoch + 1,
        loss,
        valLoss: val.loss,
        valAuroc: val.auroc,
        valF1: val.f1,
        lr,
        numTensors: tf.memory().numTensors,
        recordsPerSec: train.length / Math.max(1e-3, (Date.now() - t0) / 1000),
      };
      history.push(info);
      const score = options.val ? (Number.isNaN(val.auroc) ? -val.loss : val.auroc) : epoch;
      await keeper.offer(score, epoch + 1);
      if (options.onEpoch && (await options.onEpoch(info)) === false) break;
    }
    await keeper.finish(options.restoreBest ?? true, history);
    const bestEpoch = keeper.epoch;
    return { history, bestEpoch, bestValAuroc: history[bestEpoch - 1]?.valAuroc ?? NaN, trainRecords: train.length };
  } finally {
    keeper.dispose();
    optimizer.dispose();
  }
}

/**
 * Evaluates a classifier: BCE, macro AUROC and macro F1 (threshold 0.5) over examples (first
 * `minLength` samples of each).
 * @param clf classifier
 * @param examples labelled examples
 * @param batchSize inference batch size (default 32)
 * @returns `{ loss, auroc, f1, probabilities }`
 * @example
 * const { auroc } = evaluateClassifier(clf, val);
 */
export function evaluateClassifier(clf: EcgClassifier, examples: ClassificationExample[], batchSize = 32): { loss: number; auroc: number; f1: number; probabilities: number[][] } {
  const leads = clf.encoder.config.leads;
  const K = clf.config.numClasses;
  const L = Math.min(...examples.map((e) => e.signals.length / leads));
  const probs: number[][] = [];
  let lossSum = 0;
  for (let s = 0; s < examples.length; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, examples.length - s) }, (_, i) => s + i);
    const { x } = cropBatch(examples.map((e) => e.signals), idx, L, leads, null);
    const y = new Float32Array(idx.length * K);
    idx.forEach((r, b) => y.set(Array.from(examples[r].labels, Number), b * K));
    const [p, l] = tf.tidy(() => {
      const logits = clf.logits(tf.tensor3d(x, [idx.length, L, leads]));
      return [tf.sigmoid(logits), tf.losses.sigmoidCrossEntropy(tf.tensor2d(y, [idx.length, K]), logits)];
    });
    const pv = p.dataSync();
    lossSum += l.dataSync()[0] * idx.length;
    tf.dispose([p, l]);
    idx.forEach((_, b) => probs.push(Array.from(pv.subarray(b * K, (b + 1) * K))));
  }
  const labels = examples.map((e) => Array.from(e.labels, Number));
  return { loss: lossSum / examples.length, auroc: macroAuroc(probs, labels).macro, f1: macroF1(probs, labels).macro, probabilities: probs };
}
