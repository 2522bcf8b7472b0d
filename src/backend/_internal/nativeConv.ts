/**
 * Optional native conv1d kernels (Node only): our C++ addon in `native/` (AVX-512 GEMM micro-kernel,
 * runtime-detected, std::thread workers), built by node-gyp. Loaded with `createRequire` from the
 * package directory; when absent or unloadable every caller falls back to the wasm kernels.
 * @module
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasmConvGrad';

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
    const { createRequire } = await import(/* @vite-ignore */ 'node:module');
    const path = await import(/* @vite-ignore */ 'node:path');
    const fs = await import(/* @vite-ignore */ 'node:fs');
    const url = await import(/* @vite-ignore */ 'node:url');
    const os = await import(/* @vite-ignore */ 'node:os');
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
      status = { loaded: false, reason: 'addon not built (npm run build:native)' };
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
