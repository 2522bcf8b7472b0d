/**
 * Convolution gradient kernels for the tfjs wasm backend, written against the backend's own kernels
 * (XNNPACK `BatchMatMul`, `Conv2D`, `Transpose`) and JS copies into its heap. No import of the wasm
 * package: everything goes through the `backend` object tfjs passes to a kernel.
 * @module
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { DataId, DataType, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-wasm's `BackendWasm` these kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** Kernel functions of the wasm backend that these kernels call (looked up at registration). */
export interface WasmKernelFns {
  batchMatMul: KernelFunc;
  conv2d: KernelFunc;
}

type Conv2DInfo = backend_util.Conv2DInfo;

function convInfoOf(xShape: number[], filterShape: number[], attrs: NamedAttrMap): Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat ?? 'NHWC'),
  );
}

/**
 * Weight gradient of a channels-last 2D convolution (dilation 1), `dW = im2col(x)ᵀ · dy`.
 * The transposed patch matrix `Pᵀ [fh·fw·cin, n·oh·ow]` is written straight into the wasm heap so
 * that the product is one plain `BatchMatMul` (no transpose flags: those take a slow path on wasm).
 * Returns `[fh, fw, cin, cout]`.
 */
export function conv2DBackpropFilterWasm(
  backend: WasmBackendLike,
  fns: WasmKernelFns,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo {
  const filterShape = (attrs as unknown as { filterShape: number[] }).filterShape;
  const info = convInfoOf(x.shape, filterShape, attrs);
  if (info.dataFormat !== 'channelsLast') {
    throw new Error("Conv2DBackpropFilter on wasm (beat-ssl) supports dataFormat 'NHWC' only.");
  }
  const { batchSize: n, inHeight: ih, inWidth: iw, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const rows = fh * fw * cin;
  const cols = n * oh * ow;
  const pt = backend.makeOutput([rows, cols], 'float32');
  try {
    // Views are taken after every allocation (heap growth detaches older views).
    const ptv = backend.typedArrayFromHeap(pt);
    const xv = backend.typedArrayFromHeap(x);
    fillTransposedPatches(ptv, xv, n, ih, iw, cin, oh, ow, fh, fw, sh, sw, padTop, padLeft);
    const dy2 = { dataId: dy.dataId, shape: [cols, cout], dtype: dy.dtype } as TensorInfo;
    const out = fns.batchMatMul({
      inputs: { a: pt, b: dy2 },
      attrs: { transposeA: false, transposeB: false },
      backend: backend as never,
    }) as TensorInfo;
    out.shape = [fh, fw, cin, cout];
    return out;
  } finally {
    backend.disposeData(pt.dataId);
  }
}

/** `pt[(kh·fw + kw)·cin + c, (b·oh + y)·ow + t] = x[b, y·sh + kh − padTop, t·sw + kw − padLeft, c]` (0 outside). */
export function fillTransposedPatches(
  pt: Float32Array,
  x: Float32Array,
  n: number,
  ih: number,
  iw: number,
  cin: number,
  oh: number,
  ow: number,
  fh: number,
  fw: number,
  sh: number,
  sw: number,
  padTop: number,
  padLeft: number,
): void {
  const cols = n * oh * ow;
  const xRow = iw * cin;
  const xBatch = ih * xRow;
  const xStep = sw * cin;
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      // Output columns t whose input column t·sw + kw − padLeft is inside [0, iw).
      const tLo = Math.max(0, Math.ceil((padLeft - kw) / sw));
      const tHi = Math.min(ow, Math.floor((iw - 1 + padLeft - kw) / sw) + 1);
      for (let c = 0; c < cin; c++) {
        const rowBase = ((kh * fw + kw) * cin + c) * cols;
        for (let b = 0; b < n; b++) {
          for (let y = 0; y < oh; y++) {
            const dst = rowBase + (b * oh + y) * ow;
            const iy = y * sh + kh - padTop;
            if (iy < 0 || iy >= ih || tHi <= tLo) {
              pt.fill(0, dst, dst + ow);
              continue;
            }
            if (tLo > 0) pt.fill(0, dst, dst + tLo);
            if (tHi < ow) pt.fill(0, dst + tHi, dst + ow);
            let src = b * xBatch + iy * xRow + (tLo * sw + kw - padLeft) * cin + c;
            for (let t = tLo; t < tHi; t++, src += xStep) pt[dst + t] = x[src];
          }
        }
      }
    }
  }
}

