/**
 * Optional native conv1d kernels (Node only): our C++ addon in `native/` (AVX-512 GEMM micro-kernel,
 * runtime-detected, std::thread workers), built by node-gyp. Loaded with `createRequire` from the
 * package directory; when absent or unloadable every caller falls back to the wasm kernels.
 * @module
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasmConvGrad';
import { nodeFsSync, nodeModule, nodeOs, nodePath, nodeUrl } from '../../core/_internal/node';

/** The addon's exports. */
export interface NativeConvAddon {
  /** op 0: forward (x, w → y); 1: input gradient (dy, w → dx); 2: weight gradient (x, dy → dw). */
  conv1d(
    op: 0 | 1 | 2,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    n: number,
    win: number,
    cin: number,
    cout: number,
    k: number,
    stride: number,
    padLeft: number,
    wout: number,
    threads: number,
  ): void;
  /** op 0: column sums of `x [rows, c]` into `out [c]`; op 1: `out = (x − m) · s + o` per channel. */
  channelOp?(op: 0 | 1, x: Float32Array, out: Float32Array, rows: number, c: number, m?: Float32Array, s?: Float32Array, o?: Float32Array): void;
  info(): { avx512: boolean; hardwareThreads: number; abi: string };
}

/** Load state of the addon (for `backendInfo()`). */
export interface NativeStatus {
  loaded: boolean;
  path?: string;
  avx512?: boolean;
  threads?: number;
  reason?: string;
}

let addon: NativeConvAddon | null = null;
let status: NativeStatus = { loaded: false, reason: 'not attempted' };

/** The loaded addon, or null. */
export function nativeAddon(): NativeConvAddon | null {
  return addon;
}

/** Last load status. */
export function nativeStatus(): NativeStatus {
  return { ...status };
}

const ADDON_REL = ['native', 'build', 'Release', 'beat_ssl_native.node'];

/**
 * Tries to load the addon (Node only; `BEAT_SSL_NATIVE=0` disables it, `BEAT_SSL_NATIVE_PATH` points
 * at a build, `BEAT_SSL_THREADS` sets the worker count, default: all cores). Searches upward from
 * this module and from the working directory for `native/build/Release/beat_ssl_native.node`.
 */
