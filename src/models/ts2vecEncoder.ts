/**
 * TS2Vec's dilated convolutional encoder (Yue et al., AAAI 2022), for the TS2Vec baseline.
 *
 * Input projection (per-timestamp linear layer) → timestamp masking (training only) → `depth`
 * residual blocks of two GELU + dilated conv layers (kernel `kernelSize`, dilation `2^i`) → a last
 * block to `outputChannels` → representation dropout. Output keeps the time resolution:
 * `[batch, time, outputChannels]`.
 *
 * tfjs has no gradient for dilated convolutions (`tf.conv1d` with dilation > 1), so each dilated
 * conv is computed exactly as a sum of `kernelSize` matMuls over time-shifted slices of the
 * zero-padded input. The encoder is a plain object of `tf.Variable`s, not a tfjs-layers model: it is
 * a baseline, not meant for conversion to Keras (use {@link getTs2VecWeights} to export its weights).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkRange } from '../core/errors';
import { createRng, type Rng } from '../core/rng';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Configuration of {@link createTs2VecEncoder}. */
export interface Ts2VecEncoderConfig {
  /** Input channels (leads). */
  inputChannels: number;
  /** Hidden channels of the input projection and residual blocks. Default 64 (TS2Vec). */
  hiddenChannels?: number;
  /** Output channels per timestamp. Default 320 (TS2Vec). */
  outputChannels?: number;
  /** Number of hidden residual blocks (a last block maps to `outputChannels`). Default 10. */
  depth?: number;
  /** Odd convolution kernel size in samples. Default 3. */
  kernelSize?: number;
  /** Dropout rate on the output representations during training. Default 0.1. */
  dropout?: number;
  /** Probability that a timestamp is kept by the training mask. Default 0.5 (TS2Vec's binomial mask). */
  maskKeepProb?: number;
  /** Seed of the weight initialisation. */
  seed: number;
}

interface ConvParams { w: tf.Variable; b: tf.Variable; dilation: number }
interface Block { conv1: ConvParams; conv2: ConvParams; proj?: { w: tf.Variable; b: tf.Variable } }

/** Options of {@link Ts2VecEncoder.apply}. */
export interface Ts2VecApplyOptions {
  /** Training mode: timestamp masking and dropout on. Default false. */
  training?: boolean;
  /** Random source for the mask and dropout (required when `training`). */
  rng?: Rng;
}

/** A TS2Vec encoder: weights plus a forward function. Create with {@link createTs2VecEncoder}. */
export class Ts2VecEncoder {
  /** Resolved configuration. */
  readonly config: Required<Ts2VecEncoderConfig>;
  private readonly inputW: tf.Variable;
  private readonly inputB: tf.Variable;
  private readonly blocks: Block[];

  /** @internal use {@link createTs2VecEncoder} */
  constructor(config: Required<Ts2VecEncoderConfig>) {
    this.config = config;
    const rng = createRng(config.seed);
    const { inputChannels: cin, hiddenChannels: h, outputChannels: cout, depth, kernelSize: k } = config;
    const uniform = (shape: number[], fanIn: number, name: string) => {
      const bound = 1 / Math.sqrt(fanIn);
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = rng.uniform(-bound, bound);
      const init = tf.tensor(data, shape);
      const v = tf.variable(init, true, `ts2vec/${name}_${rng.nextUint32()}`);
      init.dispose(); // the variable holds its own reference to the data
      return v;
    };
    this.inputW = uniform([cin, h], cin, 'input_w');
    this.inputB = uniform([h], cin, 'input_b');
    const channels = [...Array(depth).fill(h), cout] as number[];
    this.blocks = [];
    let inCh = h;
    channels.forEach((outCh, i) => {
      const dilation = 2 ** i;
      const block: Block = {
        conv1: { w: uniform([k, inCh, outCh], inCh * k, `b${i}_c1_w`), b: uniform([outCh], inCh * k, `b${i}_c1_b`), dilation },
        conv2: { w: uniform([k, outCh, outCh], outCh * k, `b${i}_c2_w`), b: uniform([outCh], outCh * k, `b${i}_c2_b`), dilation },
      };
      if (inCh !== outCh || i === channels.length - 1) block.proj = { w: uniform([inCh, outCh], inCh, `b${i}_proj_w`), b: uniform([outCh], inCh, `b${i}_proj_b`) };
      this.blocks.push(block);
      inCh = outCh;
    });
  }

