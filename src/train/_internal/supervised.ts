/**
 * Shared helpers of the fine-tuning loops: batch assembly with crops, weight snapshots.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../core/rng';
import { writeFileAtomic } from '../../core/atomicWrite';
import { nodeFs, nodePath } from '../../core/_internal/node';

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

/** A fine-tuned head: its layers model and how to save it. */
interface SavableHead {
  readonly model: tfl.LayersModel;
  save(dir: string): Promise<void>;
}

/**
 * Best-epoch bookkeeping of the fine-tuning loops: keeps a weight snapshot of the best-scoring epoch
 * (only when `keepSnapshot`: without validation the latest epoch is the best, nothing to restore),
 * saves it to `<checkpointDir>/best`, restores it and writes `<checkpointDir>/history.json` at the end.
 * Call {@link BestEpochKeeper.dispose} in a `finally`.
 */
export class BestEpochKeeper {
  /** 1-based best epoch (0 before any). */
  epoch = 0;
  private best = -Infinity;
  private snapshot: tf.Tensor[] | null = null;

  constructor(
    private readonly head: SavableHead,
    private readonly keepSnapshot: boolean,
    private readonly checkpointDir: string | undefined,
    private readonly fn: string,
  ) {}

  /** Records epoch `epoch` (1-based) with `score` (higher is better). */
  async offer(score: number, epoch: number): Promise<void> {
    if (!(score > this.best)) return;
    this.best = score;
    this.epoch = epoch;
    if (this.snapshot) tf.dispose(this.snapshot);
    this.snapshot = this.keepSnapshot ? snapshotWeights(this.head.model) : null;
    if (this.checkpointDir) {
      const fs = await nodeFs(this.fn);
      const { join } = await nodePath(this.fn);
      await fs.mkdir(this.checkpointDir, { recursive: true });
      await this.head.save(join(this.checkpointDir, 'best'));
    }
  }

  /** Restores the best weights (when `restore`) and writes `history.json` next to the checkpoint. */
  async finish(restore: boolean, history: readonly unknown[]): Promise<void> {
    if (this.snapshot && restore) {
      restoreWeights(this.head.model, this.snapshot);
      this.snapshot = null;
    }
    if (this.checkpointDir) {
      const { join } = await nodePath(this.fn);
      await writeFileAtomic(join(this.checkpointDir, 'history.json'), JSON.stringify({ bestEpoch: this.epoch, history }, null, 2), { fn: this.fn });
    }
  }

  dispose(): void {
    if (this.snapshot) tf.dispose(this.snapshot);
    this.snapshot = null;
  }
}
