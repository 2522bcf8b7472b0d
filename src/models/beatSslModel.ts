/**
 * The Beat-SSL model: encoder f, rhythm projector g_r and beat projector g_b, with save/load.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, fail, BeatSslError } from '../core/errors';
import { createEncoder, resolveEncoderConfig, wrapEncoder, type Encoder, type EncoderConfig, type EncoderPreset, type ResolvedEncoderConfig, type StageGeometry } from './encoder';
import { pooledBeatPairs, type BeatPairPlan } from './beatRoiPool';
import { createProjector, wrapProjector, type Projector } from './projector';
import { readModelDir, writeModelDir } from './persist';
import { committedDir, writeDirAtomic, writeFileAtomic } from '../core/atomicWrite';
import { nodeFs, nodePath } from '../core/_internal/node';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Configuration of a {@link BeatSslModel}. */
export interface BeatSslModelConfig {
  /** Encoder architecture or preset name. Default `'small'`. */
  encoder?: EncoderConfig | EncoderPreset;
  /** Projection size of g_r and g_b. Default 64. */
  projectionDim?: number;
  /**
   * Index into `encoder.stages` (0 = stem, stage i has stride 2^i) whose frames the beat RoI pooling
   * averages. Default: the deepest stage with stride ≤ 4 (index 2), whose receptive field is well under
   * one beat at 100 Hz (0.55 s for `small`), so beat embeddings are local and the early stages a U-Net
   * decoder reuses get beat-level signal.
   */
  beatStage?: number;
  /** Seed of all initialisers (overrides `encoder.seed`). Default 0. */
  seed?: number;
}

/** {@link BeatSslModelConfig} with every field resolved. */
export interface ResolvedBeatSslModelConfig {
  encoder: ResolvedEncoderConfig;
  projectionDim: number;
  beatStage: number;
  seed: number;
}

/** File format tag written to `beat-ssl.json`. */
export const BEAT_SSL_MODEL_FORMAT = 'beat-ssl-model@1';

/**
 * Resolves and validates a {@link BeatSslModelConfig}.
 * @param config the config (`{}` or omitted: every default)
 * @param fn public function named in errors (default `'resolveBeatSslModelConfig'`; `BeatSslModel.create` passes its own)
 * @returns the config with every field set
 * @throws {BeatSslError} naming the bad field or an unknown key
 * @example
 * resolveBeatSslModelConfig({ encoder: 'tiny' }).projectionDim; // 64
 */
export function resolveBeatSslModelConfig(config: BeatSslModelConfig = {}, fn = 'resolveBeatSslModelConfig'): ResolvedBeatSslModelConfig {
  const FN = fn;
  config = checkOptions(config, optionKeys<BeatSslModelConfig>()('encoder', 'projectionDim', 'beatStage', 'seed'), FN, 'config');
  const seed = config.seed ?? 0;
  check(Number.isFinite(seed), FN, 'config.seed', 'a finite number', seed);
  const encIn = config.encoder ?? 'small';
  const enc = resolveEncoderConfig(encIn, FN, 'config.encoder');
  const encoder = { ...enc, seed: config.seed ?? (typeof encIn === 'object' && encIn.seed !== undefined ? encIn.seed : seed) };
  const beatStage = checkInt(config.beatStage ?? Math.min(2, encoder.widths.length), FN, 'config.beatStage', 0, encoder.widths.length);
  return { encoder, projectionDim: checkInt(config.projectionDim ?? 64, FN, 'config.projectionDim', 1), beatStage, seed };
}

/** Typed output of {@link BeatSslModel.embed}. */
export interface BeatSslEmbeddings extends BeatSslOutput {
  /** z_b = g_b(pooled beats), L2-normalised `[2K, projectionDim]` (rows j and K + j: the same beat in both views); null without a plan. */
  beat: tf.Tensor2D | null;
}

/** Typed output of {@link BeatSslModel.apply}. */
export interface BeatSslOutput {
  /** Encoder stage maps (stem first) `[batch, frames_i, channels_i]`. */
  stages: tf.Tensor3D[];
  /** Pooled embedding e `[batch, channels]`. */
  embedding: tf.Tensor2D;
  /** z_r = g_r(e), L2-normalised `[batch, projectionDim]`. */
  rhythm: tf.Tensor2D;
}

