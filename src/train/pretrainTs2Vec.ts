/**
 * The TS2Vec pretraining loop (Yue et al., AAAI 2022), as a baseline beside Beat-SSL: random
 * overlapping crops, timestamp masking, and the hierarchical contrastive loss on the overlap.
 * Works with TS2Vec's own dilated encoder or with beat-ssl's multi-scale encoder (any stage).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkPositive } from '../core/errors';
import { createRng, type Rng } from '../core/rng';
import { cropTs2VecViews, sampleTs2VecCrops } from '../augment/ts2vecCrop';
import { hierarchicalContrastiveLoss } from '../losses/hierarchicalContrastive';
import { Ts2VecEncoder } from '../models/ts2vecEncoder';
import type { Encoder } from '../models/encoder';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** What the TS2Vec loop trains: a per-timestamp encoder and its variables. */
export interface Ts2VecTrainable {
  /** Maps `[batch, time, leads]` to per-timestamp representations `[batch, time / stride, channels]`. */
  encode(x: tf.Tensor3D, training: boolean, rng: Rng): tf.Tensor3D;
  /** Variables to train. */
  variables: tf.Variable[];
  /** Samples of input per output timestamp. */
  stride: number;
}

/** Adapts a {@link Ts2VecEncoder} (stride 1). */
export function ts2vecTrainable(encoder: Ts2VecEncoder): Ts2VecTrainable {
  check(encoder instanceof Ts2VecEncoder, 'ts2vecTrainable', 'encoder', 'a Ts2VecEncoder (createTs2VecEncoder)', encoder);
  return { encode: (x, training, rng) => encoder.apply(x, { training, rng }), variables: encoder.variables, stride: 1 };
}

/**
 * Adapts a beat-ssl {@link Encoder}: the representation is the feature map of stage `stage`
 * (default the last). TS2Vec's latent timestamp masking has no place inside a Keras model, so it
 * is applied to the input instead, with keep probability `inputMaskKeepProb` (default 1: off).
 */
export function encoderTs2VecTrainable(encoder: Encoder, opts: { stage?: number; inputMaskKeepProb?: number } = {}): Ts2VecTrainable {
  const fn = 'encoderTs2VecTrainable';
  check(encoder !== null && typeof encoder === 'object' && Array.isArray(encoder.stageStrides) && typeof encoder.apply === 'function', fn, 'encoder', 'an Encoder (createEncoder or BeatSslModel.encoder)', encoder);
  opts = checkOptions(opts, ['stage', 'inputMaskKeepProb'], fn);
  const stage = opts.stage ?? encoder.stageStrides.length - 1;
  checkInt(stage, fn, 'opts.stage', 0, encoder.stageStrides.length - 1);
  const keep = opts.inputMaskKeepProb ?? 1;
  check(typeof keep === 'number' && keep > 0 && keep <= 1, fn, 'opts.inputMaskKeepProb', 'a probability in (0, 1]', keep);
  return {
    encode: (x, training, rng) =>
      tf.tidy(() => {
        let input = x;
        if (training && keep < 1) {
          const mask = tf.cast(tf.less(tf.randomUniform([x.shape[0], x.shape[1], 1], 0, 1, 'float32', rng.seed()), keep), 'float32');
          input = tf.mul(x, mask) as tf.Tensor3D;
        }
        const out = encoder.apply(input, { training });
        return out.stages[stage];
      }),
    variables: encoder.model.trainableWeights.map((w) => w.read() as tf.Variable),
    stride: encoder.stageStrides[stage],
  };
}

/** Per-step report of {@link pretrainTs2Vec}. */
export interface Ts2VecStep {
  step: number;
  loss: number;
  numTensors: number;
}