/**
 * Input gradient of a channels-last convolution with height 1 (conv1d), as a stride-1 'valid'
 * XNNPACK convolution of the zero-stuffed, zero-padded output gradient with the flipped,
 * channel-swapped filter. Returns `[n, 1, iw, cin]`.
 */
export function conv1DBackpropInputWasm(
  backend: WasmBackendLike,
  fns: WasmKernelFns,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo {
  const inputShape = (attrs as unknown as { inputShape: number[] }).inputShape;
  const info = convInfoOf(inputShape, filter.shape, attrs);
  const { batchSize: n, inWidth: iw, inChannels: cin, outWidth: ow, outChannels: cout, filterWidth: k, strideWidth: s } = info;
  const padLeft = info.padInfo.left;
  // U[q] = dy[o] where q = o·s + (k − 1 − padLeft); dx[i] = Σ_j U[i + j] · Wf[j], Wf[j] = W[k − 1 − j]ᵀ.
  const len = iw + k - 1;
  const off = k - 1 - padLeft;
  const u = backend.makeOutput([n, 1, len, cout], 'float32');
  const wf = backend.makeOutput([1, k, cout, cin], 'float32');
  try {
    const uv = backend.typedArrayFromHeap(u);
    const wfv = backend.typedArrayFromHeap(wf);
    const dyv = backend.typedArrayFromHeap(dy);
    const wv = backend.typedArrayFromHeap(filter);
    uv.fill(0);
    for (let b = 0; b < n; b++) {
      const ub = b * len * cout;
      const db = b * ow * cout;
      if (s === 1) {
        // Contiguous block: rows o ↦ q = o + off, clipped to [0, len).
        const oLo = Math.max(0, -off);
        const oHi = Math.min(ow, len - off);
        if (oHi > oLo) uv.set(dyv.subarray(db + oLo * cout, db + oHi * cout), ub + (oLo + off) * cout);
      } else {
        for (let o = 0; o < ow; o++) {
          const q = o * s + off;
          if (q < 0 || q >= len) continue;
          uv.set(dyv.subarray(db + o * cout, db + (o + 1) * cout), ub + q * cout);
        }
      }
    }
    // W [1, k, cin, cout] → Wf [1, k, cout, cin] flipped in k.
    for (let j = 0; j < k; j++) {
      const src = (k - 1 - j) * cin * cout;
      const dst = j * cout * cin;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) wfv[dst + co * cin + ci] = wv[src + ci * cout + co];
      }
    }
    return fns.conv2d({
      inputs: { x: u, filter: wf },
      attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined } as unknown as NamedAttrMap,
      backend: backend as never,
    }) as TensorInfo;
  } finally {
    backend.disposeData(u.dataId);
    backend.disposeData(wf.dataId);
  }
}

/** True when the conv described by `attrs` is a channels-last conv1d (height 1, no vertical padding). */
export function isConv1DCase(inputShape: number[], filterShape: number[], attrs: NamedAttrMap): boolean {
  if (inputShape.length !== 4 || filterShape.length !== 4) return false;
  const df = (attrs as { dataFormat?: string }).dataFormat ?? 'NHWC';
  if (df !== 'NHWC') return false;
  if (inputShape[1] !== 1 || filterShape[0] !== 1) return false;
  const info = convInfoOf(inputShape, filterShape, attrs);
  return info.outHeight === 1 && info.padInfo.top === 0 && info.dilationWidth === 1;
}

/**
 * Fast path of `Tile` when the output is the whole input block repeated (every input dimension up to
 * the last tiled one has size 1, e.g. `[1, 1, 1, c]` tiled to `[n, 1, t, c]` in the batch-norm
 * gradient). Returns null for other shapes (the caller uses the stock kernel).
 */
export function tileBlockWasm(backend: WasmBackendLike, x: TensorInfo, reps: number[]): TensorInfo | null {
  if (x.dtype !== 'float32' || reps.length !== x.shape.length) return null;
  let last = -1;
  for (let i = 0; i < reps.length; i++) if (reps[i] !== 1) last = i;
  if (last < 0) return null;
  for (let i = 0; i <= last; i++) if (x.shape[i] !== 1) return null;
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const block = x.shape.reduce((a, b) => a * b, 1);
  const copies = reps.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput(outShape, 'float32');
  const ov = backend.typedArrayFromHeap(out);
  const xv = backend.typedArrayFromHeap(x);
  const total = block * copies;
  if (block === 1) {
    ov.fill(xv[0]);
    return out;
  }
  ov.set(xv.subarray(0, block), 0);
  let filled = block;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    ov.copyWithin(filled, 0, n);
    filled += n;
  }
  return out;
}
