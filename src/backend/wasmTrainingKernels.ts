import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import {
  conv1DBackpropInputWasm,
  conv2DBackpropFilterWasm,
  isConv1DCase,
  tileBlockWasm,
  type WasmBackendLike,
  type WasmKernelFns,
} from './_internal/wasmConvGrad';

const WASM = 'wasm';
let registered = false;

/** Replaces a wasm kernel by `fast`, keeping the stock kernel for the shapes `fast` declines (null). */
function overrideWasmKernel(kernelName: string, fast: (args: Parameters<KernelFunc>[0]) => TensorInfo | null): void {
  const stock = tf.getKernel(kernelName, WASM);
  if (!stock) return;
  const stockFn: KernelFunc = stock.kernelFunc;
  tf.unregisterKernel(kernelName, WASM);
  tf.registerKernel({
    kernelName,
    backendName: WASM,
    // Keep the stock setup so the fallback works after a backend re-initialisation.
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
    kernelFunc: (args) => fast(args) ?? stockFn(args),
  });
}

function kernelFns(): WasmKernelFns | null {
  const mm = tf.getKernel('BatchMatMul', WASM);
  const conv = tf.getKernel('Conv2D', WASM);
  if (!mm || !conv) return null;
  return { batchMatMul: mm.kernelFunc, conv2d: conv.kernelFunc };
}

/**
 * Registers, for the tfjs `wasm` backend, the convolution gradient kernels that let standard
 * `tf.layers.conv1d` / `tf.conv1d` models train there unchanged:
 *
 * - `Conv2DBackpropFilter` (absent from tfjs-backend-wasm 4.x): im2col written into the wasm heap and
 *   one XNNPACK matrix product.
 * - `Conv2DBackpropInput` for conv1d shapes (height 1): a stride-1 XNNPACK convolution of the
 *   zero-stuffed output gradient with the flipped filter, measured faster than the stock kernel;
 *   other shapes keep the stock kernel.
 * - `Tile` when it repeats a whole block (the batch-norm gradient's `[1, 1, 1, c]` → `[n, 1, t, c]`):
 *   doubling copies in the heap instead of the stock element loop (33% of a training step before).
 * - `Identity` without a copy (shared data with a reference count, as on the cpu and webgl backends):
 *   gradient bookkeeping calls it hundreds of times per training step on full-size activations.
 *
 * Gradients equal the cpu backend's to 1e-4 relative (`test/backend`). Needs the wasm backend's own
 * kernels to be registered (import `@tensorflow/tfjs-backend-wasm` first, or call
 * `setBackend('wasm' | 'auto')`, which calls this). Idempotent; no effect on other backends.
 *
 * @returns true when the kernels are (now) registered, false if the wasm backend's kernels are not.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * import { registerWasmTrainingKernels } from 'beat-ssl/backend';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm'); // tf.layers.conv1d models now train on wasm
 * ```
 */
export function registerWasmTrainingKernels(): boolean {
  if (registered) return true;
  const fns = kernelFns();
  if (!fns) return false;

  if (!tf.getKernel('Conv2DBackpropFilter', WASM)) {
    const filterKernel: KernelConfig = {
      kernelName: 'Conv2DBackpropFilter',
      backendName: WASM,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
        return conv2DBackpropFilterWasm(backend as unknown as WasmBackendLike, fns, x, dy, attrs as NamedAttrMap);
      },
    };
    tf.registerKernel(filterKernel);
  }

  const be = (b: unknown) => b as WasmBackendLike;
  overrideWasmKernel('Conv2DBackpropInput', (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as NamedAttrMap;
    const inputShape = (attrs as unknown as { inputShape: number[] }).inputShape;
    return isConv1DCase(inputShape, filter.shape, attrs) ? conv1DBackpropInputWasm(be(args.backend), fns, dy, filter, attrs) : null;
  });
  overrideWasmKernel('Tile', (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return tileBlockWasm(be(args.backend), x, (args.attrs as unknown as { reps: number[] }).reps);
  });
  overrideWasmKernel('Identity', (args) => {
    // Share the data (reference count), as the cpu and webgl backends do; the stock wasm kernel copies.
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return null;
    (args.backend as unknown as { incRef(id: unknown): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
  });
  registered = true;
  return true;
}
