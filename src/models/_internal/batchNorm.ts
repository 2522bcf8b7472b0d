/**
 * beat-ssl's batch-norm layer: a Keras `BatchNormalization` (same class name, config and weights in
 * the saved model) that, when training on the `tensorflow` backend, runs TensorFlow's fused
 * batch-norm op and its fused gradient (one op each way) instead of tfjs-layers' op-by-op moments,
 * normalisation and their gradients. Everywhere else it is tfjs-layers' layer unchanged.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerTensorflowTrainingKernels, tensorflowFusedBatchNormActive } from '../../backend/tensorflowKernels';

type BatchNormArgs = NonNullable<Parameters<typeof tfl.layers.batchNormalization>[0]>;
type Kwargs = Record<string, unknown>;
interface LayerVariableLike {
  read(): tf.Tensor;
  write(t: tf.Tensor): void;
}
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVariableLike;
  beta: LayerVariableLike;
  movingMean: LayerVariableLike;
  movingVariance: LayerVariableLike;
}

let Fused: (new (args: BatchNormArgs) => tfl.layers.Layer) | null = null;

/** tfjs-layers' moving-average update, `v ← v − (v − value)·(1 − momentum)`. */
function movingAverage(variable: LayerVariableLike, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const orig = variable.read();
    variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - momentum)));
  });
}

function fusedClass(): new (args: BatchNormArgs) => tfl.layers.Layer {
  if (Fused) return Fused;
  const Base = Object.getPrototypeOf(tfl.layers.batchNormalization({})).constructor as new (args: BatchNormArgs) => tfl.layers.Layer;
  class FusedBatchNormalization extends Base {
    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
      const self = this as unknown as BatchNormFields;
      const input = Array.isArray(inputs) ? inputs[0] : inputs;
      const fusable =
        kwargs?.training === true &&
        input.rank === 3 &&
        input.dtype === 'float32' &&
        (self.axis === -1 || self.axis === 2) &&
        self.center &&
        self.scale &&
        tensorflowFusedBatchNormActive();
      if (!fusable) return super.call(inputs, kwargs as never);
      return tf.tidy(() => {
        const [n, t, c] = input.shape;
        const eps = self.epsilon;
        let mean: tf.Tensor | null = null;
        let varianceUnbiased: tf.Tensor | null = null;
        const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
          const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
          const x4 = tf.reshape(x, [n, 1, t, c]);
          const [y4, m, v, r1, r2, r3] = tf.engine().runKernel('BeatSslBatchNormTrain', { x: x4, scale: gamma, offset: beta }, { epsilon: eps }) as tf.Tensor[];
          // customGrad runs this in a tidy: keep the batch statistics for the moving averages below.
          mean = tf.keep(m);
          varianceUnbiased = tf.keep(v);
          save([x4, gamma, r1, r2, r3]);
          return {
            value: tf.reshape(y4, [n, t, c]),
            gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
              const [xs, gs, s1, s2, s3] = saved;
              const [dx, dGamma, dBeta] = tf.engine().runKernel(
                'BeatSslBatchNormTrainGrad',
                { dy: tf.reshape(dy, [n, 1, t, c]), x: xs, scale: gs, r1: s1, r2: s2, r3: s3 },
                { epsilon: eps },
              ) as tf.Tensor[];
              return [tf.reshape(dx, [n, t, c]), dGamma, dBeta];
            },
          };
        }) as Parameters<typeof tf.customGrad>[0]);
        const y = f(input, self.gamma.read(), self.beta.read());
        // tfjs-layers (and Keras) average the biased batch variance into the moving variance.
        const count = n * t;
        const variance = count > 1 ? tf.mul(varianceUnbiased!, (count - 1) / count) : varianceUnbiased!;
        movingAverage(self.movingMean, mean!, self.momentum);
        movingAverage(self.movingVariance, variance, self.momentum);
        tf.dispose([mean!, varianceUnbiased!]);
        return y;
      });
    }
  }
  Fused = FusedBatchNormalization;
  return Fused;
}

/**
 * A `BatchNormalization` layer (Keras class name, config and weights unchanged) with the fused
 * training path on `tensorflow`. Takes the arguments of `tf.layers.batchNormalization`.
 */
export function batchNormalization(args: BatchNormArgs): tfl.layers.Layer {
  registerTensorflowTrainingKernels();
  return new (fusedClass())(args);
}

/**
 * Gives the `BatchNormalization` layers of a loaded model the fused training path (a loaded model's
 * layers are tfjs-layers' own class). Returns the model.
 */
export function withFusedBatchNorm<M extends tfl.LayersModel>(model: M): M {
  registerTensorflowTrainingKernels();
  const Cls = fusedClass();
  const Base = Object.getPrototypeOf(Cls.prototype) as object;
  for (const layer of model.layers) {
    if (Object.getPrototypeOf(layer) === Base) Object.setPrototypeOf(layer, Cls.prototype);
  }
  return model;
}
