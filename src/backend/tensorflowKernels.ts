import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

const TENSORFLOW = 'tensorflow';
/** Kernel names beat-ssl adds to the `tensorflow` backend (none of them replaces a tfjs kernel). */
export const TENSORFLOW_TRAINING_KERNELS = ['BeatSslReluGrad', 'BeatSslBatchNormTrain', 'BeatSslBatchNormTrainGrad'] as const;

/** What beat-ssl uses of @tensorflow/tfjs-node's backend object (no import of the package). */
interface NodeBackendLike {
  binding: Record<string, number>;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: TensorInfo[]): TensorInfo;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: TensorInfo[], numOutputs: number): TensorInfo[];
}
interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

const nb = (b: unknown) => b as NodeBackendLike;
const floatT = (b: NodeBackendLike, name: string): OpAttr => ({ name, type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT });

/** TF's `ReluGrad`: `dy` where `x > 0`, else 0 (one op instead of tfjs-node's six-op `Step`). */
const reluGrad: KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const b = nb(backend);
  return b.executeSingleOutput('ReluGrad', [floatT(b, 'T')], [dy, x]);
};

function bnAttrs(b: NodeBackendLike, epsilon: number): OpAttr[] {
  return [
    floatT(b, 'T'),
    floatT(b, 'U'),
    { name: 'epsilon', type: b.binding.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: b.binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: b.binding.TF_ATTR_BOOL, value: true },
  ];
}

/**
 * TF's `FusedBatchNormV3` in training mode on `x` [n, 1, t, c] (NHWC): outputs `y`, the batch mean,
 * the batch variance (Bessel-corrected, as TF returns it) and the three reserve spaces its gradient needs.
 */
const batchNormTrain: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, scale, offset } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
  const b = nb(backend);
  const eps = (attrs as unknown as { epsilon: number }).epsilon;
  const c = x.shape[3];
  const empty = tf.tensor1d([], 'float32');
  try {
    const outs = b.executeMultipleOutputs(
      'FusedBatchNormV3',
      [...bnAttrs(b, eps), { name: 'exponential_avg_factor', type: b.binding.TF_ATTR_FLOAT, value: 1 }],
      [x, scale, offset, empty, empty],
      6,
    );
    if (outs[1].shape[0] !== c) throw new Error(`BeatSslBatchNormTrain: unexpected mean shape [${outs[1].shape}]`);
    return outs;
  } finally {
    empty.dispose();
  }
};

/** TF's `FusedBatchNormGradV3` (training mode): `dx`, `dscale`, `doffset`. */
const batchNormTrainGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, scale, r1, r2, r3 } = inputs as Record<string, TensorInfo>;
  const b = nb(backend);
  const eps = (attrs as unknown as { epsilon: number }).epsilon;
  const outs = b.executeMultipleOutputs('FusedBatchNormGradV3', bnAttrs(b, eps), [dy, x, scale, r1, r2, r3], 5);
  // The last two outputs are unused placeholders.
  for (const t of outs.slice(3)) tf.engine().disposeTensor(t as tf.Tensor);
  return outs.slice(0, 3);
};

let reluGradientRegistered = false;

/**
 * On `tensorflow`, the gradient of `Relu` as one TF `ReluGrad` op; on every other backend exactly
 * tfjs-core's own formula (`dy · step(x)`), so registering it changes nothing there.
 */
function registerReluGradient(): void {
  if (reluGradientRegistered) return;
  reluGradientRegistered = true;
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const d = dy as tf.Tensor;
      return {
        x: () =>
          tf.getBackend() === TENSORFLOW && x.dtype === 'float32' && d.dtype === 'float32'
            ? (tf.engine().runKernel('BeatSslReluGrad', { dy: d, x }) as tf.Tensor)
            : tf.mul(d, tf.cast(tf.step(x), 'float32')),
      };
    },
  });
}

/**
 * Registers, for the `tensorflow` backend (@tensorflow/tfjs-node / -node-gpu), the fused training
 * kernels beat-ssl uses there — each one TensorFlow op where tfjs would run several:
 *
 * - `BeatSslBatchNormTrain` / `BeatSslBatchNormTrainGrad`: TF's `FusedBatchNormV3` /
 *   `FusedBatchNormGradV3` in training mode, used by beat-ssl's batch-norm layers (a Keras
 *   `BatchNormalization` in the saved model) instead of tfjs-layers' op-by-op moments, normalisation
 *   and their gradients.
 * - `BeatSslReluGrad`: TF's `ReluGrad`, used by the `Relu` gradient on `tensorflow` instead of
 *   tfjs-node's `Step` (six ops on full-size tensors).
 *
 * New kernel names only: no tfjs kernel of any backend is replaced, and the `Relu` gradient keeps
 * tfjs-core's formula on every other backend. Gradients equal the `cpu` backend's to 1e-4 relative
 * (`test/backend/tensorflow.test.ts`). Idempotent; `setBackend('tensorflow' | 'auto')` calls it when
 * it picks `tensorflow`.
 *
 * @returns true (the kernels are registered; they run only when `tensorflow` is active).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-node';
 * import { registerTensorflowTrainingKernels } from 'beat-ssl/backend';
 * registerTensorflowTrainingKernels();
 * ```
 */
export function registerTensorflowTrainingKernels(): boolean {
  const kernels: [string, KernelFunc][] = [
    ['BeatSslReluGrad', reluGrad],
    ['BeatSslBatchNormTrain', batchNormTrain],
    ['BeatSslBatchNormTrainGrad', batchNormTrainGrad],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (!tf.getKernel(kernelName, TENSORFLOW)) tf.registerKernel({ kernelName, backendName: TENSORFLOW, kernelFunc });
  }
  registerReluGradient();
  return true;
}

/** True when the fused batch-norm training kernels can run now (`tensorflow` active, kernels registered). */
export function tensorflowFusedBatchNormActive(): boolean {
  return tf.getBackend() === TENSORFLOW && tf.getKernel('BeatSslBatchNormTrain', TENSORFLOW) !== undefined;
}
