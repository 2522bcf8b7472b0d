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

  const stockInput = tf.getKernel('Conv2DBackpropInput', WASM);
  if (stockInput) {
    const stockFn: KernelFunc = stockInput.kernelFunc;
    tf.unregisterKernel('Conv2DBackpropInput', WASM);
    tf.registerKernel({
      kernelName: 'Conv2DBackpropInput',
      backendName: WASM,
      // Keep the stock setup so the fallback works after a backend re-initialisation.
      setupFunc: stockInput.setupFunc,
      disposeFunc: stockInput.disposeFunc,
      kernelFunc: (args) => {
        const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
        const attrs = args.attrs as NamedAttrMap;
        const inputShape = (attrs as unknown as { inputShape: number[] }).inputShape;
        if (isConv1DCase(inputShape, filter.shape, attrs)) {
          return conv1DBackpropInputWasm(args.backend as unknown as WasmBackendLike, fns, dy, filter, attrs);
        }
        return stockFn(args);
      },
    });
  }
  const stockTile = tf.getKernel('Tile', WASM);
  if (stockTile) {
    const stockFn: KernelFunc = stockTile.kernelFunc;
    tf.unregisterKernel('Tile', WASM);
    tf.registerKernel({
      kernelName: 'Tile',
      backendName: WASM,
      setupFunc: stockTile.setupFunc,
      disposeFunc: stockTile.disposeFunc,
      kernelFunc: (args) => {
        const { x } = args.inputs as { x: TensorInfo };
        const { reps } = args.attrs as unknown as { reps: number[] };
        return tileBlockWasm(args.backend as unknown as WasmBackendLike, x, reps) ?? stockFn(args);
      },
    });
  }
  registered = true;
  return true;
}
