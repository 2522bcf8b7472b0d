/**
 * The Beat-SSL encoder f: a multi-scale residual 1D CNN built only from standard Keras layer
 * classes (Conv1D, BatchNormalization / LayerNormalization, Activation, Add,
 * GlobalAveragePooling1D) with the tfjs-layers functional API, so a saved encoder is a plain Keras
 * model that the TensorFlow.js converter reads.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNormalization } from './_internal/batchNorm';
import { check, checkInt, checkOneOf, fail } from '../core/errors';
import { createRng, type Rng } from '../core/rng';
import { checkOptions, optionKeys } from '../core/_internal/options';
import { MAX_ARRAY_LENGTH } from '../core/_internal/limits';

/** Normalisation layer used after every convolution. */
export type EncoderNorm = 'batch' | 'layer';

/** Architecture of an encoder (every field has a default; see {@link ENCODER_PRESETS}). */
export interface EncoderConfig {
  /** Input leads (channels), e.g. 12. Default 12. */
  leads?: number;
  /** Channels of the stem convolution. Default 32. */
  stemWidth?: number;
  /** Kernel size of the stem convolution (samples). Default 7. */
  stemKernel?: number;
  /** Channels of each stage; every stage halves the time resolution (stride 2). Default `[32, 48, 64, 96]` (the small preset). */
  widths?: number[];
  /** Residual blocks per stage (same length as `widths`). Default 1 each. */
  depths?: number[];
  /**
   * Kernel sizes of the parallel branches of the first convolution of every block (their outputs
   * are summed: the multi-scale receptive field). Default `[3, 9]`.
   */
  kernelSizes?: number[];
  /** Kernel size of the second convolution of every block. Default 5. */
  kernelSize?: number;
  /** Normalisation: `'batch'` (default) or `'layer'`. */
  norm?: EncoderNorm;
  /** Seed of the weight initialisers (same seed, same initial weights). Default 0. */
  seed?: number;
  /** Prefix of the layer names (keeps names unique when several encoders live in one app). Default `'enc'`. */
  name?: string;
}

/** {@link EncoderConfig} with every field filled in. */
export type ResolvedEncoderConfig = Required<EncoderConfig>;

/**
 * Encoder presets. `tiny`: ~3.5 k parameters (unit tests). `small`: 0.24 M parameters, 71 MFLOP per
 * 1000-sample record, quick on CPU (the default for the CLI and tests at
 * 100 Hz). `base`: 2.08 M parameters (561 MFLOP per 1000 samples), comparable in capacity with the paper's ResNet-style encoder.
 */
export const ENCODER_PRESETS: Readonly<Record<'tiny' | 'small' | 'base', EncoderConfig>> = {
  tiny: { stemWidth: 8, stemKernel: 5, widths: [8, 16], depths: [1, 1], kernelSizes: [3, 5], kernelSize: 3 },
  small: { stemWidth: 32, stemKernel: 7, widths: [32, 48, 64, 96], depths: [1, 1, 1, 1], kernelSizes: [3, 9], kernelSize: 5 },
  base: { stemWidth: 48, stemKernel: 15, widths: [64, 96, 128, 192], depths: [2, 2, 2, 2], kernelSizes: [3, 9], kernelSize: 5 },
};

/** Names of {@link ENCODER_PRESETS}. */
export type EncoderPreset = keyof typeof ENCODER_PRESETS;

/** Typed output of {@link Encoder.apply}. */
export interface EncoderOutput {
  /**
   * Feature map of the stem and of every stage, `[batch, ceil(time / stride_i), channels_i]`
   * with strides `[1, 2, 4, ...]` ({@link Encoder.stageStrides}); `stages[0]` is the stem.
   */
  stages: tf.Tensor3D[];
  /** Pooled embedding `e` `[batch, channels]`: global average of the last stage. */
  embedding: tf.Tensor2D;
}

