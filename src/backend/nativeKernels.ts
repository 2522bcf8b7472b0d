import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './_internal/wasmConvGrad';
import {
  conv1DGeometry,
  loadNativeAddon,
  nativeAddon,
  nativeConvBackpropFilter,
  nativeConvBackpropInput,
  nativeBatchNorm,
  nativeChannelBinary,
  nativeConvForward,
  nativeReduceLeading,
  nativeStatus,
  type NativeStatus,
} from './_internal/nativeConv';
import { registerWasmTrainingKernels } from './wasmTrainingKernels';

export type { NativeStatus } from './_internal/nativeConv';

const WASM = 'wasm';
let enabled = false;

/** Replaces a wasm kernel by `fast` for the shapes it handles, keeping the current kernel for the rest (null). */
function overrideConv(kernelName: string, fast: (args: Parameters<KernelFunc>[0]) => TensorInfo | null): void {
  const current = tf.getKernel(kernelName, WASM);
  if (!current) return;
  const fallback: KernelFunc = current.kernelFunc;
  tf.unregisterKernel(kernelName, WASM);
  tf.registerKernel({
    kernelName,
    backendName: WASM,
    setupFunc: current.setupFunc,
    disposeFunc: current.disposeFunc,
    kernelFunc: (args) => fast(args) ?? fallback(args),
  });
}

/**
 * Node only: loads beat-ssl's optional native conv1d addon (C++ in `native/`, AVX-512 GEMM with
 * runtime CPU detection, all cores) and routes the wasm backend's conv1d forward, input-gradient and
 * weight-gradient kernels through it, plus the batch-norm shapes: `FusedBatchNorm`, `Sum`/`Mean`
 * over all leading axes, and `Multiply`/`Add`/`Sub` of a channels-last tensor with a per-channel
 * vector or scalar. Data stays in the wasm heap (no copies); every other op stays
 * on wasm. Other convolution shapes, browsers, CPUs without AVX-512 and missing builds keep the
 * wasm kernels (see {@link registerWasmTrainingKernels}). Results match the cpu backend to 1e-4
 * relative (`test/backend`). `setBackend('wasm' | 'auto')` calls this. Idempotent.
 *
 * Environment: `BEAT_SSL_NATIVE=0` disables, `BEAT_SSL_THREADS` sets the thread count,
 * `BEAT_SSL_NATIVE_PATH` points at a `.node` build.
 *
 * @returns the addon status: `{ loaded, avx512, threads, path }` or `{ loaded: false, reason }`.
 * @example
 * ```ts
 * import { setBackend, enableNativeConvKernels } from 'beat-ssl/backend';
 * await setBackend('wasm');
 * console.log(await enableNativeConvKernels()); // { loaded: true, avx512: true, threads: 2, ... }
 * ```
 */
export async function enableNativeConvKernels(): Promise<NativeStatus & { active: boolean }> {
  if (enabled) return { ...nativeStatus(), active: true };
  const st = await loadNativeAddon();
  if (!st.loaded || !nativeAddon()) return { ...st, active: false };
  if (!st.avx512) return { ...st, active: false, reason: 'CPU without AVX-512: the wasm (XNNPACK) kernels are faster' };
  if (!registerWasmTrainingKernels()) return { ...st, active: false, reason: 'wasm backend kernels not registered' };
  const be = (b: unknown) => b as WasmBackendLike;
  overrideConv('Conv2D', ({ inputs, backend, attrs }) => {
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    const g = conv1DGeometry(x.shape, filter.shape, attrs as NamedAttrMap);
    return g && x.dtype === 'float32' ? nativeConvForward(be(backend), g, x, filter) : null;
  });
  overrideConv('Conv2DBackpropInput', ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const inputShape = (attrs as unknown as { inputShape: number[] }).inputShape;
    const g = conv1DGeometry(inputShape, filter.shape, attrs as NamedAttrMap);
    return g ? nativeConvBackpropInput(be(backend), g, dy, filter) : null;
  });
  overrideConv('Conv2DBackpropFilter', ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const filterShape = (attrs as unknown as { filterShape: number[] }).filterShape;
    const g = conv1DGeometry(x.shape, filterShape, attrs as NamedAttrMap);
    return g ? nativeConvBackpropFilter(be(backend), g, x, dy) : null;
  });
  if (nativeAddon()!.channelOp) {
    // Batch-norm shapes: the stock wasm Sum/Mean transpose the whole tensor first for these axes.
    for (const [name, mean] of [['Sum', false], ['Mean', true]] as const) {
      overrideConv(name, ({ inputs, backend, attrs }) => {
        const { x } = inputs as { x: TensorInfo };
        const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
        return nativeReduceLeading(be(backend), x, axis, keepDims, mean);
      });
    }
    for (const [name, op] of [['Multiply', 'mul'], ['Add', 'add'], ['Sub', 'sub']] as const) {
      overrideConv(name, ({ inputs, backend }) => {
        const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
        return nativeChannelBinary(be(backend), op, a, b);
      });
    }
    overrideConv('FusedBatchNorm', ({ inputs, backend, attrs }) => {
      const { x, mean, variance, offset, scale } = inputs as Record<string, TensorInfo | undefined>;
      const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
      return nativeBatchNorm(be(backend), x!, mean!, variance!, offset, scale, eps);
    });
  }
  enabled = true;
  return { ...nativeStatus(), active: true };
}

/** True once {@link enableNativeConvKernels} has routed the wasm conv1d kernels to the addon. */
export function nativeConvKernelsActive(): boolean {
  return enabled;
}
