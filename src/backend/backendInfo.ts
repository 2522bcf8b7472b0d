import * as tf from '@tensorflow/tfjs-core';

/** What {@link backendInfo} reports about the running tfjs setup. */
export interface BackendInfo {
  /** Active backend name (`tf.getBackend()`), e.g. `'wasm'`. */
  name: string;
  /** Backends registered with tfjs (loaded packages), in registration order. */
  registered: string[];
  /** tfjs-core version. */
  tfjsVersion: string;
  /** True when gradients are registered (`tf.grads`, `optimizer.minimize` work). */
  gradients: boolean;
  /** On wasm: the beat-ssl training kernels are registered (Conv2DBackpropFilter present). */
  wasmTrainingKernels: boolean;
  /** On wasm: SIMD and multi-threading flags of the wasm backend (null elsewhere). */
  wasm: { simd: boolean | null; threads: boolean | null } | null;
  /** On tensorflow: the beat-ssl training kernels (fused batch norm, ReluGrad) are registered. */
  tensorflowTrainingKernels: boolean;
  /** Running in Node.js. */
  isNode: boolean;
  /** `tf.memory()` snapshot: tensors and bytes held. */
  memory: { numTensors: number; numBytes: number };
}

/**
 * Describes the active TensorFlow.js backend and what beat-ssl added to it (training kernels,
 * tensorflow training kernels), for logs and bug reports.
 *
 * @returns a {@link BackendInfo} snapshot (no side effects).
 * @example
 * ```ts
 * import { setBackend, backendInfo } from 'beat-ssl/backend';
 * await setBackend('auto');
 * console.log(backendInfo()); // { name: 'tensorflow', tensorflowTrainingKernels: true, ... }
 * ```
 */
export function backendInfo(): BackendInfo {
  const name = tf.getBackend() ?? '';
  const registry = (tf.engine() as unknown as { registryFactory: Record<string, unknown> }).registryFactory ?? {};
  const flag = (f: string): boolean | null => {
    try {
      const v = tf.env().get(f);
      return typeof v === 'boolean' ? v : null;
    } catch {
      return null;
    }
  };
  const mem = tf.memory();
  return {
    name,
    registered: Object.keys(registry),
    tfjsVersion: tf.version_core,
    gradients: tf.getGradient('Conv2D') !== undefined,
    wasmTrainingKernels: tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined,
    wasm: name === 'wasm' ? { simd: flag('WASM_HAS_SIMD_SUPPORT'), threads: flag('WASM_HAS_MULTITHREAD_SUPPORT') } : null,
    tensorflowTrainingKernels: tf.getKernel('BeatSslBatchNormTrain', 'tensorflow') !== undefined,
    isNode: typeof process !== 'undefined' && !!process.versions?.node,
    memory: { numTensors: mem.numTensors, numBytes: mem.numBytes },
  };
}