/** A multi-stage 1D CNN encoder. Owns its weights: call {@link Encoder.dispose}. */
export interface Encoder {
  /** The Keras-compatible model: input `[batch, time, leads]`, outputs `[...stages, embedding]`. */
  readonly model: tfl.LayersModel;
  /** The resolved architecture. */
  readonly config: ResolvedEncoderConfig;
  /** Stride (in input samples) of each entry of `stages` (stem first). */
  readonly stageStrides: number[];
  /** Channels of each entry of `stages` (stem first). */
  readonly stageChannels: number[];
  /** Size of the embedding `e`. */
  readonly embeddingDim: number;
  /** Input length must be a multiple of this for a U-Net decoder to line up (`2^stages`). */
  readonly totalStride: number;
  /**
   * Where each frame of each stage looks in the input, from the real layer geometry ('same' padding,
   * kernels, strides) for an input of `timeSamples` samples: see {@link encoderGeometry}.
   */
  geometry(timeSamples: number): StageGeometry[];
  /** Trainable + non-trainable parameter count. */
  countParams(): number;
  /** Forward multiply-add FLOPs (2 per MAC) for one record of `timeSamples` samples. */
  flopsPerRecord(timeSamples: number): number;
  /**
   * Runs the encoder. `training: true` uses batch statistics (and updates BatchNorm moving averages).
   * @param x `[batch, time, leads]`
   */
  apply(x: tf.Tensor3D, opts?: { training?: boolean }): EncoderOutput;
  /** Frees the weights. */
  dispose(): void;
}

/**
 * Input span of the frames of one encoder stage: frame `f` of the stage depends on input samples
 * `[f·stride + first, f·stride + last]` (inclusive; may extend past the signal, where the input is
 * zero-padded), and its centre is `f·stride + centre` with `centre = (first + last) / 2`.
 */
export interface StageGeometry {
  /** Frame stride in input samples (`2^stage`; 1 for the stem). */
  stride: number;
  /** Offset (input samples) of the first input sample frame 0 depends on (≤ 0 where padding reaches in). */
  first: number;
  /** Offset (input samples) of the last input sample frame 0 depends on. */
  last: number;
  /** Centre of frame 0 in input samples: `(first + last) / 2`; frame `f` is centred at `f·stride + centre`. */
  centre: number;
  /** Receptive field in input samples: `last − first + 1`. */
  receptiveField: number;
}

/** Span of frame 0 of a tensor (frame f covers `[f·stride + lo, f·stride + hi]`) and its length. */
interface Span {
  stride: number;
  lo: number;
  hi: number;
  length: number;
}

/** A 'same'-padded conv (TensorFlow rule: pad_left = ⌊pad_total / 2⌋) applied to a span. */
function convSpan(x: Span, kernel: number, strides: number): Span {
  const outLen = Math.ceil(x.length / strides);
  const padTotal = Math.max((outLen - 1) * strides + kernel - x.length, 0);
  const padLeft = Math.floor(padTotal / 2);
  return { stride: x.stride * strides, lo: x.lo - x.stride * padLeft, hi: x.hi + x.stride * (kernel - 1 - padLeft), length: outLen };
}

/** Union of spans of tensors added together (same stride and length). */
function unionSpan(spans: Span[]): Span {
  return { stride: spans[0].stride, length: spans[0].length, lo: Math.min(...spans.map((s) => s.lo)), hi: Math.max(...spans.map((s) => s.hi)) };
}

/**
 * The geometry of every stage of an encoder (stem first) for an input of `timeSamples` samples:
 * which input samples each feature frame depends on, replayed from the architecture ('same'
 * padding splits a kernel's padding as TensorFlow does, so centres shift with the input length's
 * parity). Used to place beat windows on a feature map (frames are NOT centred at `(f + 0.5)·stride`).
 * @param config encoder config or preset name
 * @param timeSamples input length in samples, in [1, 2³¹ − 1]
 * @returns one {@link StageGeometry} per entry of `stages`
 * @throws {BeatSslError} `Error in encoderGeometry` if the config or length is invalid
 * @example
 * const g = encoderGeometry('small', 800);
 * g[2]; // { stride: 4, first: -24, last: 30, centre: 3, receptiveField: 55 } (stride-4 stage: 0.55 s at 100 Hz)
 */
