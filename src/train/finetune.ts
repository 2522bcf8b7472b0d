/**
 * The one fine-tuning loop of beat-ssl, parameterised by task: `'classify'` (multilabel BCE,
 * validation macro AUROC / F1) or `'segment'` (masked cross-entropy + Dice from `beat-ssl/losses`,
 * validation Dice). Both share everything else — seeded label fraction, epoch order and crops,
 * amplitude/noise augmentation, Adam with an encoder learning-rate scale, learning-rate schedule,
 * best-epoch weights, checkpoints (saved as model folders with the preprocessing spec when given).
 * `finetuneClassifier` and `finetuneSegmenter` are this loop with their task fixed.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkRange, fail } from '../core/errors';
import { checkOptions } from '../core/_internal/options';
import { FINETUNE_LOOP_KEYS } from './_internal/loopKeys';
import { createRng, type Rng } from '../core/rng';
import type { PreprocessOptions } from '../signal/preprocess';
import type { ClassificationExample, SegmentationExample } from '../data/examples';
import { EcgClassifier } from '../heads/classification';
import { EcgSegmenter } from '../heads/segmentation';
import { saveModelFolder } from '../heads/modelFolder';
import { macroAuroc, macroF1 } from '../metrics/classification';
import { createDiceAccumulator } from '../metrics/segmentation';
import { segmentationLoss } from '../losses/segmentation';
import { ensureGradients } from '../backend/ensureGradients';
import { learningRateAt, type AdamOptions, type LrSchedule } from './schedule';
import { makeAdam, makeGroupedAdam, epochPermutation } from './_internal/loop';
import { BestEpochKeeper, cropBatch, fractionIndices } from './_internal/supervised';

/** Training-time augmentation of each crop: one amplitude factor uniform in `scale`, plus Gaussian noise of SD `noiseSd` (input units). */
export interface FinetuneAugment {
  /** Amplitude factor range, one factor per crop. Default `[1, 1]`. */
  scale?: [number, number];
  /** SD of additive Gaussian noise per sample and lead (input units, e.g. standardised). Default 0. */
  noiseSd?: number;
}

/** Options shared by both tasks. */
export interface FinetuneCommonOptions {
  /** Epochs. */
  epochs: number;
  /** Records per batch. Default 32 (classify), 16 (segment). */
  batchSize?: number;
  /** Fraction of the training examples used (1%, 10%, 100% protocols): a seeded subset. Default 1. */
  labelFraction?: number;
  /** Adam settings (learning rate default 1e-3). */
  optimizer?: AdamOptions;
  /** Learning-rate schedule. Default constant. */
  lrSchedule?: LrSchedule;
  /** Training crop length in samples (random offset); validation uses whole examples. Default: the shortest example. */
  windowSamples?: number;
  /**
   * Learning rate of the encoder relative to the head's (discriminative fine-tuning): 0.1 lets a
   * pretrained encoder move slowly while the new head learns; 0 freezes its weights. Default 1.
   */
  encoderLearningRateScale?: number;
  /** Amplitude and noise augmentation of the training crops. Default none. */
  augment?: FinetuneAugment;
  /** Seed (subset, order, crops, augmentation). */
  seed: number;
  /** Restore the weights of the best validation epoch at the end. Default true. */
  restoreBest?: boolean;
  /**
   * Save the best model to `dir/best` and the history to `dir/history.json` (Node). With
   * `preprocessing`, `best` is a model folder carrying that spec (`saveModelFolder`), which every
   * loader and CLI command reads.
   */
  checkpoint?: { dir: string };
  /** The preprocessing spec the examples were made with (saved with the best model). */
  preprocessing?: PreprocessOptions;
}

/** What every epoch report has. */
export interface FinetuneEpochBase {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss. */
  loss: number;
  /** Learning rate of the last step. */
  lr: number;
  /** `tf.memory().numTensors` after the epoch. */
  numTensors: number;
  /** Training examples per second. */
  recordsPerSec: number;
}