/**
 * Encoder + rhythm projector g_r + beat projector g_b. Owns its weights (`dispose()`); `save(dir)`
 * and `BeatSslModel.load(dir)` (Node) write/read `encoder/`, `projectorRhythm/`, `projectorBeat/`
 * (each a TF.js layers model: model.json + weights.bin) and `beat-ssl.json` (config).
 * @example
 * const model = BeatSslModel.create({ encoder: 'small', seed: 1 });
 * const { embedding, rhythm } = model.apply(tf.zeros([2, 1000, 12]));
 * await model.save('runs/model'); const same = await BeatSslModel.load('runs/model');
 */
export class BeatSslModel {
  /** The encoder f. */
  readonly encoder: Encoder;
  /** Rhythm projector g_r (input: embedding). */
  readonly projectorRhythm: Projector;
  /** Beat projector g_b (input: channels of `stages[beatStage]`). */
  readonly projectorBeat: Projector;
  /** Resolved configuration. */
  readonly config: ResolvedBeatSslModelConfig;
  private disposed = false;

  private constructor(config: ResolvedBeatSslModelConfig, encoder: Encoder, gr: Projector, gb: Projector) {
    this.config = config;
    this.encoder = encoder;
    this.projectorRhythm = gr;
    this.projectorBeat = gb;
  }

  /**
   * Creates a freshly initialised model.
   * @param config {@link BeatSslModelConfig}
   * @throws on invalid configuration
   */
  static create(config: BeatSslModelConfig = {}): BeatSslModel {
    const c = resolveBeatSslModelConfig(config, 'BeatSslModel.create');
    const encoder = createEncoder(c.encoder);
    const gr = createProjector({ inputDim: encoder.embeddingDim, outputDim: c.projectionDim, seed: c.seed + 101, name: `${c.encoder.name}_gr` });
    const gb = createProjector({ inputDim: encoder.stageChannels[c.beatStage], outputDim: c.projectionDim, seed: c.seed + 202, name: `${c.encoder.name}_gb` });
    return new BeatSslModel(c, encoder, gr, gb);
  }

  /** Stride (input samples) of the stage used for beat pooling. */
  get beatStride(): number {
    return this.encoder.stageStrides[this.config.beatStage];
  }

  /** Every trainable variable (encoder, g_r, g_b) in a fixed order. */
  get trainableVariables(): tf.Variable[] {
    return [this.encoder.model, this.projectorRhythm.model, this.projectorBeat.model].flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
  }

  /** Total parameter count (encoder + projectors). */
  countParams(): number {
    return this.encoder.countParams() + this.projectorRhythm.model.countParams() + this.projectorBeat.model.countParams();
  }

  /**
   * Encodes a batch and projects the embedding.
   * @param x `[batch, time, leads]` (standardised signals)
   * @param opts `training` selects batch statistics in normalisation layers
   */
  apply(x: tf.Tensor3D, opts: { training?: boolean } = {}): BeatSslOutput {
    if (this.disposed) fail('BeatSslModel.apply', 'model', 'not disposed', 'a disposed model');
    const { stages, embedding } = this.encoder.apply(x, opts);
    const rhythm = this.projectorRhythm.apply(embedding);
    return { stages, embedding, rhythm };
  }

  /**
   * Geometry of the beat stage for inputs of `timeSamples` samples (pass it to `beatPairPlan`).
   * @param timeSamples view length in samples
   */
  beatGeometry(timeSamples: number): StageGeometry {
    return this.encoder.geometry(timeSamples)[this.config.beatStage];
  }

  /**
   * The one forward pass of Beat-SSL pretraining: encodes both views, projects the embedding (z_r)
   * and the beats of `plan` pooled from the beat stage (z_b). Call it inside a gradient scope.
   * @param views `[2B, time, leads]`: view 1 of each record, then view 2 (standardised)
   * @param plan beats matched across the two views (from `beatPairPlan` with {@link beatGeometry}), or null for no beats
   * @param opts `training` selects batch statistics in normalisation layers
   * @returns `{ stages, embedding, rhythm [2B, d], beat [2K, d] | null }`
   * @throws if the model is disposed or the plan does not match the views
   * @example
   * const plan = beatPairPlan(peaks1, peaks2, frames, { geometry: model.beatGeometry(800), fs: 100, inputLength: 800, seed: 1 });
   * const { rhythm, beat } = model.embed(views, plan, { training: true });
   */
  embed(views: tf.Tensor3D, plan: BeatPairPlan | null, opts: { training?: boolean } = {}): BeatSslEmbeddings {
    if (this.disposed) fail('BeatSslModel.embed', 'model', 'not disposed', 'a disposed model');
    const { stages, embedding } = this.encoder.apply(views, opts);
    const rhythm = this.projectorRhythm.apply(embedding);
    const beat = plan && plan.slots.length > 0 ? this.projectorBeat.apply(pooledBeatPairs(stages[this.config.beatStage], plan)) : null;
    return { stages, embedding, rhythm, beat };
  }