  /** All trainable variables, in a fixed order. */
  get variables(): tf.Variable[] {
    const out = [this.inputW, this.inputB];
    for (const b of this.blocks) {
      out.push(b.conv1.w, b.conv1.b, b.conv2.w, b.conv2.b);
      if (b.proj) out.push(b.proj.w, b.proj.b);
    }
    return out;
  }

  /** Number of trainable parameters. */
  get parameterCount(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  /**
   * Encodes a batch.
   * @param x `[batch, time, inputChannels]`.
   * @param opts training mode and random source.
   * @returns representations `[batch, time, outputChannels]`.
   * @throws {BeatSslError} on a wrong shape, or training without an `rng`.
   */
  apply(x: tf.Tensor3D, opts: Ts2VecApplyOptions = {}): tf.Tensor3D {
    const fn = 'Ts2VecEncoder.apply';
    check(x instanceof tf.Tensor && x.rank === 3 && x.shape[2] === this.config.inputChannels, fn, 'x', `a tensor [batch, time, ${this.config.inputChannels}]`, x);
    const training = opts.training ?? false;
    check(!training || opts.rng !== undefined, fn, 'opts.rng', 'an Rng when training (mask and dropout are seeded)', opts.rng);
    return tf.tidy(() => {
      const [bsz, t] = x.shape;
      let hcur = dense(x, this.inputW, this.inputB);
      if (training) {
        const keep = tf.cast(tf.less(tf.randomUniform([bsz, t, 1], 0, 1, 'float32', opts.rng!.seed()), this.config.maskKeepProb), 'float32');
        hcur = tf.mul(hcur, keep) as tf.Tensor3D;
      }
      for (const b of this.blocks) {
        const residual = b.proj ? dense(hcur, b.proj.w, b.proj.b) : hcur;
        let y = dilatedConv(gelu(hcur), b.conv1);
        y = dilatedConv(gelu(y), b.conv2);
        hcur = tf.add(y, residual) as tf.Tensor3D;
      }
      if (training && this.config.dropout > 0) {
        const rate = this.config.dropout;
        const keep = tf.cast(tf.greaterEqual(tf.randomUniform(hcur.shape, 0, 1, 'float32', opts.rng!.seed()), rate), 'float32');
        hcur = tf.mul(hcur, tf.div(keep, 1 - rate)) as tf.Tensor3D;
      }
      return hcur;
    });
  }

  /** Frees the weights. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

function dense(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  const [bsz, t, c] = x.shape;
  const y = tf.add(tf.matMul(tf.reshape(x, [bsz * t, c]), w as tf.Tensor2D), b);
  return tf.reshape(y, [bsz, t, w.shape[1]!]);
}

/** Exact GELU, `0.5·x·(1 + erf(x/√2))` (PyTorch's default). */
function gelu(x: tf.Tensor3D): tf.Tensor3D {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as tf.Tensor3D;
}

/** 'Same'-padded dilated conv as a sum of matMuls over shifted slices (differentiable in tfjs). */
function dilatedConv(x: tf.Tensor3D, p: ConvParams): tf.Tensor3D {
  const [bsz, t, cin] = x.shape;
  const k = p.w.shape[0]!;
  const cout = p.w.shape[2]!;
  const half = ((k - 1) / 2) * p.dilation;
  const xp = tf.pad(x, [[0, 0], [half, half], [0, 0]]);
  let acc: tf.Tensor2D | null = null;
  for (let j = 0; j < k; j++) {
    const shifted = tf.reshape(tf.slice(xp, [0, j * p.dilation, 0], [bsz, t, cin]), [bsz * t, cin]);
    const wj = tf.reshape(tf.slice(p.w, [j, 0, 0], [1, cin, cout]), [cin, cout]);
    const term = tf.matMul(shifted, wj) as tf.Tensor2D;
    acc = acc === null ? term : (tf.add(acc, term) as tf.Tensor2D);
  }
  return tf.reshape(tf.add(acc!, p.b), [bsz, t, cout]);
}

/**
 * Creates a TS2Vec dilated-convolution encoder with seeded initialisation (PyTorch-style
 * `U(±1/√fan_in)`).
 * @param config see {@link Ts2VecEncoderConfig}; `inputChannels` and `seed` are required.
 * @returns a {@link Ts2VecEncoder}; call `dispose()` when done.
 * @throws {BeatSslError} on non-integer sizes, an even kernel size or a dropout outside [0, 1).
 * @example
 * const enc = createTs2VecEncoder({ inputChannels: 12, seed: 1 });
 * const r = enc.apply(tf.zeros([2, 1000, 12])); // [2, 1000, 320]
 */
export function createTs2VecEncoder(config: Ts2VecEncoderConfig): Ts2VecEncoder {
  const fn = 'createTs2VecEncoder';
  check(typeof config === 'object' && config !== null, fn, 'config', 'an object with inputChannels and seed', config);
  checkOptions(config, optionKeys<Ts2VecEncoderConfig>()('inputChannels', 'hiddenChannels', 'outputChannels', 'depth', 'kernelSize', 'dropout', 'maskKeepProb', 'seed'), fn, 'config');
  const resolved: Required<Ts2VecEncoderConfig> = {
    inputChannels: checkInt(config.inputChannels, fn, 'config.inputChannels', 1),
    hiddenChannels: checkInt(config.hiddenChannels ?? 64, fn, 'config.hiddenChannels', 1),
    outputChannels: checkInt(config.outputChannels ?? 320, fn, 'config.outputChannels', 1),
    depth: checkInt(config.depth ?? 10, fn, 'config.depth', 0, 16),
    kernelSize: checkInt(config.kernelSize ?? 3, fn, 'config.kernelSize', 1),
    dropout: checkRange(config.dropout ?? 0.1, fn, 'config.dropout', 0, 0.99),
    maskKeepProb: checkRange(config.maskKeepProb ?? 0.5, fn, 'config.maskKeepProb', 0.01, 1),
    seed: config.seed,
  };
  check(resolved.kernelSize % 2 === 1, fn, 'config.kernelSize', 'an odd integer', resolved.kernelSize);
  check(typeof config.seed === 'number' && Number.isFinite(config.seed), fn, 'config.seed', 'a finite number', config.seed);
  return new Ts2VecEncoder(resolved);
}

/** Exports an encoder's weights as plain arrays (JSON-safe), in {@link Ts2VecEncoder.variables} order. */
export function getTs2VecWeights(encoder: Ts2VecEncoder): { shape: number[]; data: number[] }[] {
  check(encoder instanceof Ts2VecEncoder, 'getTs2VecWeights', 'encoder', 'a Ts2VecEncoder (createTs2VecEncoder)', encoder);
  return encoder.variables.map((v) => ({ shape: v.shape.slice(), data: Array.from(v.dataSync()) }));
}

/** Restores weights exported by {@link getTs2VecWeights} into an encoder of the same configuration. */
export function setTs2VecWeights(encoder: Ts2VecEncoder, weights: { shape: number[]; data: ArrayLike<number> }[]): void {
  const fn = 'setTs2VecWeights';
  check(encoder instanceof Ts2VecEncoder, fn, 'encoder', 'a Ts2VecEncoder (createTs2VecEncoder)', encoder);
  const vars = encoder.variables;
  check(Array.isArray(weights) && weights.length === vars.length, fn, 'weights', `an array of ${vars.length} weight entries (getTs2VecWeights)`, weights);
  vars.forEach((v, i) => {
    const w = weights[i];
    check(w !== null && typeof w === 'object' && Array.isArray(w.shape) && w.shape.join(',') === v.shape.join(','), fn, `weights[${i}].shape`, `[${v.shape.join(', ')}]`, w?.shape);
    const ok = (Array.isArray(w.data) || (ArrayBuffer.isView(w.data) && !(w.data instanceof DataView))) && w.data.length === v.size;
    check(ok && Array.prototype.every.call(w.data, (x: unknown) => typeof x === 'number' && Number.isFinite(x)), fn, `weights[${i}].data`, `${v.size} finite numbers`, w.data);
  });
  vars.forEach((v, i) => {
    tf.tidy(() => v.assign(tf.tensor(Float32Array.from(weights[i].data), v.shape)));
  });
}
