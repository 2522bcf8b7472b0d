/**
 * Per-record precomputation over a folder, cached on disk and run in parallel on
 * `node:worker_threads` (Node only).
 *
 * A task is a function `(recordPath, config) => value` exported by an ES module that worker
 * threads can import (`task.module` is its URL or path; `.ts` modules are loaded through `tsx`
 * when it is installed, as in this repository's tests and eval scripts). Values go through the
 * {@link RecordCache} (keyed by the record files' contents and `config`) so a second run reads
 * them from disk.
 * @module
 */
import { check, checkInt, fail } from '../core/errors';
import { createRecordCache, type RecordCache } from './cache';
import { nodeFs, nodeOs, nodePath, nodeUrl, nodeWorkerThreads } from '../core/_internal/node';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** A precomputation function, identified so that a worker thread can import it. */
export interface PrecomputeTask {
  /** URL (`file://…`) or absolute path of an ES module. */
  module: string;
  /** Name of the exported function `(recordPath: string, config) => value | Promise<value>`. */
  exportName: string;
}

/** Options of {@link precomputeRecords}. */
export interface PrecomputeOptions {
  /** The function to run per record. */
  task: PrecomputeTask;
  /** JSON-serialisable settings passed to the task and mixed into the cache key. */
  config?: unknown;
  /** A cache, or a folder for one; `null` disables caching. Default `null`. */
  cache?: RecordCache | string | null;
  /** Cache namespace when `cache` is a folder (default: the task's export name). */
  namespace?: string;
  /** Worker threads (default: 0 below 16 records, else `min(4, cpus − 1)`; 0 = in this thread). */
  workers?: number;
  /** Called after each record with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@link precomputeRecords}. */
export interface PrecomputeResult<T> {
  /** One value per input path, in input order. */
  values: T[];
  /** How many values came from the cache. */
  cacheHits: number;
  /** Worker threads actually used (0 when computed in this thread). */
  workers: number;
}

/** Record files whose contents key the cache: `<name>.*` next to the header (data and annotation files). */
async function recordFiles(recordPath: string): Promise<string[]> {
  const fs = await nodeFs('precomputeRecords');
  const path = await nodePath('precomputeRecords');
  const dir = path.dirname(recordPath);
  const base = path.basename(recordPath);
  const names = await fs.readdir(dir).catch(() => fail('precomputeRecords', 'paths', 'record paths in readable folders', recordPath));
  const files = names.filter((n) => n.startsWith(base + '.') && !n.endsWith('.tmp')).sort().map((n) => path.join(dir, n));
  if (!files.some((f) => f.endsWith('.hea'))) fail('precomputeRecords', 'paths', 'WFDB record paths with a .hea file', recordPath);
  return files;
}

// Kept in a variable so bundlers (tsup/esbuild) do not try to bundle tsx into the library.
const TSX_ESM_API = 'tsx/esm/api';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const load = (url) => url.endsWith('.ts') || url.endsWith('.mts')
  ? import('tsx/esm/api').then((api) => api.tsImport(url, url))
  : import(url);
load(workerData.module).then((m) => {
  const fn = m[workerData.exportName] || (m.default && m.default[workerData.exportName]);
  if (typeof fn !== 'function') throw new Error('export ' + workerData.exportName + ' is not a function in ' + workerData.module);
  parentPort.postMessage({ ready: true });
  parentPort.on('message', async ({ id, path }) => {
    try {
      const value = await fn(path, workerData.config);
      parentPort.postMessage({ id, value });
    } catch (e) {
      parentPort.postMessage({ id, error: String((e && e.message) || e) });
    }
  });
}).catch((e) => parentPort.postMessage({ ready: false, error: String((e && e.message) || e) }));
`;

/**
 * Runs a precomputation task on every record, with a disk cache and worker threads.
 * @param paths record paths (without extension)
 * @param opts task, config, cache, workers; see {@link PrecomputeOptions}
 * @returns values in input order, cache hits and the number of workers used
 * @throws when the task cannot be loaded or fails on a record (the record is named)
 * @example
 * const { values } = await precomputeRecords(await listWfdbRecords(dir), {
 *   task: { module: new URL('./myTask.js', import.meta.url).href, exportName: 'peaksOf' },
 *   config: { fs: 100 }, cache: '.cache/beat-ssl', workers: 2,
 * });
 */
export async function precomputeRecords<T = unknown>(paths: readonly string[], opts: PrecomputeOptions): Promise<PrecomputeResult<T>> {
  const fn = 'precomputeRecords';
  check(Array.isArray(paths) && paths.every((p) => typeof p === 'string'), fn, 'paths', 'an array of record paths', paths);
  check(opts !== null && typeof opts === 'object', fn, 'opts', 'an options object { task, config?, cache?, namespace?, workers?, onProgress? }', opts);
  checkOptions(opts, optionKeys<PrecomputeOptions>()('task', 'config', 'cache', 'namespace', 'workers', 'onProgress'), fn);
  check(opts != null && opts.task != null && typeof opts.task.module === 'string' && typeof opts.task.exportName === 'string', fn, 'opts.task', '{ module, exportName }', opts?.task);
  const path = await nodePath('precomputeRecords');
  const os = await nodeOs('precomputeRecords');
  const url = await nodeUrl('precomputeRecords');
  const moduleUrl = opts.task.module.startsWith('file:') ? opts.task.module : url.pathToFileURL(path.resolve(opts.task.module)).href;
  const config = opts.config ?? null;
  const cache = typeof opts.cache === 'string' ? await createRecordCache(opts.cache, opts.namespace ?? opts.task.exportName) : opts.cache ?? null;
  const defaultWorkers = paths.length < 16 ? 0 : Math.max(1, Math.min(4, os.cpus().length - 1));
  const nWorkers = Math.min(checkInt(opts.workers ?? defaultWorkers, fn, 'opts.workers', 0), paths.length);
  const total = paths.length;
  const values = new Array<T>(total);
  const todo: number[] = [];
  const keys: (string | null)[] = new Array(total).fill(null);
  let cacheHits = 0;
  let done = 0;
  for (let i = 0; i < total; i++) {
    if (cache) {
      keys[i] = await cache.key(await recordFiles(path.resolve(paths[i])), { task: opts.task.exportName, config });
      const hit = await cache.get<T>(keys[i]!);
      if (hit !== undefined) {
        values[i] = hit;
        cacheHits++;
        opts.onProgress?.(++done, total);
        continue;
      }
    }
    todo.push(i);
  }
  const store = async (i: number, v: T) => {
    values[i] = v;
    if (cache && keys[i]) await cache.set(keys[i]!, v);
    opts.onProgress?.(++done, total);
  };
  let used = 0;
  if (todo.length > 0 && nWorkers > 0) {
    used = await runInWorkers(todo, paths, moduleUrl, opts.task.exportName, config, Math.min(nWorkers, todo.length), store);
    if (used > 0) return { values, cacheHits, workers: used };
  }
  if (todo.length === 0) return { values, cacheHits, workers: 0 };
  // In this thread (also the fallback when worker threads cannot load the task module).
  let mod: unknown;
  try {
    mod = moduleUrl.endsWith('.ts') ? await importTs(moduleUrl) : await import(/* @vite-ignore */ moduleUrl);
  } catch (e) {
    fail(fn, 'opts.task.module', `a module that can be imported (${(e as Error)?.message ?? String(e)})`, opts.task.module);
  }
  const task = (mod as Record<string, unknown>)[opts.task.exportName];
  if (typeof task !== 'function') fail(fn, 'opts.task.exportName', `a function exported by ${opts.task.module}`, opts.task.exportName);
  for (const i of todo) {
    if (values[i] !== undefined) continue;
    let v: T;
    try {
      v = await (task as (p: string, c: unknown) => T | Promise<T>)(paths[i], config);
    } catch (e) {
      return fail(fn, `record ${paths[i]}`, 'processed without error', (e as Error).message);
    }
    await store(i, v);
  }
  return { values, cacheHits, workers: 0 };
}

async function importTs(moduleUrl: string): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ moduleUrl);
  } catch {
    const api = (await import(/* @vite-ignore */ TSX_ESM_API)) as { tsImport: (u: string, p: string) => Promise<unknown> };
    return api.tsImport(moduleUrl, moduleUrl);
  }
}

/** Returns the number of workers that ran, or 0 when the task module could not be loaded in a worker. */
async function runInWorkers<T>(
  todo: number[],
  paths: readonly string[],
  moduleUrl: string,
  exportName: string,
  config: unknown,
  n: number,
  store: (i: number, v: T) => Promise<void>,
): Promise<number> {
  const { Worker } = await nodeWorkerThreads('precomputeRecords');
  const workers = Array.from({ length: n }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { module: moduleUrl, exportName, config } }));
  try {
    const ready = await Promise.all(
      workers.map(
        (w) =>
          new Promise<boolean>((resolve) => {
            w.once('message', (m: { ready: boolean }) => resolve(Boolean(m.ready)));
            w.once('error', () => resolve(false));
          }),
      ),
    );
    if (!ready.every(Boolean)) return 0;
    let next = 0;
    let failure: Error | null = null;
    await Promise.all(
      workers.map(async (w) => {
        let pending: ((m: { value?: T; error?: string }) => void) | null = null;
        w.on('message', (m: { value?: T; error?: string }) => pending?.(m));
        w.on('error', (e: Error) => pending?.({ error: e.message }));
        while (next < todo.length && !failure) {
          const i = todo[next++];
          const msg = await new Promise<{ value?: T; error?: string }>((resolve) => {
            pending = resolve;
            w.postMessage({ id: i, path: paths[i] });
          });
          pending = null;
          if (msg.error !== undefined) {
            failure = new Error(`Error in precomputeRecords: record ${paths[i]} must be processed without error, but got ${JSON.stringify(msg.error)}.`);
            return;
          }
          await store(i, msg.value as T);
        }
      }),
    );
    if (failure) throw failure;
    return n;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