/** A task of the loop: how its examples are checked, batched into a loss, and validated. */
export interface FinetuneTask<E, V, I extends FinetuneEpochBase> {
  /** Public function named in errors. */
  fn: string;
  /** The model trained. */
  head: EcgClassifier | EcgSegmenter;
  /** Default batch size. */
  defaultBatchSize: number;
  /** Throws (naming `where`) when an example is malformed. */
  checkExample(e: E, where: string, leads: number): void;
  /** The loss of a batch: `x` `[B, L, leads]`, the examples and their crop offsets. */
  loss(x: tf.Tensor3D, batch: readonly E[], offsets: readonly number[], L: number): tf.Scalar;
  /** Validation metrics over whole examples. */
  validate(val: readonly E[], batchSize: number): V;
  /** The epoch report. */
  report(base: FinetuneEpochBase, val: V | null): I;
  /** Best-epoch score (higher is better) from the validation metrics, or `null` without validation. */
  score(val: V | null, loss: number): number | null;
  /** Option keys of the public function running the loop besides the loop's own (e.g. `'classifier'`): not unknown keys. */
  optionKeys?: readonly string[];
}

/** Result of the loop. */
export interface FinetuneLoopResult<I> {
  /** Per-epoch reports. */
  history: I[];
  /** 1-based epoch with the best validation score (the last epoch without validation). */
  bestEpoch: number;
  /** Training examples actually used (label fraction applied). */
  trainRecords: number;
}

/** Options of the loop for one task. */
export interface FinetuneLoopOptions<E, I> extends FinetuneCommonOptions {
  /** Training examples. */
  train: E[];
  /** Validation examples (metrics per epoch, best-epoch selection). */
  val?: E[];
  /** Called after each epoch; return `false` to stop. */
  onEpoch?: (info: I) => void | boolean | Promise<void | boolean>;
}

function checkAugment(aug: FinetuneAugment | undefined, fn: string): { lo: number; hi: number; noiseSd: number } {
  const a = aug ?? {};
  const [lo, hi] = a.scale ?? [1, 1];
  check(Number.isFinite(lo) && Number.isFinite(hi) && lo > 0 && lo <= hi, fn, 'options.augment.scale', 'a range [lo, hi] with 0 < lo ≤ hi', a.scale);
  return { lo, hi, noiseSd: checkRange(a.noiseSd ?? 0, fn, 'options.augment.noiseSd', 0, 1e3) };
}

/** Scales and perturbs each crop of a batch in place (one factor per crop, noise per value). */
function augmentBatch(x: Float32Array, B: number, size: number, a: { lo: number; hi: number; noiseSd: number }, rng: Rng): void {
  if (a.lo === 1 && a.hi === 1 && a.noiseSd === 0) return;
  for (let b = 0; b < B; b++) {
    const k = a.lo === a.hi ? a.lo : rng.uniform(a.lo, a.hi);
    for (let i = b * size; i < (b + 1) * size; i++) x[i] = x[i] * k + (a.noiseSd > 0 ? a.noiseSd * rng.normal() : 0);
  }
}

/**
 * Runs the fine-tuning loop for one task (see the module documentation). Prefer the task-fixed
 * `finetuneClassifier` / `finetuneSegmenter`.
 * @param task the task (head, example check, loss, validation)
 * @param options the loop's options
 * @returns per-epoch history, best epoch, records used
 * @throws on invalid options or examples (named) and a non-finite training loss
 * @example
 * ```ts
 * const res = await finetuneLoop(task, { train, val, epochs: 10, seed: 1 });
 * ```
 */