export function encoderGeometry(config: EncoderConfig | EncoderPreset, timeSamples: number): StageGeometry[] {
  check(config !== undefined, 'encoderGeometry', 'config', 'an EncoderConfig object or a preset name', config);
  const c = resolveEncoderConfig(config, 'encoderGeometry');
  checkInt(timeSamples, 'encoderGeometry', 'timeSamples', 1, MAX_ARRAY_LENGTH);
  let x: Span = { stride: 1, lo: 0, hi: 0, length: timeSamples };
  x = convSpan(x, c.stemKernel, 1);
  const spans: Span[] = [x];
  c.widths.forEach((_, s) => {
    for (let b = 0; b < c.depths[s]; b++) {
      const strides = b === 0 ? 2 : 1;
      const branch = unionSpan(c.kernelSizes.map((k) => convSpan(x, k, strides)));
      const main = convSpan(branch, c.kernelSize, 1);
      const shortcut = strides !== 1 ? convSpan(x, 1, strides) : x;
      x = unionSpan([main, shortcut]);
    }
    spans.push(x);
  });
  return spans.map((s) => ({ stride: s.stride, first: s.lo, last: s.hi, centre: (s.lo + s.hi) / 2, receptiveField: s.hi - s.lo + 1 }));
}

const FN = 'createEncoder';
const ENCODER_CONFIG_KEYS = optionKeys<EncoderConfig>()('leads', 'stemWidth', 'stemKernel', 'widths', 'depths', 'kernelSizes', 'kernelSize', 'norm', 'seed', 'name');

/**
 * Fills defaults and validates an encoder configuration (or preset name).
 * @param config an {@link EncoderConfig} (`{}`: every default) or a preset name
 * @param fn public function named in errors (default `'resolveEncoderConfig'`; `createEncoder` passes its own)
 * @param arg argument named in errors (default `'config'`)
 * @returns the config with every field set
 * @throws {BeatSslError} naming the bad field, an unknown key or an unknown preset
 * @example
 * resolveEncoderConfig('tiny').widths; // [32, 48, 64, 96]
 */
export function resolveEncoderConfig(config: EncoderConfig | EncoderPreset = {}, fn = 'resolveEncoderConfig', arg = 'config'): ResolvedEncoderConfig {
  const FN = fn;
  const c: EncoderConfig = typeof config === 'string' ? { ...ENCODER_PRESETS[checkOneOf(config, Object.keys(ENCODER_PRESETS) as EncoderPreset[], FN, arg)] } : config;
  if (typeof c !== 'object' || c === null) fail(FN, arg, 'an EncoderConfig object or a preset name', c);
  checkOptions(c, ENCODER_CONFIG_KEYS, FN, arg);
  const widths = c.widths ?? [32, 48, 64, 96];
  check(Array.isArray(widths) && widths.length >= 1, FN, `${arg}.widths`, 'a non-empty array of positive integers', widths);
  widths.forEach((w, i) => checkInt(w, FN, `${arg}.widths[${i}]`, 1));
  const depths = c.depths ?? widths.map(() => 1);
  check(Array.isArray(depths) && depths.length === widths.length, FN, `${arg}.depths`, `an array of ${widths.length} integers (one per stage)`, depths);
  depths.forEach((d, i) => checkInt(d, FN, `${arg}.depths[${i}]`, 1));
  const kernelSizes = c.kernelSizes ?? [3, 9];
  check(Array.isArray(kernelSizes) && kernelSizes.length >= 1, FN, `${arg}.kernelSizes`, 'a non-empty array of odd positive integers', kernelSizes);
  kernelSizes.forEach((k, i) => checkInt(k, FN, `${arg}.kernelSizes[${i}]`, 1));
  const r: ResolvedEncoderConfig = {
    leads: checkInt(c.leads ?? 12, FN, `${arg}.leads`, 1),
    stemWidth: checkInt(c.stemWidth ?? 32, FN, `${arg}.stemWidth`, 1),
    stemKernel: checkInt(c.stemKernel ?? 7, FN, `${arg}.stemKernel`, 1),
    widths: [...widths],
    depths: [...depths],
    kernelSizes: [...kernelSizes],
    kernelSize: checkInt(c.kernelSize ?? 5, FN, `${arg}.kernelSize`, 1),
    norm: checkOneOf(c.norm ?? 'batch', ['batch', 'layer'] as const, FN, `${arg}.norm`),
    seed: c.seed ?? 0,
    name: c.name ?? 'enc',
  };
  check(typeof r.seed === 'number' && Number.isFinite(r.seed), FN, `${arg}.seed`, 'a finite number', r.seed);
  check(typeof r.name === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(r.name), FN, `${arg}.name`, 'an identifier (letters, digits, _)', r.name);
  return r;
}

