import * as tf from '@tensorflow/tfjs-core';
import { nativeStatus, type NativeStatus } from './_internal/nativeConv';
import { nativeConvKernelsActive } from './nativeKernels';

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
  /** Native conv1d addon status (Node only). */
  native: NativeStatus & { active: boolean };
  /** Running in Node.js. */
  isNode: boolean;
  /** `tf.memory()` snapshot: tensors and bytes held. */
  memory: { numTensors: number; numBytes: number };
}

/**
 * Describes the active TensorFlow.js backend and what beat-ssl added to it (training kernels,
 * native addon), for logs and bug reports.
 *
 * @returns a {@link BackendInfo} snapshot (no side effects).
 * @example
 * ```ts
 * import { setBackend, backendInfo } from 'beat-ssl/backend';
 * await setBackend('auto');
 * console.log(backendInfo()); // { name: 'wasm', wasmTrainingKernels: true, native: { active: true, ... }, ... }
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
    native: { ...nativeStatus(), active: nativeConvKernelsActive() },
    isNode: typeof process !== 'undefined' && !!process.versions?.node,
    memory: { numTensors: mem.numTensors, numBytes: mem.numBytes },
  };
}
