/**
 * Two independent augmented views of a batch, the input of contrastive pretraining.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check } from '../core/errors';
import { toRng } from '../core/rng';
import type { Augmentation } from './compose';
import type { ThreeKGOptions } from './3kg';
import { threeKGAs } from './_internal/threeKGCore';
import { checkKnownKeys } from '../core/errors';
import { optionKeys } from '../core/_internal/options';

/** Options of {@link twoViews}: 3KG options, or a custom `augment`. */
export interface TwoViewsOptions extends ThreeKGOptions {
  /**
   * Augmentation applied to make each view (e.g. a {@link compose} chain). Default: {@link threeKG}
   * with the other options of this object.
   */
  augment?: Augmentation;
}

/**
 * Makes two independently augmented views of a batch from one random stream (view 1 is drawn
 * first, then view 2). Stack their embeddings as `[z1; z2]` for the contrastive losses: rows
 * `i` and `i + N` are the two views of record `i`.
 * @param x batch `[batch, time, 12]` (canonical lead order for 3KG).
 * @param opts see {@link TwoViewsOptions}; `seed` or `rng` is required.
 * @returns `{ view1, view2 }`, two new tensors shaped like the augmentation's output.
 * @throws {BeatSslError} as {@link threeKG}, or when `augment` is not a function or returns no tensor.
 * @example
 * const x = tf.ones([4, 1000, 12]) as tf.Tensor3D; // N = 4 records
 * const { view1, view2 } = twoViews(x, { seed: 42 }); // two [4, 1000, 12] views
 * // embed both and stack them as [z(view1); z(view2)], [2N, d], for the losses
 */
export function twoViews(x: tf.Tensor3D, opts: TwoViewsOptions): { view1: tf.Tensor3D; view2: tf.Tensor3D } {
  const fn = 'twoViews';
  check(x instanceof tf.Tensor && x.rank === 3 && x.size > 0, fn, 'x', 'a non-empty tensor [batch, time, leads]', x);
  check(opts !== null && typeof opts === 'object' && !Array.isArray(opts), fn, 'opts', 'an options object with a seed or rng', opts);
  checkKnownKeys(opts, optionKeys<TwoViewsOptions>()('transform', 'angleDeg', 'scale', 'maskRatio', 'standardize', 'seed', 'rng', 'augment'), fn, 'opts');
  const { augment, ...kg } = opts;
  check(augment === undefined || typeof augment === 'function', fn, 'opts.augment', 'an augmentation function', augment);
  const rng = toRng(opts.rng ?? opts.seed, fn, opts.rng === undefined ? 'opts.seed' : 'opts.rng');
  const make = (): tf.Tensor3D => {
    const v = augment ? augment(x, rng) : threeKGAs(fn, x, { ...kg, seed: undefined, rng });
    check(v instanceof tf.Tensor, fn, 'opts.augment', 'a function returning a tensor', v);
    return v;
  };
  const view1 = make();
  let view2: tf.Tensor3D;
  try {
    view2 = make();
  } catch (e) {
    view1.dispose();
    throw e;
  }
  return { view1, view2 };
}
