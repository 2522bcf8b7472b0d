/**
 * P/QRS/T segmentation head: a U-Net decoder over the encoder's stage features, giving per-sample
 * logits over {none, P, QRS, T} at the input rate.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNormalization } from '../models/_internal/batchNorm';
import { check, checkInt, fail } from '../core/errors';
import { createRng, type Rng } from '../core/rng';
import { SEGMENT_CLASSES } from '../core/types';
import type { Encoder, ResolvedEncoderConfig } from '../models/encoder';
import { encoderFromCombined, encoderOutputLayerNames, loadCombined } from './_internal/combined';
import { EcgHead } from './head';

/** Options of {@link createSegmenter}. */
export interface SegmenterConfig {
  /** Output classes. Default 4 (none, P, QRS, T — `SEGMENT_CLASSES`). */
  numClasses?: number;
  /** Decoder channels per level, stem level first (length = encoder stages + 1). Default: the encoder's stage channels. */
  decoderWidths?: number[];
  /** Kernel size of the decoder convolutions. Default 5. */
  kernelSize?: number;
  /** Initialiser seed. Default 0. */
  seed?: number;
}

/** Typed output of {@link EcgSegmenter.predict}. */
export interface SegmenterOutput {
  /** `[batch, time, numClasses]` logits at the input rate. */
  logits: tf.Tensor3D;
  /** `[batch, time, numClasses]` softmax probabilities. */
  probabilities: tf.Tensor3D;
}

const FORMAT = 'beat-ssl-segmenter@1';

/**
 * U-Net segmenter. `model` is one Keras functional model (standard layers only: Conv1D,
 * BatchNormalization, Activation, Reshape, Concatenate): input `[batch, time, leads]` with `time` a
 * multiple of {@link EcgSegmenter.multiple} → logits `[batch, time, numClasses]`; {@link EcgSegmenter.logits}
 * pads any length and crops back. Upsampling is a sub-pixel convolution (Conv1D to 2×channels,
 * then Reshape to twice the length), which trains fast on every backend.
 * Owns the encoder it was given: `dispose()` frees both.
 */
export class EcgSegmenter extends EcgHead {
  readonly encoder: Encoder;
  readonly model: tfl.LayersModel;
  readonly config: Required<SegmenterConfig>;

  /** @internal use {@link createSegmenter} or {@link EcgSegmenter.load} */
  constructor(encoder: Encoder, model: tfl.LayersModel, config: Required<SegmenterConfig>) {
    super();
    this.encoder = encoder;
    this.model = model;
    this.config = config;
  }

  /** Input lengths given to `model` must be multiples of this (the encoder's total stride). */
  get multiple(): number {
    return this.encoder.totalStride;
  }

