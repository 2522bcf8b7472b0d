/**
 * Multilabel classification head: encoder → global average pool → dense → sigmoid.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { check, checkInt, fail } from '../core/errors';
import { createRng } from '../core/rng';
import type { Encoder, ResolvedEncoderConfig } from '../models/encoder';
import { encoderFromCombined, encoderOutputLayerNames, loadCombined } from './_internal/combined';
import { EcgHead } from './head';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Options of {@link createClassifier}. */
export interface ClassifierConfig {
  /** Number of labels (sigmoid outputs), e.g. 5 for the PTB-XL superclasses. */
  numClasses: number;
  /** Linear probe: keep the encoder fixed (inference-mode normalisation, no gradient). Default false. */
  freezeEncoder?: boolean;
  /** Label names (optional, saved with the model). */
  labels?: string[];
  /** Initialiser seed. Default 0. */
  seed?: number;
}

/** Typed output of {@link EcgClassifier.predict}. */
export interface ClassifierOutput {
  /** `[batch, numClasses]` logits. */
  logits: tf.Tensor2D;
  /** `[batch, numClasses]` sigmoid probabilities. */
  probabilities: tf.Tensor2D;
}

const FORMAT = 'beat-ssl-classifier@1';

/**
 * A multilabel ECG classifier. `model` is one Keras functional model (input `[batch, time, leads]`
 * → sigmoid probabilities) sharing the encoder's layers, saved as a single TF.js layers model.
 * Owns the encoder it was given: `dispose()` frees both.
 */
export class EcgClassifier extends EcgHead {
  /** The encoder (shared weights). */
  readonly encoder: Encoder;
  /** The dense output layer (logits). */
  readonly dense: tfl.layers.Layer;
  /** Keras model: `[batch, time, leads]` → probabilities `[batch, numClasses]`. */
  readonly model: tfl.LayersModel;
  /** Resolved configuration. */
  readonly config: Required<ClassifierConfig>;

  /** @internal use {@link createClassifier} or {@link EcgClassifier.load} */
  constructor(encoder: Encoder, dense: tfl.layers.Layer, model: tfl.LayersModel, config: Required<ClassifierConfig>) {
    super();
    this.encoder = encoder;
    this.dense = dense;
    this.model = model;
    this.config = config;
  }

  /** Whether the encoder is frozen (linear probe). */
  get freezeEncoder(): boolean {
    return this.config.freezeEncoder;
  }

  /** Variables trained by fine-tuning: the head only when frozen, else encoder + head (fixed order). */
  get trainableVariables(): tf.Variable[] {
    const head = this.dense.trainableWeights.map((w) => w.read() as tf.Variable);
    if (this.config.freezeEncoder) return head;
    return [...this.encoder.model.trainableWeights.map((w) => w.read() as tf.Variable), ...head];
  }

  /**
   * Logits for a batch.
   * @param x `[batch, time, leads]`
   * @param opts `training`: batch statistics in the encoder (ignored when frozen)
   * @returns `[batch, numClasses]`
   */
  logits(x: tf.Tensor3D, opts: { training?: boolean } = {}): tf.Tensor2D {
    if (this.disposed) fail('EcgClassifier.logits', 'classifier', 'not disposed', 'a disposed classifier');
    return tf.tidy(() => {
      const training = (opts.training ?? false) && !this.config.freezeEncoder;
      const { stages, embedding } = this.encoder.apply(x, { training });
      tf.dispose(stages);
      // Frozen: the encoder's variables are not in trainableVariables, so no gradient reaches them.
      return this.dense.apply(embedding) as tf.Tensor2D;
    });
  }

  /**
   * Predicts label probabilities (inference mode).
   * @param x `[batch, time, leads]`
   * @returns `{ logits, probabilities }`, each `[batch, numClasses]`
   */
  predict(x: tf.Tensor3D): ClassifierOutput {
    const logits = this.logits(x);
    return { logits, probabilities: tf.sigmoid(logits) as tf.Tensor2D };
  }

  /** @internal */
  protected readonly configFile = 'classifier.json';
  /** @internal */
  protected readonly kindName = 'EcgClassifier';
  /** @internal */
  protected configJson(): unknown {
    return { format: FORMAT, config: this.config, encoderConfig: this.encoder.config, encoderOutputs: encoderOutputLayerNames(this.encoder), denseLayer: this.dense.name };
  }

  /**
   * Loads a classifier saved with {@link EcgClassifier.save} (Node).
   * @throws if `dir` holds no saved classifier
   */
  static async load(dir: string): Promise<EcgClassifier> {
    const { model, meta } = await loadCombined<{ format: string; config: Required<ClassifierConfig>; encoderConfig: ResolvedEncoderConfig; encoderOutputs: string[]; denseLayer: string }>(
      dir,
      'classifier.json',
      FORMAT,
      'EcgClassifier.load',
    );
    const encoder = encoderFromCombined(model, meta.encoderOutputs, meta.encoderConfig);
    return new EcgClassifier(encoder, model.getLayer(meta.denseLayer), model, meta.config);
  }
}

/**
 * Puts a multilabel classification head (global average pool → dense → sigmoid) on an encoder.
 * @param encoder a (pretrained) encoder, e.g. `BeatSslModel.encoder`; the classifier takes ownership
 * @param config {@link ClassifierConfig}
 * @returns an {@link EcgClassifier}
 * @throws if `numClasses` is not a positive integer
 * @example
 * const clf = createClassifier(pretrained.encoder, { numClasses: 5, freezeEncoder: true });
 * const { probabilities } = clf.predict(x); // [batch, 5]
 */
export function createClassifier(encoder: Encoder, config: ClassifierConfig): EcgClassifier {
  const FN = 'createClassifier';
  check(encoder != null && encoder.model instanceof tfl.LayersModel, FN, 'encoder', 'an Encoder (createEncoder or BeatSslModel.encoder)', encoder);
  check(config !== null && typeof config === 'object', FN, 'config', 'a ClassifierConfig object with numClasses', config);
  checkOptions(config, optionKeys<ClassifierConfig>()('numClasses', 'freezeEncoder', 'labels', 'seed'), FN, 'config');
  const numClasses = checkInt(config.numClasses, FN, 'config.numClasses', 1);
  const labels = config.labels ?? Array.from({ length: numClasses }, (_, i) => `class${i}`);
  check(labels.length === numClasses, FN, 'config.labels', `${numClasses} names`, labels);
  const c: Required<ClassifierConfig> = { numClasses, freezeEncoder: config.freezeEncoder ?? false, labels, seed: config.seed ?? 0 };
  const prefix = `${encoder.config.name}_cls`;
  const dense = tfl.layers.dense({ units: numClasses, kernelInitializer: tfl.initializers.glorotUniform({ seed: createRng(c.seed).int(2 ** 31) }), name: `${prefix}_dense` });
  const emb = encoder.model.outputs[encoder.model.outputs.length - 1];
  const logits = dense.apply(emb) as tfl.SymbolicTensor;
  const probs = tfl.layers.activation({ activation: 'sigmoid', name: `${prefix}_sigmoid` }).apply(logits) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: encoder.model.inputs, outputs: probs, name: `${prefix}_model` });
  return new EcgClassifier(encoder, dense, model, c);
}
