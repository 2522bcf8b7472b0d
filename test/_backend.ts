/**
 * The backend a test suite runs on: `cpu` by default, or the one named by the environment variable
 * `BEAT_SSL_TEST_BACKEND` (`tensorflow` | `wasm` | `cpu`). CI runs the training, inference, loss and
 * model suites a second time with `BEAT_SSL_TEST_BACKEND=tensorflow` (see .ci/run and
 * docs/backends-performance.md → "Tested backends").
 *
 * Suites call {@link useTestBackend} where they used to call `tf.setBackend('cpu')`. When the
 * requested backend cannot be loaded here, test/_backendSetup.ts (a vitest setup file) skips every
 * test with {@link TEST_BACKEND_SKIP} as the reason: the lane is reported as skipped, never as passed.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/** Backend names a test lane may request. */
export type TestBackend = 'cpu' | 'tensorflow' | 'wasm';

const requested = (process.env.BEAT_SSL_TEST_BACKEND ?? 'cpu').trim() || 'cpu';
if (!['cpu', 'tensorflow', 'wasm'].includes(requested)) {
  throw new Error(`BEAT_SSL_TEST_BACKEND must be one of cpu, tensorflow, wasm, but got "${requested}".`);
}

/** The backend the lane runs on. */
export const TEST_BACKEND = requested as TestBackend;

/**
 * Whether `@tensorflow/tfjs-node` loads and registers the `tensorflow` backend here; the reason
 * when not (for `describe.skipIf(...)` messages).
 */
export async function tensorflowUnavailable(): Promise<string | false> {
  try {
    await import(/* @vite-ignore */ '@tensorflow/tfjs-node');
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return `@tensorflow/tfjs-node not loadable (${msg.slice(0, 160)}); set it up with: node scripts/setup-tfjs-node.mjs`;
  }
  if (!tf.findBackendFactory('tensorflow')) return '@tensorflow/tfjs-node loaded but registered no tensorflow backend';
  return false;
}

async function probeRequested(): Promise<string | false> {
  if (TEST_BACKEND === 'cpu') return false;
  if (TEST_BACKEND === 'tensorflow') return tensorflowUnavailable();
  try {
    await import(/* @vite-ignore */ '@tensorflow/tfjs-backend-wasm');
    return false;
  } catch (e) {
    return `@tensorflow/tfjs-backend-wasm not loadable (${String(e).slice(0, 160)})`;
  }
}

/** Why the requested lane backend cannot run here, or `false` when it can. */
export const TEST_BACKEND_SKIP: string | false = await probeRequested();

/**
 * Activates the lane's backend through the library's own `setBackend` (so that what beat-ssl
 * registers on it is exercised too), or the pure-JS `cpu` reference by default. Returns its name.
 */
export async function useTestBackend(): Promise<string> {
  if (TEST_BACKEND === 'cpu' || TEST_BACKEND_SKIP) {
    await tf.setBackend('cpu');
    return 'cpu';
  }
  const { setBackend } = await import('../src/backend/setBackend');
  const r = await setBackend(TEST_BACKEND);
  if (r.name !== TEST_BACKEND) throw new Error(`useTestBackend: wanted ${TEST_BACKEND}, got ${r.name}`);
  return r.name;
}

/**
 * Whether the stock wasm backend initialises here (tried at collection time, then `cpu` is made
 * active again); the reason when not, for `describe.skipIf(...)`.
 */
export async function wasmUnavailable(): Promise<string | false> {
  try {
    await import(/* @vite-ignore */ '@tensorflow/tfjs-backend-wasm');
    const ok = await tf.setBackend('wasm');
    await tf.setBackend('cpu');
    return ok ? false : '@tensorflow/tfjs-backend-wasm did not initialise';
  } catch (e) {
    await tf.setBackend('cpu');
    return `@tensorflow/tfjs-backend-wasm unavailable (${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 160)})`;
  }
}
