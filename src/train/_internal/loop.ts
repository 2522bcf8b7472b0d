/**
 * Shared pieces of the training loops: Adam construction, learning-rate setting, epoch order.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkPositive } from '../../core/errors';
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
