import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf } from '../core/errors';
import { ensureGradients } from './ensureGradients';
import { registerWasmTrainingKernels } from './wasmTrainingKernels';
import { registerTensorflowTrainingKernels } from './tensorflowKernels';
import { BeatSslError } from '../core/errors';
import { nodeModule, nodePath } from '../core/_internal/node';

/** Backends {@link setBackend} accepts. `'auto'` picks the fastest one that loads. */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
/** A backend request: `'auto' | 'tensorflow' | 'wasm' | 'cpu'`. */
export type BackendRequest = (typeof BACKEND_NAMES)[number];

/** One candidate {@link setBackend} tried, in order. */
export interface BackendAttempt {
  /** Package (or `'registered'` when the backend was already registered by the app). */
  source: string;
  /** tfjs backend name the candidate registers (`tensorflow`, `wasm`, `cpu`). */
  backend: string;
  ok: boolean;
  /** Why it was skipped (missing package, failed init). */
  reason?: string;
}

/** Result of {@link setBackend}. */
export interface SetBackendResult {
  /** The tfjs backend now active (`tf.getBackend()`). */
  name: string;
  /** Every candidate tried, in order, with the reason for each skip. */
  tried: BackendAttempt[];
  /** True when the beat-ssl wasm training kernels (Conv2DBackpropFilter, ...) were registered. */
  wasmTrainingKernels: boolean;
  /** True when the beat-ssl tensorflow training kernels (fused batch norm, ReluGrad) were registered. */
  tensorflowTrainingKernels: boolean;
}

interface Candidate {
  pkg: string;
  backend: string;
}

const CANDIDATES: Record<Exclude<BackendRequest, 'auto'>, Candidate[]> = {
  tensorflow: [
    { pkg: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow' },
    { pkg: '@tensorflow/tfjs-node', backend: 'tensorflow' },
  ],
  wasm: [{ pkg: '@tensorflow/tfjs-backend-wasm', backend: 'wasm' }],
  cpu: [{ pkg: '@tensorflow/tfjs-backend-cpu', backend: 'cpu' }],
};

/**
 * Order of `'auto'`: native TensorFlow first (GPU, then CPU), then wasm (with the beat-ssl training
 * kernels: measured 10-100x faster than the pure-JS cpu backend for training, see
 * docs/backends-performance.md), then cpu.
 */
const AUTO_ORDER: Exclude<BackendRequest, 'auto'>[] = ['tensorflow', 'wasm', 'cpu'];

const isNode = () =>
  typeof process !== 'undefined' && typeof process.versions === 'object' && process.versions?.node !== undefined;

/** In Node, point the wasm backend at the .wasm files of the installed package (ESM builds need it). */
async function configureWasmPaths(mod: Record<string, unknown>): Promise<void> {
  if (!isNode() || typeof mod.setWasmPaths !== 'function') return;
  try {
    const { createRequire } = await nodeModule('setBackend');
    const path = await nodePath('setBackend');
    const base = path.join(process.cwd(), 'noop.js');
    const req = createRequire(base);
    let pkgJson: string;
    try {
      pkgJson = req.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    } catch {
      const main = req.resolve('@tensorflow/tfjs-backend-wasm');
      pkgJson = path.join(path.dirname(main), '..', 'package.json');
    }
    const dir = path.join(path.dirname(pkgJson), 'dist') + path.sep;
    (mod.setWasmPaths as (p: string) => void)(dir);
  } catch {
    // Leave the package's own default (works for its CommonJS Node build).
  }
}

async function tryCandidate(c: Candidate, tried: BackendAttempt[]): Promise<boolean> {
  // An app may have registered the backend itself (the browser way: `import '@tensorflow/tfjs-backend-wasm'`).
  const registered = tf.findBackendFactory(c.backend) !== null && tf.findBackendFactory(c.backend) !== undefined;
  if (!registered) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(/* @vite-ignore */ c.pkg)) as Record<string, unknown>;
    } catch (e) {
      tried.push({ source: c.pkg, backend: c.backend, ok: false, reason: `not installed (${firstLine(e)})` });
      return false;
    }
    if (c.backend === 'wasm') {
      const m = (mod.setWasmPaths ? mod : (mod.default as Record<string, unknown>)) ?? mod;
      await configureWasmPaths(m);
    }
    if (!tf.findBackendFactory(c.backend)) {
      tried.push({ source: c.pkg, backend: c.backend, ok: false, reason: 'package loaded but registered no backend' });
      return false;
    }
  }
  let ok = false;
  try {
    ok = await tf.setBackend(c.backend);
  } catch (e) {
    tried.push({ source: registered ? 'registered' : c.pkg, backend: c.backend, ok: false, reason: `init failed (${firstLine(e)})` });
    return false;
  }
  tried.push({
    source: registered ? 'registered' : c.pkg,
    backend: c.backend,
    ok,
    ...(ok ? {} : { reason: 'init failed' }),
  });
  return ok;
}

function firstLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0].slice(0, 160);
}

/**
 * Selects and initialises a TensorFlow.js backend by dynamic import of its (optional) package,
 * registers gradients, and on wasm registers the beat-ssl training kernels that the shipped wasm
 * backend lacks (conv1d weight gradient, see {@link registerWasmTrainingKernels}).
 *
 * `'auto'` tries `@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`, `@tensorflow/tfjs-backend-wasm`,
 * then `@tensorflow/tfjs-backend-cpu`; missing packages are skipped quietly and listed in `tried`.
 * A backend the app registered itself (e.g. `import '@tensorflow/tfjs-backend-wasm'` in a browser
 * bundle) is used without importing anything.
 *
 * On `tensorflow` it registers the fused training kernels of
 * {@link registerTensorflowTrainingKernels} (new kernel names: tfjs-node's own kernels are unchanged).
 *
 * @param name `'auto' | 'tensorflow' | 'wasm' | 'cpu'`
 * @returns `{ name, tried, wasmTrainingKernels, tensorflowTrainingKernels }`: the active backend,
 *   every attempt in order, and what beat-ssl registered on top of it.
 * @throws if `name` is not one of the allowed names, or if no requested backend could be started.
 * @example
 * ```ts
 * import { setBackend } from 'beat-ssl/backend';
 * const { name, tried } = await setBackend('auto');
 * console.log(name); // 'wasm' on a machine without tfjs-node
 * ```
 */
export async function setBackend(name: BackendRequest = 'auto'): Promise<SetBackendResult> {
  checkOneOf(name, BACKEND_NAMES, 'setBackend', 'name');
  const order = name === 'auto' ? AUTO_ORDER : [name];
  const tried: BackendAttempt[] = [];
  let chosen: string | null = null;
  for (const group of order) {
    for (const c of CANDIDATES[group]) {
      if (await tryCandidate(c, tried)) {
        chosen = c.backend;
        break;
      }
    }
    if (chosen) break;
  }
  if (!chosen) {
    const why = tried.map((t) => `${t.source}: ${t.reason}`).join('; ');
    throw new BeatSslError('setBackend', `name must be a backend that can be loaded here, but got "${name}" (${why}).`, 'name');
  }
  await ensureGradients();
  let wasmTrainingKernels = false;
  const tensorflowTrainingKernels = chosen === 'tensorflow' && registerTensorflowTrainingKernels();
  if (chosen === 'wasm') wasmTrainingKernels = registerWasmTrainingKernels();
  return { name: tf.getBackend(), tried, wasmTrainingKernels, tensorflowTrainingKernels };
}
