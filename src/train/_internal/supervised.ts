/**
 * Shared helpers of the fine-tuning loops: batch assembly with crops, weight snapshots.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../core/rng';

/** Copies every weight of a model (trainable and statistics) so it survives further training. */
export function snapshotWeights(model: tfl.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => tf.clone(w));
}

/** Restores a snapshot taken with {@link snapshotWeights} (and disposes it when `dispose`). */
export function restoreWeights(model: tfl.LayersModel, snapshot: tf.Tensor[], dispose = true): void {
  model.setWeights(snapshot);
  if (dispose) tf.dispose(snapshot);
}

/** Copies `L` samples of each chosen example into one `[B × L × leads]` buffer; random offsets when `rng`, else from 0. */
export function cropBatch(signals: readonly Float32Array[], idx: readonly number[], L: number, leads: number, rng: Rng | null): { x: Float32Array; offsets: number[] } {
  const x = new Float32Array(idx.length * L * leads);
  const offsets: number[] = [];
  idx.forEach((r, b) => {
    const s = signals[r];
    const T = s.length / leads;
    const off = rng && T > L ? rng.int(T - L + 1) : 0;
    offsets.push(off);
    x.set(s.subarray(off * leads, (off + L) * leads), b * L * leads);
  });
  return { x, offsets };
}

/** `ceil(fraction · n)` indices (at least 1) chosen with the generator, in ascending order. */
export function fractionIndices(n: number, fraction: number, rng: Rng): number[] {
  const k = Math.max(1, Math.ceil(fraction * n));
  return Array.from(rng.permutation(n).subarray(0, k)).sort((a, b) => a - b);
}