export async function loadNativeAddon(): Promise<NativeStatus> {
  if (addon) return nativeStatus();
  const proc = typeof process !== 'undefined' ? process : undefined;
  if (!proc?.versions?.node) {
    status = { loaded: false, reason: 'not Node.js' };
    return nativeStatus();
  }
  if (proc.env.BEAT_SSL_NATIVE === '0') {
    status = { loaded: false, reason: 'disabled by BEAT_SSL_NATIVE=0' };
    return nativeStatus();
  }
  try {
    const FN = 'loadNativeAddon';
    const { createRequire } = await nodeModule(FN);
    const path = await nodePath(FN);
    const fs = await nodeFsSync(FN);
    const url = await nodeUrl(FN);
    const os = await nodeOs(FN);
    const starts: string[] = [];
    try {
      const here = typeof __filename === 'string' ? __filename : url.fileURLToPath(import.meta.url);
      starts.push(path.dirname(here));
    } catch {
      // no module location (bundled): only cwd.
    }
    starts.push(proc.cwd());
    const candidates: string[] = [];
    if (proc.env.BEAT_SSL_NATIVE_PATH) candidates.push(proc.env.BEAT_SSL_NATIVE_PATH);
    for (const s of starts) {
      let dir = s;
      for (let i = 0; i < 6; i++) {
        candidates.push(path.join(dir, ...ADDON_REL));
        candidates.push(path.join(dir, 'node_modules', 'beat-ssl', ...ADDON_REL));
        const up = path.dirname(dir);
        if (up === dir) break;
        dir = up;
      }
    }
    const found = candidates.find((c) => fs.existsSync(c));
    if (!found) {
      status = { loaded: false, reason: 'addon not built (run: node native/build.mjs)' };
      return nativeStatus();
    }
    const req = createRequire(path.join(proc.cwd(), 'noop.js'));
    const mod = req(found) as NativeConvAddon;
    const info = mod.info();
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const threads = Math.max(1, Number(proc.env.BEAT_SSL_THREADS) || cores);
    addon = mod;
    status = { loaded: true, path: found, avx512: info.avx512, threads };
  } catch (e) {
    status = { loaded: false, reason: `load failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  return nativeStatus();
}

interface Conv1DGeom {
  n: number;
  win: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  padLeft: number;
  wout: number;
}

/** Geometry of a channels-last conv1d expressed as Conv2D (height 1), or null for other convolutions. */
export function conv1DGeometry(xShape: number[], filterShape: number[], attrs: NamedAttrMap): Conv1DGeom | null {
  if (xShape.length !== 4 || filterShape.length !== 4 || xShape[1] !== 1 || filterShape[0] !== 1) return null;
  const a = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat?: 'NHWC' | 'NCHW';
    dilations?: number | [number, number];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC') return null;
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.outHeight !== 1 || info.padInfo.top !== 0 || info.dilationWidth !== 1 || info.dilationHeight !== 1) return null;
  return {
    n: info.batchSize,
    win: info.inWidth,
    cin: info.inChannels,
    cout: info.outChannels,
    k: info.filterWidth,
    stride: info.strideWidth,
    padLeft: info.padInfo.left,
    wout: info.outWidth,
  };
}

function call(op: 0 | 1 | 2, g: Conv1DGeom, a: Float32Array, b: Float32Array, out: Float32Array): void {
  addon!.conv1d(op, a, b, out, g.n, g.win, g.cin, g.cout, g.k, g.stride, g.padLeft, g.wout, status.threads ?? 1);
}

/** Native conv1d forward into a new wasm-heap tensor `[n, 1, wout, cout]`. */
export function nativeConvForward(backend: WasmBackendLike, g: Conv1DGeom, x: TensorInfo, filter: TensorInfo): TensorInfo {
  const out = backend.makeOutput([g.n, 1, g.wout, g.cout], 'float32');
  call(0, g, backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(filter), backend.typedArrayFromHeap(out));
  return out;
}

/** Native conv1d input gradient `[n, 1, win, cin]`. */
export function nativeConvBackpropInput(backend: WasmBackendLike, g: Conv1DGeom, dy: TensorInfo, filter: TensorInfo): TensorInfo {
  const out = backend.makeOutput([g.n, 1, g.win, g.cin], 'float32');
  call(1, g, backend.typedArrayFromHeap(dy), backend.typedArrayFromHeap(filter), backend.typedArrayFromHeap(out));
  return out;
}

/** Native conv1d weight gradient `[1, k, cin, cout]`. */
export function nativeConvBackpropFilter(backend: WasmBackendLike, g: Conv1DGeom, x: TensorInfo, dy: TensorInfo): TensorInfo {
  const out = backend.makeOutput([1, g.k, g.cin, g.cout], 'float32');
  call(2, g, backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(dy), backend.typedArrayFromHeap(out));
  return out;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Native sum or mean over every axis but the last (the batch-norm reductions), or null when the
 * axes are not that case or the addon lacks channel ops. Output `[c]` or `[1, ..., 1, c]` (keepDims).
 */
export function nativeReduceLeading(backend: WasmBackendLike, x: TensorInfo, axis: number | number[], keepDims: boolean, mean: boolean): TensorInfo | null {
  if (!addon?.channelOp || x.dtype !== 'float32' || x.shape.length < 2) return null;
  const r = x.shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + r : a)).sort((a, b) => a - b);
  if (axes.length !== r - 1 || axes.some((a, i) => a !== i)) return null;
  const c = x.shape[r - 1];
  const rows = size(x.shape) / c;
  if (rows < 2 || c < 1) return null;
  const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), c] : [c], 'float32');
  const ov = backend.typedArrayFromHeap(out);
  addon.channelOp(0, backend.typedArrayFromHeap(x), ov, rows, c);
  if (mean) for (let j = 0; j < c; j++) ov[j] /= rows;
  return out;
}

/** Native `FusedBatchNorm` for channels-last x and `[c]` statistics: `(x − mean) · scale / √(var + ε) + offset`. */
export function nativeBatchNorm(
  backend: WasmBackendLike,
  x: TensorInfo,
  mean: TensorInfo,
  variance: TensorInfo,
  offset: TensorInfo | undefined,
  scale: TensorInfo | undefined,
  eps: number,
): TensorInfo | null {
  if (!addon?.channelOp || x.dtype !== 'float32' || x.shape.length < 2) return null;
  const c = x.shape[x.shape.length - 1];
  for (const v of [mean, variance, offset, scale]) if (v && (size(v.shape) !== c || v.dtype !== 'float32')) return null;
  const rows = size(x.shape) / c;
  const m = backend.typedArrayFromHeap(mean).slice(0, c);
  const vv = backend.typedArrayFromHeap(variance);
  const sc = scale ? backend.typedArrayFromHeap(scale) : null;
  const s = new Float32Array(c);
  for (let j = 0; j < c; j++) s[j] = (sc ? sc[j] : 1) / Math.sqrt(vv[j] + eps);
  const o = offset ? backend.typedArrayFromHeap(offset).slice(0, c) : new Float32Array(c);
  const out = backend.makeOutput(x.shape.slice(), 'float32');
  addon.channelOp(1, backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), rows, c, m, s, o);
  return out;
}

/**
 * Native `a ∘ b` (mul/add/sub) when one side is a channels-last tensor `[..., c]` of at least 4096
 * elements and the other a channel vector (`[c]`, `[1, ..., 1, c]`) or a scalar, via the addon's
 * `(x − m) · s + o`. Null for other shapes (small tensors stay on wasm: call overhead dominates).
 */
export function nativeChannelBinary(backend: WasmBackendLike, op: 'mul' | 'add' | 'sub', a: TensorInfo, b: TensorInfo): TensorInfo | null {
  if (!addon?.channelOp || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const isVecFor = (v: TensorInfo, full: TensorInfo) => {
    if (full.shape.length < 1 || size(full.shape) < 4096) return false;
    if (v.shape.length === 0 || size(v.shape) === 1) return v.shape.length <= full.shape.length;
    const c = full.shape[full.shape.length - 1];
    if (v.shape.length > full.shape.length || v.shape[v.shape.length - 1] !== c) return false;
    for (let i = 0; i < v.shape.length - 1; i++) if (v.shape[i] !== 1) return false;
    return true;
  };
  let full: TensorInfo;
  let vec: TensorInfo;
  let vecFirst = false;
  if (isVecFor(b, a)) {
    full = a;
    vec = b;
  } else if (isVecFor(a, b)) {
    full = b;
    vec = a;
    vecFirst = true;
  } else return null;
  const c = full.shape.length ? full.shape[full.shape.length - 1] : 1;
  const rows = size(full.shape) / c;
  const vv = backend.typedArrayFromHeap(vec);
  const v = size(vec.shape) === 1 ? new Float32Array(c).fill(vv[0]) : vv.slice(0, c);
  const zeros = new Float32Array(c);
  const ones = new Float32Array(c).fill(1);
  let m = zeros;
  let s = ones;
  let o = zeros;
  if (op === 'mul') s = v;
  else if (op === 'add') o = v;
  else if (!vecFirst) m = v; // x − v
  else {
    m = v; // v − x = (x − v) · (−1)
    s = new Float32Array(c).fill(-1);
  }
  const out = backend.makeOutput(full.shape.slice(), 'float32');
  addon.channelOp(1, backend.typedArrayFromHeap(full), backend.typedArrayFromHeap(out), rows, c, m, s, o);
  return out;
}