  /** Frees all weights. */
  dispose(): void {
    if (this.disposed) return;
    this.encoder.dispose();
    this.projectorRhythm.dispose();
    this.projectorBeat.dispose();
    this.disposed = true;
  }

  /**
   * Hands the encoder over (e.g. to `createClassifier` / `createSegmenter`): disposes the
   * projectors and marks this model disposed, so the encoder now belongs to the caller.
   * @example
   * const clf = createClassifier((await BeatSslModel.load('runs/pretrain/model')).takeEncoder(), { numClasses: 5 });
   */
  takeEncoder(): Encoder {
    if (this.disposed) fail('BeatSslModel.takeEncoder', 'model', 'not disposed', 'a disposed model');
    this.projectorRhythm.dispose();
    this.projectorBeat.dispose();
    this.disposed = true;
    return this.encoder;
  }

  /** Whether {@link BeatSslModel.dispose} was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Saves to a directory (Node), durably and atomically with `writeDirAtomic` of `beat-ssl/core`:
   * the files are written and flushed under a temporary name and swapped in, and a previous model
   * at `dir` is only removed once the new one is in place — a crash never loses both.
   * @param dir target directory (replaced if it exists)
   * @throws BeatSslError naming `dir` when it cannot be written
   * @example
   * ```ts
   * await model.save('runs/pretrain/model');
   * ```
   */
  async save(dir: string): Promise<void> {
    await writeDirAtomic(dir, (tmp) => this.saveInto(tmp), { fn: 'BeatSslModel.save' });
  }

  /**
   * Writes the model files into an existing folder that is being built (inside `writeDirAtomic`,
   * e.g. a checkpoint's `model/`); prefer {@link BeatSslModel.save}.
   * @param dir folder to write into
   * @example
   * ```ts
   * await writeDirAtomic('runs/m', (tmp) => model.saveInto(tmp));
   * ```
   */
  async saveInto(dir: string): Promise<void> {
    const fn = 'BeatSslModel.save';
    const { join } = await nodePath(fn);
    await writeModelDir(join(dir, 'encoder'), this.encoder.model, { fn });
    await writeModelDir(join(dir, 'projectorRhythm'), this.projectorRhythm.model, { fn });
    await writeModelDir(join(dir, 'projectorBeat'), this.projectorBeat.model, { fn });
    await writeFileAtomic(join(dir, 'beat-ssl.json'), JSON.stringify({ format: BEAT_SSL_MODEL_FORMAT, config: this.config }, null, 2), { fn });
  }

  /**
   * Loads a model saved by {@link BeatSslModel.save} (Node).
   * @param dir directory
   * @throws if the directory is not a saved beat-ssl model
   */
  static async load(dir: string): Promise<BeatSslModel> {
    const FN = 'BeatSslModel.load';
    const fs = await nodeFs(FN);
    const { join } = await nodePath(FN);
    dir = await committedDir(dir, { fn: FN });
    let meta: { format?: string; config?: ResolvedBeatSslModelConfig };
    try {
      meta = JSON.parse(await fs.readFile(join(dir, 'beat-ssl.json'), 'utf8'));
    } catch {
      throw new BeatSslError(FN, `dir must be a directory written by BeatSslModel.save (with beat-ssl.json), but got ${JSON.stringify(dir)}.`, 'dir');
    }
    if (meta.format !== BEAT_SSL_MODEL_FORMAT || !meta.config) fail(FN, 'beat-ssl.json format', `'${BEAT_SSL_MODEL_FORMAT}'`, meta.format);
    const c = meta.config;
    const enc = wrapEncoder(await readModelDir(join(dir, 'encoder'), FN), c.encoder);
    const gr = wrapProjector(await readModelDir(join(dir, 'projectorRhythm'), FN), { inputDim: enc.embeddingDim, hiddenDim: enc.embeddingDim, outputDim: c.projectionDim, seed: c.seed + 101, name: `${c.encoder.name}_gr` });
    const bc = enc.stageChannels[c.beatStage];
    const gb = wrapProjector(await readModelDir(join(dir, 'projectorBeat'), FN), { inputDim: bc, hiddenDim: bc, outputDim: c.projectionDim, seed: c.seed + 202, name: `${c.encoder.name}_gb` });
    return new BeatSslModel(c, enc, gr, gb);
  }
}