export async function finetuneLoop<E extends { signals: Float32Array }, V, I extends FinetuneEpochBase>(task: FinetuneTask<E, V, I>, options: FinetuneLoopOptions<E, I>): Promise<FinetuneLoopResult<I>> {
  const isTask = task !== null && typeof task === 'object' && typeof task.fn === 'string' && (task.head instanceof EcgClassifier || task.head instanceof EcgSegmenter);
  check(isTask, 'finetuneLoop', 'task', 'a FinetuneTask (classificationTask or segmentationTask)', task);
  const FN = task.fn;
  check(options !== null && typeof options === 'object' && !Array.isArray(options), FN, 'options', 'an options object { train, epochs, seed, ... }', options);
  checkOptions(options, [...FINETUNE_LOOP_KEYS, ...(task.optionKeys ?? [])], FN, 'options');
  const head = task.head;
  const leads = head.encoder.config.leads;
  const checkSet = (set: E[], name: string) => {
    check(Array.isArray(set) && set.length > 0, FN, name, 'a non-empty array of { signals, labels }', set);
    set.forEach((e, i) => {
      check(e?.signals instanceof Float32Array && e.signals.length % leads === 0 && e.signals.length > 0, FN, `${name}[${i}].signals`, `a Float32Array [T × ${leads}]`, e?.signals);
      task.checkExample(e, `${name}[${i}]`, leads);
    });
  };
  checkSet(options.train, 'options.train');
  if (options.val) checkSet(options.val, 'options.val');
  const epochs = checkInt(options.epochs, FN, 'options.epochs', 1);
  const seed = options.seed;
  check(Number.isFinite(seed), FN, 'options.seed', 'a finite number', seed);
  const fraction = checkRange(options.labelFraction ?? 1, FN, 'options.labelFraction', 1e-6, 1);
  const rng = createRng(seed);
  const train = fractionIndices(options.train.length, fraction, rng).map((i) => options.train[i]);
  const batchSize = Math.min(checkInt(options.batchSize ?? task.defaultBatchSize, FN, 'options.batchSize', 1), train.length);
  const minLen = Math.min(...train.map((e) => e.signals.length / leads));
  const L = checkInt(options.windowSamples ?? minLen, FN, 'options.windowSamples', 1, minLen);
  const adam = makeAdam.resolve(options.optimizer, FN);
  const aug = checkAugment(options.augment, FN);
  const optimizer = makeGroupedAdam(adam, head.trainableVariables, head.encoder.model, options.encoderLearningRateScale, FN);
  const stepsPerEpoch = Math.ceil(train.length / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  const variables = optimizer.variables;
  await ensureGradients();
  const history: I[] = [];
  const pre = options.preprocessing;
  const save = pre ? (dir: string) => saveModelFolder(dir, head, { preprocessing: pre }) : (dir: string) => head.save(dir);
  const keeper = new BestEpochKeeper({ model: head.model, save }, Boolean(options.val), options.checkpoint?.dir, FN);
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = Date.now();
      const perm = epochPermutation(seed, epoch, train.length);
      let lossSum = 0;
      let lr = adam.learningRate;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const idx = Array.from(perm.subarray(s * batchSize, (s + 1) * batchSize));
        const { x, offsets } = cropBatch(train.map((e) => e.signals), idx, L, leads, rng);
        augmentBatch(x, idx.length, L * leads, aug, rng);
        lr = learningRateAt(adam.learningRate, step, totalSteps, options.lrSchedule);
        optimizer.setLearningRate(lr);
        const xt = tf.tensor3d(x, [idx.length, L, leads]);
        const batch = idx.map((i) => train[i]);
        const { value, grads } = tf.variableGrads(() => task.loss(xt, batch, offsets, L), variables);
        optimizer.applyGradients(grads);
        lossSum += value.dataSync()[0] * idx.length;
        tf.dispose([xt, value, ...Object.values(grads)]);
        step++;
      }
      const loss = lossSum / train.length;
      if (!Number.isFinite(loss)) fail(FN, 'training loss', 'finite (lower the learning rate)', loss);
      const val = options.val ? task.validate(options.val, batchSize) : null;
      const info = task.report({ epoch: epoch + 1, loss, lr, numTensors: tf.memory().numTensors, recordsPerSec: train.length / Math.max(1e-3, (Date.now() - t0) / 1000) }, val);
      history.push(info);
      await keeper.offer(task.score(val, loss) ?? epoch, epoch + 1);
      if (options.onEpoch && (await options.onEpoch(info)) === false) break;
    }
    await keeper.finish(options.restoreBest ?? true, history);
    return { history, bestEpoch: keeper.epoch, trainRecords: train.length };
  } finally {
    keeper.dispose();
    optimizer.dispose();
  }
}

/** Per-epoch report of classification fine-tuning. */
export interface ClassifierEpochInfo extends FinetuneEpochBase {
  /** Validation BCE (NaN without `val`). */
  valLoss: number;
  /** Validation macro AUROC. */
  valAuroc: number;
  /** Validation macro F1 at 0.5. */
  valF1: number;
}