/** Options of {@link pretrainTs2Vec}. */
export interface PretrainTs2VecOptions {
  /** What to train (see {@link ts2vecTrainable}, {@link encoderTs2VecTrainable}). */
  model: Ts2VecTrainable;
  /** Training records `[records, time, leads]` (already preprocessed). */
  data: tf.Tensor3D;
  /** Optimisation steps. */
  steps: number;
  /** Records per step. Default 8. */
  batchSize?: number;
  /** Adam learning rate. Default 0.001 (TS2Vec). */
  learningRate?: number;
  /** Weight of the instance-wise term. Default 0.5. */
  alpha?: number;
  /** First pooling level of the temporal term. Default 0. */
  temporalUnit?: number;
  /** Seed of batching, crops, masks and dropout. */
  seed: number;
  /** Called after each step. */
  onStep?: (s: Ts2VecStep) => void;
}

/**
 * Pretrains with TS2Vec: per step, a seeded batch, two overlapping crops, the encoder on both
 * (training mode), and the hierarchical contrastive loss on the overlapping timestamps. Adam.
 * @param opts see {@link PretrainTs2VecOptions}.
 * @returns the loss of every step.
 * @throws {BeatSslError} on bad options or data shorter than two encoder strides.
 * @example
 * const enc = createTs2VecEncoder({ inputChannels: 12, seed: 1 });
 * const { losses } = await pretrainTs2Vec({ model: ts2vecTrainable(enc), data, steps: 100, seed: 1 });
 */
export async function pretrainTs2Vec(opts: PretrainTs2VecOptions): Promise<{ losses: number[] }> {
  const fn = 'pretrainTs2Vec';
  check(opts !== null && typeof opts === 'object', fn, 'opts', 'an options object { model, data, steps, seed, ... }', opts);
  checkOptions(opts, optionKeys<PretrainTs2VecOptions>()('model', 'data', 'steps', 'batchSize', 'learningRate', 'alpha', 'temporalUnit', 'seed', 'onStep'), fn);
  const { model, data } = opts;
  check(data instanceof tf.Tensor && data.rank === 3, fn, 'opts.data', 'a tensor [records, time, leads]', data);
  const steps = checkInt(opts.steps, fn, 'opts.steps', 1);
  const batchSize = Math.min(checkInt(opts.batchSize ?? 8, fn, 'opts.batchSize', 1), data.shape[0]);
  const lr = checkPositive(opts.learningRate ?? 1e-3, fn, 'opts.learningRate');
  const temporalUnit = checkInt(opts.temporalUnit ?? 0, fn, 'opts.temporalUnit', 0);
  const rng = createRng(opts.seed);
  const optimizer = tf.train.adam(lr);
  const n = data.shape[0];
  let order = rng.permutation(n);
  let cursor = 0;
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      if (cursor + batchSize > n) {
        order = rng.permutation(n);
        cursor = 0;
      }
      const idx = order.slice(cursor, cursor + batchSize);
      cursor += batchSize;
      const crops = sampleTs2VecCrops(data.shape[1], batchSize, { rng, stride: model.stride, minOverlap: 2 ** (temporalUnit + 1) });
      const lossT = tf.tidy(() => {
        const x = tf.gather(data, tf.tensor1d(idx, 'int32')) as tf.Tensor3D;
        const { view1, view2, overlap } = cropTs2VecViews(x, crops);
        return optimizer.minimize(() => {
          const r1 = model.encode(view1, true, rng);
          const r2 = model.encode(view2, true, rng);
          const [b, t1, c] = r1.shape;
          const z1 = tf.slice(r1, [0, t1 - overlap, 0], [b, overlap, c]);
          const z2 = tf.slice(r2, [0, 0, 0], [b, overlap, c]);
          return hierarchicalContrastiveLoss(z1, z2, { alpha: opts.alpha ?? 0.5, temporalUnit });
        }, true, model.variables) as tf.Scalar;
      });
      const loss = (await lossT.data())[0];
      lossT.dispose();
      losses.push(loss);
      opts.onStep?.({ step: step + 1, loss, numTensors: tf.memory().numTensors });
    }
  } finally {
    optimizer.dispose();
  }
  return { losses };
}
