/**
 * Fine-tuning loop for the U-Net segmenter: cross-entropy + Dice loss, validation Dice per
 * epoch, best-epoch weights kept.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkRange, fail } from '../core/errors';
import { createRng } from '../core/rng';
import { EcgSegmenter } from '../heads/segmentation';
import { createDiceAccumulator } from '../metrics/segmentation';
import { ensureGradients } from '../backend/ensureGradients';
import { learningRateAt, type LrSchedule } from './schedule';
import { makeAdam, makeGroupedAdam, epochPermutation, type AdamOptions } from './_internal/loop';
import { BestEpochKeeper, cropBatch, fractionIndices } from './_internal/supervised';

/** One labelled record for segmentation. */
export interface SegmentationExample {
  /** `[T × leads]` time-major, preprocessed. */
  signals: Float32Array;
  /** Class per sample (0 none, 1 P, 2 QRS, 3 T), length T. */
  labels: Uint8Array;
  /** Annotated span `[first, last]` (inclusive samples); outside it the loss and metrics ignore samples. Default: all. */
  span?: readonly [number, number];
}

/** Options of {@link finetuneSegmenter}. */
export interface FinetuneSegmenterOptions {
  segmenter: EcgSegmenter;
  train: SegmentationExample[];
  val?: SegmentationExample[];
  epochs: number;
  /** Default 16. */
  batchSize?: number;
  /** Fraction of training records used. Default 1. */
  labelFraction?: number;
  /** Weight of the Dice loss (1 − mean soft Dice over P, QRS, T) added to the cross-entropy. Default 1. */
  diceWeight?: number;
  optimizer?: AdamOptions;
  lrSchedule?: LrSchedule;
  /** Training crop length (random offset). Default: shortest record. */
  windowSamples?: number;
  /**
   * Learning rate of the encoder relative to the decoder's (discriminative fine-tuning): 0.1 lets a
   * pretrained encoder move slowly while the new decoder learns; 0 freezes it. Default 1.
   */
  encoderLearningRateScale?: number;
  /** Training-time augmentation of each crop: amplitude factor uniform in `scale`, plus Gaussian noise of SD `noiseSd` (input units). Default none. */
  augment?: SegmentationAugment;
  seed: number;
  /** Default true. */
  restoreBest?: boolean;
  /** Save the best segmenter to `dir/best` and history to `dir/history.json` (Node). */
  checkpoint?: { dir: string };
  onEpoch?: (info: SegmenterEpochInfo) => void | boolean | Promise<void | boolean>;
}

/** Amplitude and noise augmentation of {@link finetuneSegmenter}. */
export interface SegmentationAugment {
  /** Amplitude factor range, one factor per crop. Default `[1, 1]`. */
  scale?: [number, number];
  /** SD of additive Gaussian noise per sample and lead (input units, e.g. standardised). Default 0. */
  noiseSd?: number;
}

/** Per-epoch report of {@link finetuneSegmenter}. */
export interface SegmenterEpochInfo {
  epoch: number;
  loss: number;
  /** Validation Dice per class `[none, P, QRS, T]` (pooled over samples). */
  valDice: number[];
  /** Mean validation Dice over P, QRS, T. */
  valMeanDice: number;
  lr: number;
  numTensors: number;
  recordsPerSec: number;
}

/** Result of {@link finetuneSegmenter}. */
export interface FinetuneSegmenterResult {
  history: SegmenterEpochInfo[];
  bestEpoch: number;
  bestValMeanDice: number;
}

const FN = 'finetuneSegmenter';

/**
 * Cross-entropy + soft Dice loss of segmentation logits.
 * @param logits `[batch, time, K]`
 * @param labels `[batch, time]` int32 class indices
 * @param weights `[batch, time]` 1 inside the annotated span, 0 outside
 * @param diceWeight weight of `1 − mean Dice(classes 1..K−1)`
 * @returns scalar loss
 */