/** Builds layers with seeded initialisers and unique, readable names. */
class LayerFactory {
  private counter = 0;
  constructor(
    readonly prefix: string,
    private readonly rng: Rng,
  ) {}
  name(kind: string): string {
    return `${this.prefix}_${kind}_${this.counter++}`;
  }
  conv(filters: number, kernelSize: number, strides = 1, useBias = false): tfl.layers.Layer {
    return tfl.layers.conv1d({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias,
      kernelInitializer: tfl.initializers.heNormal({ seed: this.rng.int(2 ** 31) }),
      name: this.name('conv'),
    });
  }
  norm(kind: EncoderNorm): tfl.layers.Layer {
    return kind === 'batch'
      ? batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: this.name('bn') })
      : tfl.layers.layerNormalization({ axis: -1, epsilon: 1e-5, name: this.name('ln') });
  }
  relu(): tfl.layers.Layer {
    return tfl.layers.activation({ activation: 'relu', name: this.name('relu') });
  }
  add(): tfl.layers.Layer {
    return tfl.layers.add({ name: this.name('add') });
  }
}

type Sym = tfl.SymbolicTensor;

/** Sum of parallel convolutions with different kernel sizes (the multi-scale branch). */
function multiScaleConv(f: LayerFactory, x: Sym, filters: number, kernels: number[], strides: number): Sym {
  const branches = kernels.map((k) => f.conv(filters, k, strides).apply(x) as Sym);
  return branches.length === 1 ? branches[0] : (f.add().apply(branches) as Sym);
}

function residualBlock(f: LayerFactory, x: Sym, cIn: number, cOut: number, strides: number, c: ResolvedEncoderConfig): Sym {
  let h = multiScaleConv(f, x, cOut, c.kernelSizes, strides);
  h = f.norm(c.norm).apply(h) as Sym;
  h = f.relu().apply(h) as Sym;
  h = f.conv(cOut, c.kernelSize).apply(h) as Sym;
  h = f.norm(c.norm).apply(h) as Sym;
  let shortcut = x;
  if (strides !== 1 || cIn !== cOut) {
    shortcut = f.conv(cOut, 1, strides).apply(x) as Sym;
    shortcut = f.norm(c.norm).apply(shortcut) as Sym;
  }
  const y = f.add().apply([h, shortcut]) as Sym;
  return f.relu().apply(y) as Sym;
}

/** MACs of one forward pass per output time step, by stage (stem first), for {@link Encoder.flopsPerRecord}. */
function macsPerStep(c: ResolvedEncoderConfig): number[] {
  const out: number[] = [c.stemKernel * c.leads * c.stemWidth];
  let cIn = c.stemWidth;
  const ks = c.kernelSizes.reduce((a, b) => a + b, 0);
  c.widths.forEach((w, s) => {
    let macs = 0;
    for (let b = 0; b < c.depths[s]; b++) {
      const inC = b === 0 ? cIn : w;
      macs += ks * inC * w + c.kernelSize * w * w;
      if (b === 0) macs += inC * w; // stride-2 1×1 shortcut projection
    }
    out.push(macs);
    cIn = w;
  });
  return out;
}

/**
 * Creates a multi-scale residual 1D CNN encoder: stem conv → `widths.length` stages of residual
 * blocks (first block of each stage has stride 2, multi-scale first conv = sum of parallel
 * kernels) → global average pooling. Any input length works (`time` is `null` in the model).
 *
 * @param config an {@link EncoderConfig} or a preset name (`'tiny' | 'small' | 'base'`); preset
 *   fields can be overridden by spreading: `{ ...ENCODER_PRESETS.small, leads: 2 }`.
 * @returns an {@link Encoder} (owns weights: `dispose()` it).
 * @throws if a config field is invalid (message names the field).
 * @example
 * const enc = createEncoder({ ...ENCODER_PRESETS.small, leads: 12, seed: 1 });
 * const { stages, embedding } = enc.apply(tf.zeros([2, 1000, 12]));
 * embedding.shape; // [2, 96]
 * enc.countParams(); // 241984
 */
