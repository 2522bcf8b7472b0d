/**
 * Shared pieces of the training loops: Adam construction, learning-rate setting, epoch order.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkPositive, checkRange } from '../../core/errors';
import { createRng } from '../../core/rng';
import type { AdamOptions } from '../schedule';

export type { AdamOptions };


function resolveAdam(o: AdamOptions | undefined, fn: string): Required<AdamOptions> {
  const r = { learningRate: o?.learningRate ?? 1e-3, beta1: o?.beta1 ?? 0.9, beta2: o?.beta2 ?? 0.999, epsilon: o?.epsilon ?? 1e-7 };
  checkPositive(r.learningRate, fn, 'options.optimizer.learningRate');
  check(r.beta1 >= 0 && r.beta1 < 1, fn, 'options.optimizer.beta1', 'a number in [0, 1)', r.beta1);
  check(r.beta2 >= 0 && r.beta2 < 1, fn, 'options.optimizer.beta2', 'a number in [0, 1)', r.beta2);
  checkPositive(r.epsilon, fn, 'options.optimizer.epsilon');
  return r;
}

/** Creates an Adam optimizer from resolved options. */
export const makeAdam = Object.assign((o: Required<AdamOptions>): tf.Optimizer => tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon), { resolve: resolveAdam });

/** Sets the learning rate used by the next `applyGradients` (tfjs optimizers read the field each step). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** The record order of an epoch: a permutation that depends only on (seed, epoch). */
export function epochPermutation(seed: number, epoch: number, n: number): Int32Array {
  return createRng((Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0).permutation(n);
}

/**
 * Adam over two parameter groups: encoder variables at `scale ×` the learning rate, the rest at the
 * learning rate (discriminative fine-tuning). With `scale = 1` it is one plain Adam; with `scale = 0`
 * the encoder variables are not updated (and not differentiated).
 */
export interface GroupedAdam {
  /** Variables to differentiate (encoder variables dropped when the scale is 0). */
  readonly variables: tf.Variable[];
  setLearningRate(lr: number): void;
  /** Applies the gradients (keyed by variable name) of {@link GroupedAdam.variables}. */
  applyGradients(grads: tf.NamedTensorMap): void;
  dispose(): void;
}

/**
 * Creates a {@link GroupedAdam} over `variables`, the encoder group being `encoder`'s trainable
 * weights; `scale` is the caller's `options.encoderLearningRateScale` (checked here, default 1).
 */
export function makeGroupedAdam(adam: Required<AdamOptions>, variables: tf.Variable[], encoder: { trainableWeights: { read(): tf.Tensor }[] }, scaleOption: number | undefined, fn: string): GroupedAdam {
  const scale = checkRange(scaleOption ?? 1, fn, 'options.encoderLearningRateScale', 0, 1e3);
  const encoderIds = new Set(encoder.trainableWeights.map((w) => w.read().id));
  const main = makeAdam(adam);
  const enc = scale !== 1 && scale > 0 ? makeAdam({ ...adam, learningRate: adam.learningRate * scale }) : null;
  const vars = scale === 0 ? variables.filter((v) => !encoderIds.has(v.id)) : variables;
  return {
    variables: vars,
    setLearningRate(lr) {
      setLearningRate(main, lr);
      if (enc) setLearningRate(enc, lr * scale);
    },
    applyGradients(grads) {
      const pick = (isEnc: boolean) => vars.filter((v) => (enc ? encoderIds.has(v.id) === isEnc : !isEnc)).map((v) => ({ name: v.name, tensor: grads[v.name] }));
      main.applyGradients(pick(false));
      if (enc) enc.applyGradients(pick(true));
    },
    dispose() {
      main.dispose();
      enc?.dispose();
    },
  };
}