export function segmentationLoss(logits: tf.Tensor3D, labels: tf.Tensor2D, weights: tf.Tensor2D, diceWeight = 1): tf.Scalar {
  return tf.tidy(() => {
    const K = logits.shape[2];
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), K);
    const w = tf.expandDims(weights, 2);
    const logp = tf.logSoftmax(logits);
    const n = tf.maximum(tf.sum(weights), 1);
    const ce = tf.div(tf.neg(tf.sum(tf.mul(tf.mul(onehot, logp), w))), n);
    if (diceWeight === 0) return ce as tf.Scalar;
    const p = tf.mul(tf.exp(logp), w);
    const t = tf.mul(onehot, w);
    const inter = tf.sum(tf.mul(p, t), [0, 1]);
    const denom = tf.add(tf.sum(p, [0, 1]), tf.sum(t, [0, 1]));
    const dice = tf.div(tf.add(tf.mul(2, inter), 1), tf.add(denom, 1));
    const waves = tf.slice(dice, [1], [K - 1]);
    return tf.add(ce, tf.mul(diceWeight, tf.sub(1, tf.mean(waves)))) as tf.Scalar;
  });
}

/**
 * Fine-tunes a segmenter with cross-entropy + Dice (Adam), evaluating per-class Dice on `val`
 * after every epoch and keeping the best epoch's weights.
 * @param options {@link FinetuneSegmenterOptions}
 * @returns per-epoch history and the best epoch
 * @throws on invalid options or inconsistent examples
 * @example
 * const seg = createSegmenter(pretrained.takeEncoder());
 * const res = await finetuneSegmenter({ segmenter: seg, train, val, epochs: 20, seed: 1 });
 */
