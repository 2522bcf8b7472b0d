/**
 * The augmentation function type and `compose`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, fail } from '../core/errors';
import type { Rng } from '../core/rng';

/**
 * A batch augmentation: takes `[batch, time, leads]` and a random stream, returns a **new**
 * tensor (never its input; the input is not disposed). All randomness is drawn from `rng`; the
 * built-in augmentations throw a `BeatSslError` naming `rng` when it is missing.
 */
export type Augmentation = (x: tf.Tensor3D, rng: Rng) => tf.Tensor3D;

/**
 * Chains augmentations left to right with one random stream; intermediate tensors are disposed.
 * @param augmentations the steps, applied in order.
 * @returns an {@link Augmentation}.
 * @throws {BeatSslError} when `augmentations` is not an array of functions; at call time, when a step returns no tensor (intermediates are freed).
 * @example
 * const x = tf.ones([8, 1000, 12]) as tf.Tensor3D;
 * const aug = compose([
 *   baselineWander({ fs: 500 }),
 *   powerlineNoise({ fs: 500, freqHz: 50, prob: 0.5 }),
 *   gaussianNoise({ stdMv: 0.02 }),
 * ]);
 * const y = aug(x, createRng(1)); // same shape as x
 */
export function compose(augmentations: readonly Augmentation[]): Augmentation {
  check(
    Array.isArray(augmentations) && augmentations.every((a) => typeof a === 'function'),
    'compose',
    'augmentations',
    'an array of augmentation functions',
    augmentations,
  );
  const steps = [...augmentations];
  return (x, rng) => {
    let y: tf.Tensor3D = x;
    for (const [i, step] of steps.entries()) {
      const next = step(y, rng);
      if (!(next instanceof tf.Tensor)) {
        if (y !== x) y.dispose();
        fail('compose', `augmentations[${i}]`, 'a function returning a tensor', next);
      }
      if (y !== x && next !== y) y.dispose();
      y = next;
    }
    return y === x ? (x.clone() as tf.Tensor3D) : y;
  };
}