/** Per-epoch report of segmentation fine-tuning. */
export interface SegmenterEpochInfo extends FinetuneEpochBase {
  /** Validation Dice per class `[none, P, QRS, T]` (pooled over samples). */
  valDice: number[];
  /** Mean validation Dice over P, QRS, T. */
  valMeanDice: number;
}

/**
 * Evaluates a classifier: BCE, macro AUROC and macro F1 (threshold 0.5) over examples (first
 * `minLength` samples of each).
 * @param clf classifier
 * @param examples labelled examples
 * @param batchSize inference batch size (default 32)
 * @returns `{ loss, auroc, f1, probabilities }`
 * @example
 * ```ts
 * const { auroc } = evaluateClassifier(clf, val);
 * ```
 */
export function evaluateClassifier(clf: EcgClassifier, examples: readonly ClassificationExample[], batchSize = 32): { loss: number; auroc: number; f1: number; probabilities: number[][] } {
  const fn = 'evaluateClassifier';
  check(clf instanceof EcgClassifier, fn, 'clf', 'an EcgClassifier (createClassifier)', clf);
  const leads = clf.encoder.config.leads;
  const K = clf.config.numClasses;
  checkEvalExamples(examples, fn, leads, (e) => e.labels?.length === K, `labels: ${K} values`);
  checkInt(batchSize, fn, 'batchSize', 1, 1e6);
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

/**
 * Per-class Dice of a segmenter over examples (pooled over samples inside each example's span).
 * @param seg segmenter
 * @param examples labelled examples
 * @returns `{ perClass: [none, P, QRS, T], meanWaves }`
 * @example
 * ```ts
 * evaluateSegmenter(seg, val).meanWaves; // e.g. 0.85
 * ```
 */
export function evaluateSegmenter(seg: EcgSegmenter, examples: readonly SegmentationExample[]): { perClass: number[]; meanWaves: number } {
  const fn = 'evaluateSegmenter';
  check(seg instanceof EcgSegmenter, fn, 'seg', 'an EcgSegmenter (createSegmenter)', seg);
  const leads = seg.encoder.config.leads;
  checkEvalExamples(examples, fn, leads, (e) => e.labels instanceof Uint8Array && e.labels.length * leads === e.signals.length, 'labels: a Uint8Array of one class per time step');
  const acc = createDiceAccumulator(seg.config.numClasses);
  for (const e of examples) acc.add(seg.segmentSignals(e.signals), e.labels, e.span);
  const r = acc.result();
  return { perClass: r.perClass, meanWaves: r.meanWaves };
}

/** Checks the examples of an evaluation: a non-empty array of `{ signals: Float32Array [T × leads], labels }`. */
function checkEvalExamples<E extends { signals: Float32Array }>(examples: readonly E[], fn: string, leads: number, labelsOk: (e: E) => boolean, labels: string): void {
  check(Array.isArray(examples) && examples.length > 0, fn, 'examples', 'a non-empty array of examples { signals, labels }', examples);
  examples.forEach((e, i) => {
    const ok = e !== null && typeof e === 'object' && e.signals instanceof Float32Array && e.signals.length > 0 && e.signals.length % leads === 0 && labelsOk(e);
    check(ok, fn, `examples[${i}]`, `an example { signals: Float32Array [T × ${leads}], ${labels} }`, e);
  });
}

/**
 * The classification task of {@link finetuneLoop} (what `finetuneClassifier` runs): binary
 * cross-entropy on `labels`, validation by macro AUROC / F1.
 * @param clf the classifier to train
 * @param fn public function named in the loop's errors (e.g. `'finetuneClassifier'`)
 * @returns the task
 * @throws {BeatSslError} `Error in classificationTask` when `clf` is not an EcgClassifier or `fn` not a name
 * @example
 * ```ts
 * const res = await finetuneLoop(classificationTask(clf, 'myTrainer'), { train, epochs: 5, seed: 1 });
 * ```
 */
export function classificationTask(clf: EcgClassifier, fn: string): FinetuneTask<ClassificationExample, ReturnType<typeof evaluateClassifier>, ClassifierEpochInfo> {
  check(clf instanceof EcgClassifier, 'classificationTask', 'clf', 'an EcgClassifier (createClassifier)', clf);
  check(typeof fn === 'string' && fn !== '', 'classificationTask', 'fn', 'the name of the public function running the loop', fn);
  const K = clf.config.numClasses;
  return {
    fn,
    head: clf,
    defaultBatchSize: 32,
    checkExample: (e, where) => check(e.labels != null && e.labels.length === K, fn, `${where}.labels`, `${K} values (0/1)`, e.labels),
    loss: (x, batch) => {
      const y = new Float32Array(batch.length * K);
      batch.forEach((e, b) => y.set(Array.from(e.labels, Number), b * K));
      return tf.tidy(() => tf.losses.sigmoidCrossEntropy(tf.tensor2d(y, [batch.length, K]), clf.logits(x, { training: true })) as tf.Scalar);
    },
    validate: (val, batchSize) => evaluateClassifier(clf, val, batchSize),
    report: (base, v) => ({ ...base, valLoss: v ? v.loss : NaN, valAuroc: v ? v.auroc : NaN, valF1: v ? v.f1 : NaN }),
    score: (v) => (v ? (Number.isNaN(v.auroc) ? -v.loss : v.auroc) : null),
    optionKeys: ['classifier'],
  };
}

/**
 * The segmentation task of {@link finetuneLoop} (what `finetuneSegmenter` runs): cross-entropy +
 * `diceWeight` × Dice (`segmentationLoss`), validation by per-class Dice.
 * @param seg the segmenter to train
 * @param diceWeight weight of the Dice term, in [0, 1e6]
 * @param fn public function named in the loop's errors (e.g. `'finetuneSegmenter'`)
 * @returns the task
 * @throws {BeatSslError} `Error in segmentationTask` when `seg` is not an EcgSegmenter, `diceWeight`
 *   is out of range or `fn` not a name
 * @example
 * ```ts
 * const res = await finetuneLoop(segmentationTask(seg, 1, 'myTrainer'), { train, epochs: 5, seed: 1 });
 * ```
 */
export function segmentationTask(seg: EcgSegmenter, diceWeight: number, fn: string): FinetuneTask<SegmentationExample, ReturnType<typeof evaluateSegmenter>, SegmenterEpochInfo> {
  check(seg instanceof EcgSegmenter, 'segmentationTask', 'seg', 'an EcgSegmenter (createSegmenter)', seg);
  const dw = checkRange(diceWeight, 'segmentationTask', 'diceWeight', 0, 1e6);
  check(typeof fn === 'string' && fn !== '', 'segmentationTask', 'fn', 'the name of the public function running the loop', fn);
  return {
    fn,
    head: seg,
    defaultBatchSize: 16,
    checkExample: (e, where, leads) => check(e.labels instanceof Uint8Array && e.labels.length === e.signals.length / leads, fn, `${where}.labels`, `a Uint8Array of ${e.signals.length / leads} class indices`, e.labels),
    loss: (x, batch, offsets, L) => {
      const y = new Int32Array(batch.length * L);
      const w = new Float32Array(batch.length * L);
      batch.forEach((e, b) => {
        const [first, last] = e.span ?? [0, e.labels.length - 1];
        for (let t = 0; t < L; t++) {
          const src = offsets[b] + t;
          y[b * L + t] = e.labels[src];
          w[b * L + t] = src >= first && src <= last ? 1 : 0;
        }
      });
      return tf.tidy(() => segmentationLoss(seg.logits(x, { training: true }), tf.tensor2d(y, [batch.length, L], 'int32'), tf.tensor2d(w, [batch.length, L]), dw));
    },
    validate: (val) => evaluateSegmenter(seg, val),
    report: (base, v) => ({ ...base, valDice: v ? v.perClass : [NaN, NaN, NaN, NaN], valMeanDice: v ? v.meanWaves : NaN }),
    score: (v, loss) => (v ? (Number.isNaN(v.meanWaves) ? -loss : v.meanWaves) : null),
    optionKeys: ['segmenter', 'diceWeight'],
  };
}
