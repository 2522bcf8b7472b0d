/**
 * What every downstream head has: the encoder it owns, one Keras functional model (input
 * `[batch, time, leads]` → the head's output) sharing the encoder's layers, `dispose()`, and
 * saving as one model folder (`model.json` + `weights.bin` + the head's config file).
 * @module
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeDirAtomic } from '../core/atomicWrite';
import type { Encoder } from '../models/encoder';
import { writeCombinedInto } from './_internal/combined';

/**
 * Base of `EcgClassifier` and `EcgSegmenter`. Owns the encoder it was given: `dispose()` frees both.
 * @example
 * ```ts
 * const head: EcgHead = createSegmenter(createEncoder('tiny'));
 * await head.save('runs/seg');
 * head.dispose();
 * ```
 */
export abstract class EcgHead {
  /** The encoder (shared weights). */
  abstract readonly encoder: Encoder;
  /** One Keras model: `[batch, time, leads]` → the head's output. */
  abstract readonly model: tfl.LayersModel;
  /** Whether {@link EcgHead.dispose} was called. */
  protected disposed = false;
  /** The head's config file in its folder, e.g. `'segmenter.json'`. @internal */
  protected abstract readonly configFile: string;
  /** Public name used in errors, e.g. `'EcgSegmenter'`. @internal */
  protected abstract readonly kindName: string;
  /** The contents of {@link EcgHead.configFile}. @internal */
  protected abstract configJson(): unknown;

  /** Frees the head and the encoder. */
  dispose(): void {
    if (this.disposed) return;
    this.model.dispose();
    this.encoder.dispose();
    this.disposed = true;
  }

  /**
   * Saves `model.json` + `weights.bin` (one Keras model) and the head's config file as the folder
   * `dir`, durably and atomically (`writeDirAtomic` of `beat-ssl/core`; Node). To save the
   * preprocessing spec with it, use `saveModelFolder`.
   * @param dir target folder (replaced if it exists)
   * @throws BeatSslError naming `dir` when it cannot be written
   * @example
   * ```ts
   * await head.save('runs/head');
   * ```
   */
  async save(dir: string): Promise<void> {
    await writeDirAtomic(dir, (tmp) => this.saveInto(tmp), { fn: `${this.kindName}.save` });
  }

  /**
   * Writes the head's files into a folder being built (inside `writeDirAtomic`); prefer
   * {@link EcgHead.save} or `saveModelFolder`.
   * @param dir existing folder to write into
   * @example
   * ```ts
   * await writeDirAtomic('runs/head', (tmp) => head.saveInto(tmp));
   * ```
   */
  async saveInto(dir: string): Promise<void> {
    await writeCombinedInto(dir, this.model, this.configFile, this.configJson(), `${this.kindName}.save`);
  }
}
