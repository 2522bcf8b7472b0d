import * as tf from '@tensorflow/tfjs-core';

/** How {@link ensureGradients} made gradients available. */
export type GradientSource = 'already-registered' | 'tfjs-core' | 'tfjs-layers' | 'none';

// Module specifiers kept in variables: optional at runtime and never resolved by bundlers.
const CORE_GRADIENTS = '@tensorflow/tfjs-core/dist/register_all_gradients';
const LAYERS = '@tensorflow/tfjs-layers';

const probe = () => tf.getGradient('Conv2D') !== undefined && tf.getGradient('FusedBatchNorm') !== undefined;

/**
 * Makes sure the gradient functions of tfjs-core ops are registered, so that `tf.grads`,
 * `optimizer.minimize` and `model.fit` work whichever way tfjs was imported.
 *
 * Importing only `@tensorflow/tfjs-core` registers no gradients. In bundlers and ESM builds
 * `@tensorflow/tfjs-core/dist/register_all_gradients` does it; in plain Node (where that file is
 * not loadable) `@tensorflow/tfjs-layers` registers the same gradients when imported. Idempotent.
 *
 * @returns where the gradients came from (`'none'` if neither package could be loaded).
 * @example
 * ```ts
 * import { ensureGradients } from 'beat-ssl/backend';
 * await ensureGradients(); // 'tfjs-layers' in Node, 'tfjs-core' in a bundler
 * ```
 */
export async function ensureGradients(): Promise<GradientSource> {
  if (probe()) return 'already-registered';
  try {
    await import(/* @vite-ignore */ CORE_GRADIENTS);
    if (probe()) return 'tfjs-core';
  } catch {
    // Not loadable in plain Node (ESM files inside a CommonJS package): try tfjs-layers.
  }
  try {
    await import(/* @vite-ignore */ LAYERS);
    if (probe()) return 'tfjs-layers';
  } catch {
    // tfjs-layers not installed.
  }
  return 'none';
}