export async function finetuneSegmenter(options: FinetuneSegmenterOptions): Promise<FinetuneSegmenterResult> {
  check(options != null && options.segmenter instanceof EcgSegmenter, FN, 'options.segmenter', 'an EcgSegmenter', options?.segmenter);
  const seg = options.segmenter;
  const leads = seg.encoder.config.leads;
  const checkSet = (set: SegmentationExample[], name: string) => {
    check(Array.isArray(set) && set.length > 0, FN, name, 'a non-empty array of { signals, labels }', set);
    set.forEach((e, i) => {
      check(e?.signals instanceof Float32Array && e.signals.length % leads === 0 && e.signals.length > 0, FN, `${name}[${i}].signals`, `a Float32Array [T × ${leads}]`, e?.signals);
      check(e.labels instanceof Uint8Array && e.labels.length === e.signals.length / leads, FN, `${name}[${i}].labels`, `a Uint8Array of ${e.signals.length / leads} class indices`, e.labels);
    });
  };
  checkSet(options.train, 'options.train');
  if (options.val) checkSet(options.val, 'options.val');
  const epochs = checkInt(options.epochs, FN, 'options.epochs', 1);
  const seed = options.seed;
  check(Number.isFinite(seed), FN, 'options.seed', 'a finite number', seed);
  const rng = createRng(seed);
  const train = fractionIndices(options.train.length, checkRange(options.labelFraction ?? 1, FN, 'options.labelFraction', 1e-6, 1), rng).map((i) => options.train[i]);
  const batchSize = Math.min(checkInt(options.batchSize ?? 16, FN, 'options.batchSize', 1), train.length);
  const minLen = Math.min(...train.map((e) => e.labels.length));
  const L = checkInt(options.windowSamples ?? minLen, FN, 'options.windowSamples', 1, minLen);
  const diceWeight = options.diceWeight ?? 1;
  const adam = makeAdam.resolve(options.optimizer, FN);
  const aug = options.augment ?? {};
  const [scaleLo, scaleHi] = aug.scale ?? [1, 1];
  check(Number.isFinite(scaleLo) && Number.isFinite(scaleHi) && scaleLo > 0 && scaleLo <= scaleHi, FN, 'options.augment.scale', 'a range [lo, hi] with 0 < lo ≤ hi', aug.scale);
  const noiseSd = checkRange(aug.noiseSd ?? 0, FN, 'options.augment.noiseSd', 0, 1e3);
  const optimizer = makeGroupedAdam(adam, seg.trainableVariables, seg.encoder.model, options.encoderLearningRateScale, FN);
  const stepsPerEpoch = Math.ceil(train.length / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  const variables = optimizer.variables;
  await ensureGradients();
  const history: SegmenterEpochInfo[] = [];
  const keeper = new BestEpochKeeper(seg, Boolean(options.val), options.checkpoint?.dir, FN);
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
        if (scaleLo !== 1 || scaleHi !== 1 || noiseSd > 0) {
          for (let b = 0; b < idx.length; b++) {
            const k = scaleLo === scaleHi ? scaleLo : rng.uniform(scaleLo, scaleHi);
            for (let i = b * L * leads; i < (b + 1) * L * leads; i++) x[i] = x[i] * k + (noiseSd > 0 ? noiseSd * rng.normal() : 0);
          }
        }
        const y = new Int32Array(idx.length * L);
        const w = new Float32Array(idx.length * L);
        idx.forEach((r, b) => {
          const e = train[r];
          const [first, last] = e.span ?? [0, e.labels.length - 1];
          for (let t = 0; t < L; t++) {
            const src = offsets[b] + t;
            y[b * L + t] = e.labels[src];
            w[b * L + t] = src >= first && src <= last ? 1 : 0;
          }
        });
        lr = learningRateAt(adam.learningRate, step, totalSteps, options.lrSchedule);
        optimizer.setLearningRate(lr);
        const xt = tf.tensor3d(x, [idx.length, L, leads]);
        const yt = tf.tensor2d(y, [idx.length, L], 'int32');
        const wt = tf.tensor2d(w, [idx.length, L]);
        const { value, grads } = tf.variableGrads(() => segmentationLoss(seg.logits(xt, { training: true }), yt, wt, diceWeight), variables);
        optimizer.applyGradients(grads);
        lossSum += value.dataSync()[0] * idx.length;
        tf.dispose([xt, yt, wt, value, ...Object.values(grads)]);
        step++;
      }
      const loss = lossSum / train.length;
      if (!Number.isFinite(loss)) fail(FN, 'training loss', 'finite (lower the learning rate)', loss);
      const dice = options.val ? evaluateSegmenter(seg, options.val) : { perClass: [NaN, NaN, NaN, NaN], meanWaves: NaN };
      const info: SegmenterEpochInfo = {
        epoch: epoch + 1,
        loss,
        valDice: dice.perClass,
        valMeanDice: dice.meanWaves,
        lr,
        numTensors: tf.memory().numTensors,
        recordsPerSec: train.length / Math.max(1e-3, (Date.now() - t0) / 1000),
      };
      history.push(info);
      const score = options.val ? (Number.isNaN(dice.meanWaves) ? -loss : dice.meanWaves) : epoch;
      await keeper.offer(score, epoch + 1);
      if (options.onEpoch && (await options.onEpoch(info)) === false) break;
    }
    await keeper.finish(options.restoreBest ?? true, history);
    const bestEpoch = keeper.epoch;
    return { history, bestEpoch, bestValMeanDice: history[bestEpoch - 1]?.valMeanDice ?? NaN };
  } finally {
    keeper.dispose();
    optimizer.dispose();
  }
}

/**
 * Per-class Dice of a segmenter over examples (pooled over samples inside each example's span).
 * @param seg segmenter
 * @param examples labelled examples
 * @returns `{ perClass: [none, P, QRS, T], meanWaves }`
 * @example
 * evaluateSegmenter(seg, val).meanWaves; // e.g. 0.85
 */
export function evaluateSegmenter(seg: EcgSegmenter, examples: SegmentationExample[]): { perClass: number[]; meanWaves: number } {
  const acc = createDiceAccumulator(seg.config.numClasses);
  for (const e of examples) acc.add(seg.segmentSignals(e.signals), e.labels, e.span);
  const r = acc.result();
  return { perClass: r.perClass, meanWaves: r.meanWaves };
}
