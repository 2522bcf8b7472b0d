/**
 * Projection heads g_r (rhythm) and g_b (beat): 2-layer MLPs whose outputs are L2-normalised.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { check, checkInt } from '../core/errors';
import { createRng } from '../core/rng';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** Options of {@link createProjector}. */
export interface ProjectorConfig {
  /** Input features (encoder embedding or stage channels). */
  inputDim: number;
  /** Hidden units. Default = `inputDim`. */
  hiddenDim?: number;
  /** Output (projection) size. Default 64. */
  outputDim?: number;
  /** Initialiser seed. Default 0. */
  seed?: number;
  /** Layer name prefix (unique per app). Default `'proj'`. */
  name?: string;
}

/** A projector: Dense → ReLU → Dense as a Keras model, plus L2 normalisation in {@link Projector.apply}. */
export interface Projector {
  /** Keras-compatible model `[n, inputDim] → [n, outputDim]` (before normalisation). */
  readonly model: tfl.LayersModel;
  /** Resolved configuration. */
  readonly config: Required<ProjectorConfig>;
  /**
   * Projects and L2-normalises rows.
   * @param x `[n, inputDim]`
   * @returns `[n, outputDim]`, unit L2 norm per row
   */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /** Frees the weights. */
  dispose(): void;
}

/**
 * L2-normalises the rows of `x` (`x / max(‖x‖, eps)`).
 * @param x `[n, d]`
 * @returns `[n, d]`
 * @example
 * l2NormalizeRows(tf.tensor2d([[3, 4]])); // [[0.6, 0.8]]
 */
export function l2NormalizeRows(x: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  check(x instanceof tf.Tensor && x.rank === 2 && !x.isDisposed, 'l2NormalizeRows', 'x', 'a tensor [n, d]', x);
  check(typeof eps === 'number' && eps > 0 && eps <= 1, 'l2NormalizeRows', 'eps', 'a number in (0, 1]', eps);
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), eps * eps));
    return tf.div(x, norm) as tf.Tensor2D;
  });
}

/** The keys of a {@link ProjectorConfig}. */
const PROJECTOR_KEYS = optionKeys<ProjectorConfig>()('inputDim', 'hiddenDim', 'outputDim', 'seed', 'name');

/**
 * Creates a 2-layer MLP projector with L2-normalised output (g_r or g_b of Beat-SSL).
 * @param config {@link ProjectorConfig}
 * @returns a {@link Projector} (owns weights)
 * @throws if a dimension is not a positive integer
 * @example
 * const g = createProjector({ inputDim: 96, outputDim: 64, seed: 1 });
 * const z = g.apply(tf.randomNormal([4, 96], 0, 1, 'float32', 1)); // [4, 64], rows of norm 1
 */
export function createProjector(config: ProjectorConfig): Projector {
  const FN = 'createProjector';
  check(typeof config === 'object' && config !== null, FN, 'config', 'an object', config);
  checkOptions(config, PROJECTOR_KEYS, FN, 'config');
  const c: Required<ProjectorConfig> = {
    inputDim: checkInt(config.inputDim, FN, 'config.inputDim', 1),
    hiddenDim: checkInt(config.hiddenDim ?? config.inputDim, FN, 'config.hiddenDim', 1),
    outputDim: checkInt(config.outputDim ?? 64, FN, 'config.outputDim', 1),
    seed: config.seed ?? 0,
    name: config.name ?? 'proj',
  };
  const rng = createRng(c.seed);
  const input = tfl.input({ shape: [c.inputDim], name: `${c.name}_input` });
  const h = tfl.layers
    .dense({ units: c.hiddenDim, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: rng.int(2 ** 31) }), name: `${c.name}_dense_0` })
    .apply(input) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: c.outputDim, kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.int(2 ** 31) }), name: `${c.name}_dense_1` })
    .apply(h) as tfl.SymbolicTensor;
  return wrapProjector(tfl.model({ inputs: input, outputs: out, name: `${c.name}_model` }), c);
}

/** Wraps a loaded projector model with its config. */
export function wrapProjector(model: tfl.LayersModel, config: Required<ProjectorConfig>): Projector {
  check(model instanceof tfl.LayersModel, 'wrapProjector', 'model', 'a tf.LayersModel built by createProjector (or loaded from its folder)', model);
  check(config !== null && typeof config === 'object' && Number.isInteger(config.inputDim) && config.inputDim > 0, 'wrapProjector', 'config', 'a full ProjectorConfig { inputDim, hiddenDim, outputDim, seed, name }', config);
  checkOptions(config, PROJECTOR_KEYS, 'wrapProjector', 'config');
  return {
    model,
    config,
    apply(x: tf.Tensor2D): tf.Tensor2D {
      check(x instanceof tf.Tensor && x.rank === 2 && x.shape[1] === config.inputDim, 'Projector.apply', 'x', `a tensor [n, ${config.inputDim}]`, x);
      return tf.tidy(() => l2NormalizeRows(model.apply(x) as tf.Tensor2D));
    },
    dispose: () => model.dispose(),
  };
}