export function createEncoder(config: EncoderConfig | EncoderPreset = 'small'): Encoder {
  const c = resolveEncoderConfig(config, FN);
  const f = new LayerFactory(c.name, createRng(c.seed));
  const input = tfl.input({ shape: [null, c.leads], name: `${c.name}_input` });
  let x = f.conv(c.stemWidth, c.stemKernel).apply(input) as Sym;
  x = f.norm(c.norm).apply(x) as Sym;
  x = f.relu().apply(x) as Sym;
  const stages: Sym[] = [x];
  let cIn = c.stemWidth;
  c.widths.forEach((w, s) => {
    for (let b = 0; b < c.depths[s]; b++) {
      x = residualBlock(f, x, b === 0 ? cIn : w, w, b === 0 ? 2 : 1, c);
    }
    stages.push(x);
    cIn = w;
  });
  const embedding = tfl.layers.globalAveragePooling1d({ name: `${c.name}_gap` }).apply(x) as Sym;
  const model = tfl.model({ inputs: input, outputs: [...stages, embedding], name: `${c.name}_model` });
  return wrapEncoder(model, c);
}

/** Wraps an existing encoder LayersModel (e.g. loaded from disk) with its config. */
export function wrapEncoder(model: tfl.LayersModel, config: ResolvedEncoderConfig): Encoder {
  check(model instanceof tfl.LayersModel, 'wrapEncoder', 'model', 'a tf.LayersModel built by createEncoder (or loaded from its folder)', model);
  check(config !== null && typeof config === 'object' && Array.isArray(config.widths) && config.widths.length > 0 && Array.isArray(config.depths) && Number.isInteger(config.stemWidth), 'wrapEncoder', 'config', 'a resolved EncoderConfig (resolveEncoderConfig)', config);
  checkOptions(config, ENCODER_CONFIG_KEYS, 'wrapEncoder', 'config');
  const c = config;
  const stageStrides = [1, ...c.widths.map((_, i) => 2 ** (i + 1))];
  const stageChannels = [c.stemWidth, ...c.widths];
  const nOut = stageStrides.length + 1;
  check(model.outputs.length === nOut, 'wrapEncoder', 'model', `a model with ${nOut} outputs (stages + embedding)`, model.outputs.length);
  const macs = macsPerStep(c);
  let disposed = false;
  return {
    model,
    config: c,
    stageStrides,
    stageChannels,
    embeddingDim: c.widths[c.widths.length - 1],
    totalStride: stageStrides[stageStrides.length - 1],
    geometry: (timeSamples: number) => encoderGeometry(c, timeSamples),
    countParams: () => model.countParams(),
    flopsPerRecord(timeSamples: number): number {
      checkInt(timeSamples, 'Encoder.flopsPerRecord', 'timeSamples', 1);
      let flops = 0;
      macs.forEach((m, i) => {
        flops += 2 * m * Math.ceil(timeSamples / stageStrides[i]);
      });
      return flops;
    },
    apply(x: tf.Tensor3D, opts: { training?: boolean } = {}): EncoderOutput {
      if (disposed) fail('Encoder.apply', 'encoder', 'not disposed', 'a disposed encoder');
      check(x instanceof tf.Tensor && x.rank === 3 && x.shape[2] === c.leads, 'Encoder.apply', 'x', `a tensor [batch, time, ${c.leads}]`, x);
      const outs = model.apply(x, { training: opts.training ?? false }) as tf.Tensor[];
      return { stages: outs.slice(0, -1) as tf.Tensor3D[], embedding: outs[outs.length - 1] as tf.Tensor2D };
    },
    dispose() {
      if (!disposed) {
        try {
          model.dispose();
        } catch (err) {
          // A head model sharing these layers (classifier / segmenter) may have disposed them already.
          if (!/already disposed/.test((err as Error).message)) throw err;
        }
      }
      disposed = true;
    },
  };
}