  /** All trainable variables (encoder + decoder), fixed order. */
  get trainableVariables(): tf.Variable[] {
    return this.model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /**
   * Per-sample logits for any input length (zero-padded to a multiple of {@link EcgSegmenter.multiple}, cropped back).
   * @param x `[batch, time, leads]`
   * @param opts `training`: batch statistics in normalisation layers
   * @returns `[batch, time, numClasses]`
   */
  logits(x: tf.Tensor3D, opts: { training?: boolean } = {}): tf.Tensor3D {
    if (this.disposed) fail('EcgSegmenter.logits', 'segmenter', 'not disposed', 'a disposed segmenter');
    check(x instanceof tf.Tensor && x.rank === 3 && x.shape[2] === this.encoder.config.leads, 'EcgSegmenter.logits', 'x', `a tensor [batch, time, ${this.encoder.config.leads}]`, x);
    return tf.tidy(() => {
      const T = x.shape[1];
      const pad = (this.multiple - (T % this.multiple)) % this.multiple;
      const xin = pad > 0 ? tf.pad(x, [[0, 0], [0, pad], [0, 0]]) : x;
      const out = this.model.apply(xin, { training: opts.training ?? false }) as tf.Tensor3D;
      return pad > 0 ? (tf.slice(out, [0, 0, 0], [-1, T, -1]) as tf.Tensor3D) : out;
    });
  }

  /**
   * Predicts per-sample class probabilities (inference mode).
   * @param x `[batch, time, leads]`
   */
  predict(x: tf.Tensor3D): SegmenterOutput {
    const logits = this.logits(x);
    return { logits, probabilities: tf.softmax(logits) as tf.Tensor3D };
  }

  /**
   * Per-sample class labels (argmax) for one record.
   * @param signals `[time × leads]` time-major Float32Array (standardised like the training data)
   * @returns `Uint8Array(time)` of class indices (0 none, 1 P, 2 QRS, 3 T)
   */
  segmentSignals(signals: Float32Array): Uint8Array {
    const leads = this.encoder.config.leads;
    check(signals instanceof Float32Array && signals.length % leads === 0 && signals.length > 0, 'EcgSegmenter.segmentSignals', 'signals', `a Float32Array [time × ${leads}]`, signals);
    const T = signals.length / leads;
    const labels = tf.tidy(() => tf.argMax(this.logits(tf.tensor3d(signals, [1, T, leads])), 2));
    const out = Uint8Array.from(labels.dataSync());
    labels.dispose();
    return out;
  }

  /** @internal */
  protected readonly configFile = 'segmenter.json';
  /** @internal */
  protected readonly kindName = 'EcgSegmenter';
  /** @internal */
  protected configJson(): unknown {
    return { format: FORMAT, config: this.config, encoderConfig: this.encoder.config, encoderOutputs: encoderOutputLayerNames(this.encoder) };
  }

  /**
   * Loads a segmenter saved with {@link EcgSegmenter.save} (Node).
   * @throws if `dir` holds no saved segmenter
   */
  static async load(dir: string): Promise<EcgSegmenter> {
    const { model, meta } = await loadCombined<{ format: string; config: Required<SegmenterConfig>; encoderConfig: ResolvedEncoderConfig; encoderOutputs: string[] }>(dir, 'segmenter.json', FORMAT, 'EcgSegmenter.load');
    return new EcgSegmenter(encoderFromCombined(model, meta.encoderOutputs, meta.encoderConfig), model, meta.config);
  }
}

type Sym = tfl.SymbolicTensor;

/**
 * Puts a U-Net decoder on an encoder: from the deepest stage, each level upsamples ×2 (sub-pixel
 * Conv1D + Reshape), concatenates the encoder stage of that resolution (skip), and applies
 * Conv1D → BatchNorm → ReLU; a 1×1 Conv1D gives the class logits at the input rate.
 * @param encoder a (pretrained) encoder; the segmenter takes ownership
 * @param config {@link SegmenterConfig}
 * @returns an {@link EcgSegmenter}
 * @throws on invalid options
 * @example
 * const seg = createSegmenter(createEncoder({ ...ENCODER_PRESETS.small, leads: 12 }));
 * const labels = seg.segmentSignals(record12x1000); // Uint8Array(1000), 0 none 1 P 2 QRS 3 T
 */
export function createSegmenter(encoder: Encoder, config: SegmenterConfig = {}): EcgSegmenter {
  const FN = 'createSegmenter';
  check(encoder != null && encoder.model instanceof tfl.LayersModel, FN, 'encoder', 'an Encoder (createEncoder or BeatSslModel.encoder)', encoder);
  const levels = encoder.stageChannels.length;
  const decoderWidths = config.decoderWidths ?? [...encoder.stageChannels];
  check(Array.isArray(decoderWidths) && decoderWidths.length === levels, FN, 'config.decoderWidths', `an array of ${levels} channel counts (stem level first)`, decoderWidths);
  decoderWidths.forEach((w, i) => checkInt(w, FN, `config.decoderWidths[${i}]`, 1));
  const c: Required<SegmenterConfig> = {
    numClasses: checkInt(config.numClasses ?? SEGMENT_CLASSES.length, FN, 'config.numClasses', 2),
    decoderWidths: [...decoderWidths],
    kernelSize: checkInt(config.kernelSize ?? 5, FN, 'config.kernelSize', 1),
    seed: config.seed ?? 0,
  };
  const rng = createRng(c.seed);
  const p = `${encoder.config.name}_seg`;
  let n = 0;
  const conv = (filters: number, k: number, r: Rng, bias = false) =>
    tfl.layers.conv1d({ filters, kernelSize: k, padding: 'same', useBias: bias, kernelInitializer: tfl.initializers.heNormal({ seed: r.int(2 ** 31) }), name: `${p}_conv_${n++}` });
  const stages = encoder.model.outputs.slice(0, levels) as Sym[];
  let x = stages[levels - 1];
  for (let i = levels - 2; i >= 0; i--) {
    const w = c.decoderWidths[i];
    let up = conv(2 * w, 3, rng).apply(x) as Sym;
    up = tfl.layers.reshape({ targetShape: [-1, w], name: `${p}_up_${i}` }).apply(up) as Sym;
    let h = tfl.layers.concatenate({ axis: -1, name: `${p}_cat_${i}` }).apply([up, stages[i]]) as Sym;
    h = conv(w, c.kernelSize, rng).apply(h) as Sym;
    h = batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: `${p}_bn_${i}` }).apply(h) as Sym;
    x = tfl.layers.activation({ activation: 'relu', name: `${p}_relu_${i}` }).apply(h) as Sym;
  }
  const logits = conv(c.numClasses, 1, rng, true).apply(x) as Sym;
  const model = tfl.model({ inputs: encoder.model.inputs, outputs: logits, name: `${p}_model` });
  return new EcgSegmenter(encoder, model, c);
}
