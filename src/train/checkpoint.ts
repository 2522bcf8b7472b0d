/**
 * Training checkpoints on disk (Node): model files, optimizer state (e.g. Adam moments), step,
 * RNG state and the run's config; `latest.json` points at the newest one.
 *
 * Layout of `dir/ckpt-000120/`: `model/` (written by the caller), `optimizer.bin` +
 * `optimizer.json`, `state.json` (`{ format, step, rngState, config, extra }`, written last).
 *
 * **Crash safety** — no step can lose the last good state, whenever the process is killed:
 * 1. a new checkpoint is written and flushed (`fsync`) under a temporary name, then renamed to
 *    `ckpt-<step>`; if that name is taken by a checkpoint with other contents, the new one gets a
 *    fresh name `ckpt-<step>-<k>` (nothing is ever deleted to make room);
 * 2. `latest.json` is replaced atomically (`writeFileAtomic`) to point at it;
 * 3. only then are older checkpoints pruned, each first renamed to a hidden `.trash-*` name so a
 *    half-deleted folder is never visible as a checkpoint.
 * Writing a checkpoint identical to the existing one (resuming a finished run) writes nothing it
 * would delete. Leftover `.tmp-*` / `.trash-*` folders of dead processes are removed at the start
 * of every write; {@link readLatestCheckpoint} falls back to the newest complete checkpoint when
 * `latest.json` is missing or dangling (folders written by older versions).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { BeatSslError, check, checkInt } from '../core/errors';
import { syncToDisk, writeFileAtomic } from '../core/atomicWrite';
import { faultPoint } from '../core/_internal/faults';
import { decodeNamedTensors, encodeNamedTensors } from '../models/persist';
import { nodeCrypto, nodeFs, nodePath } from '../core/_internal/node';

/** Format tag of `state.json`. */
export const CHECKPOINT_FORMAT = 'beat-ssl-checkpoint@1';

/** What {@link writeCheckpoint} stores besides the model. */
export interface CheckpointState {
  /** Completed optimisation steps. */
  step: number;
  /** `Rng.getState()` of the run's random stream. */
  rngState: number[];
  /** The run's configuration (compared on resume). */
  config: unknown;
  /** Anything else JSON-serialisable (history, best metric, ...). */
  extra?: unknown;
}

/** A checkpoint found on disk. */
export interface CheckpointInfo extends CheckpointState {
  /** Directory of the checkpoint. */
  path: string;
  /** Directory of its model files (`path/model`). */
  modelDir: string;
}

interface OptimizerJson {
  specs: tf.io.WeightsManifestEntry[];
  extraScalars: Record<string, number>;
}

/** Private scalar state of tfjs optimizers that `getWeights()` does not return (Adam's β powers). */
const OPTIMIZER_SCALARS = ['accBeta1', 'accBeta2'] as const;

function optimizerScalars(optimizer: tf.Optimizer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of OPTIMIZER_SCALARS) {
    const v = (optimizer as unknown as Record<string, unknown>)[k];
    if (v instanceof tf.Variable) out[k] = v.dataSync()[0];
  }
  return out;
}

type Fs = typeof import('node:fs/promises');

/** `ckpt-000120` or `ckpt-000120-2` → [step, k]; null for any other name. */
function checkpointOrder(name: string): [number, number] | null {
  const m = /^ckpt-(\d+)(?:-(\d+))?$/.exec(name);
  return m ? [Number(m[1]), m[2] === undefined ? 0 : Number(m[2])] : null;
}

/** Checkpoint folder names of `dir`, oldest first (by step, then by re-write index). */
async function listCheckpoints(fs: Fs, dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names
    .map((n) => ({ n, o: checkpointOrder(n) }))
    .filter((e): e is { n: string; o: [number, number] } => e.o !== null)
    .sort((a, b) => a.o[0] - b.o[0] || a.o[1] - b.o[1])
    .map((e) => e.n);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false; // our own leftovers: checkpoint writes of one process are sequential
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Removes `.tmp-<pid>-*`, `.trash-<pid>-*` and `.latest.json.tmp-<pid>-*` entries of processes that are gone. */
async function removeStale(fs: Fs, join: (...p: string[]) => string, dir: string): Promise<void> {
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const m = /^\.(?:tmp|trash|latest\.json\.tmp)-(\d+)?/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    await fs.rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Whether two folders hold the same files with the same bytes. */
async function sameTree(fs: Fs, join: (...p: string[]) => string, a: string, b: string): Promise<boolean> {
  const [ea, eb] = await Promise.all([fs.readdir(a, { withFileTypes: true }), fs.readdir(b, { withFileTypes: true }).catch(() => null)]);
  if (!eb || ea.length !== eb.length) return false;
  const kinds = new Map(eb.map((e) => [e.name, e.isDirectory()]));
  for (const e of ea) {
    if (kinds.get(e.name) !== e.isDirectory()) return false;
    const pa = join(a, e.name);
    const pb = join(b, e.name);
    if (e.isDirectory()) {
      if (!(await sameTree(fs, join, pa, pb))) return false;
    } else if (!Buffer.from(await fs.readFile(pa)).equals(await fs.readFile(pb))) return false;
  }
  return true;
}

/**
 * Writes a checkpoint durably, points `latest.json` at it, then keeps the newest `keep`
 * checkpoints — in that order, so a kill at any instant leaves a complete checkpoint that
 * {@link readLatestCheckpoint} finds (see the module documentation for the protocol).
 * @param dir run directory (created)
 * @param state step, RNG state, config, extra
 * @param writeModel writes the model files into the directory it is given (e.g. `BeatSslModel.saveInto`)
 * @param optimizer optimizer whose `getWeights()` state is saved (optional)
 * @param opts `keep`: checkpoints to keep (default 2)
 * @returns the checkpoint directory
 * @throws BeatSslError on invalid arguments or when the checkpoint cannot be written (the previous one stays)
 * @example
 * await writeCheckpoint('runs/a', { step, rngState: rng.getState(), config }, (d) => model.saveInto(d), optimizer);
 */
export async function writeCheckpoint(
  dir: string,
  state: CheckpointState,
  writeModel: (modelDir: string) => Promise<void>,
  optimizer?: tf.Optimizer,
  opts: { keep?: number } = {},
): Promise<string> {
  const FN = 'writeCheckpoint';
  check(typeof dir === 'string' && dir.trim() !== '', FN, 'dir', 'a checkpoint folder path', dir);
  check(state !== null && typeof state === 'object' && !Array.isArray(state), FN, 'state', 'a checkpoint state { step, rngState, config }', state);
  checkInt(state.step, FN, 'state.step', 0);
  const keep = checkInt(opts.keep ?? 2, FN, 'opts.keep', 1);
  const fs = await nodeFs(FN);
  const { join } = await nodePath(FN);
  const { randomBytes } = await nodeCrypto(FN);
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new BeatSslError(FN, `dir must be a writable directory, but got ${JSON.stringify(dir)} (${(err as Error).message}).`, 'dir');
  }
  await removeStale(fs, join, dir);
  const base = `ckpt-${String(state.step).padStart(6, '0')}`;
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}-${base}`);
  let name = base;
  try {
    await fs.mkdir(tmp);
    await writeModel(join(tmp, 'model'));
    if (optimizer) {
      const weights = await optimizer.getWeights();
      const { data, specs } = await encodeNamedTensors(weights);
      if (weights[0]?.name === 'iter') weights[0].tensor.dispose(); // getWeights() creates this scalar
      await fs.writeFile(join(tmp, 'optimizer.bin'), data);
      const oj: OptimizerJson = { specs, extraScalars: optimizerScalars(optimizer) };
      await fs.writeFile(join(tmp, 'optimizer.json'), JSON.stringify(oj));
    }
    await fs.writeFile(join(tmp, 'state.json'), JSON.stringify({ format: CHECKPOINT_FORMAT, ...state }));
    await syncToDisk(tmp);
    await faultPoint('checkpoint:written', tmp);
    const taken = new Set(await fs.readdir(dir));
    let same: string | null = null;
    for (const n of await listCheckpoints(fs, dir)) if (checkpointOrder(n)![0] === state.step && (await sameTree(fs, join, tmp, join(dir, n)))) same = n;
    if (same !== null) {
      // The same checkpoint is already on disk (e.g. resuming a finished run): keep it, write nothing.
      name = same;
      await fs.rm(tmp, { recursive: true, force: true });
    } else {
      for (let k = 1; taken.has(name); k++) name = `${base}-${k}`;
      await fs.rename(tmp, join(dir, name));
      await syncToDisk(dir, { recursive: false });
      await faultPoint('checkpoint:renamed', join(dir, name));
    }
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (err instanceof BeatSslError) throw err;
    throw new BeatSslError(FN, `the checkpoint must be written to ${JSON.stringify(dir)}, but writing failed (${(err as Error).message}); the previous checkpoint is intact.`, 'dir');
  }
  await writeFileAtomic(join(dir, 'latest.json'), JSON.stringify({ checkpoint: name, step: state.step }), { fn: FN });
  await faultPoint('checkpoint:latest', join(dir, name));
  const all = await listCheckpoints(fs, dir);
  const prune = all.filter((n) => n !== name).slice(0, Math.max(0, all.length - keep));
  for (const old of prune) {
    const trash = join(dir, `.trash-${process.pid}-${randomBytes(4).toString('hex')}-${old}`);
    await fs.rename(join(dir, old), trash);
    await faultPoint('checkpoint:pruning', trash);
    await fs.rm(trash, { recursive: true, force: true });
  }
  if (prune.length > 0) await syncToDisk(dir, { recursive: false });
  return join(dir, name);
}

async function readState(fs: Fs, path: string): Promise<(CheckpointState & { format?: string }) | null> {
  try {
    return JSON.parse(await fs.readFile(path, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Finds the newest checkpoint of a run directory: the one `latest.json` points at, or — when
 * `latest.json` is missing or points at a checkpoint that is not there (a folder written by an
 * older version and interrupted) — the newest complete `ckpt-*` folder.
 * @param dir run directory
 * @returns the checkpoint, or `null` when there is none
 * @throws BeatSslError if `dir` is not a non-empty path, `latest.json` names a checkpoint but no
 *   complete checkpoint exists, or the checkpoint has another format
 * @example
 * const found = await readLatestCheckpoint('runs/pretrain');
 * found?.step; // e.g. 400
 */
export async function readLatestCheckpoint(dir: string): Promise<CheckpointInfo | null> {
  const FN = 'readLatestCheckpoint';
  check(typeof dir === 'string' && dir.trim() !== '', FN, 'dir', 'a checkpoint folder path', dir);
  const fs = await nodeFs(FN);
  const { join } = await nodePath(FN);
  let latest: { checkpoint?: string } | null = null;
  try {
    latest = JSON.parse(await fs.readFile(join(dir, 'latest.json'), 'utf8'));
  } catch {
    latest = null;
  }
  let path = latest && typeof latest.checkpoint === 'string' && checkpointOrder(latest.checkpoint) ? join(dir, latest.checkpoint) : null;
  let state = path ? await readState(fs, join(path, 'state.json')) : null;
  if (!state) {
    for (const name of (await listCheckpoints(fs, dir)).reverse()) {
      const s = await readState(fs, join(dir, name, 'state.json'));
      if (s) {
        path = join(dir, name);
        state = s;
        break;
      }
    }
  }
  if (!state || !path) {
    if (latest === null) return null;
    throw new BeatSslError(FN, `latest.json must point at a checkpoint with state.json, but got ${JSON.stringify(join(dir, String(latest.checkpoint)))} and no other complete checkpoint in ${JSON.stringify(dir)}.`, 'dir');
  }
  check(state.format === CHECKPOINT_FORMAT, FN, 'state.json format', `'${CHECKPOINT_FORMAT}'`, state.format);
  return { path, modelDir: join(path, 'model'), step: state.step, rngState: state.rngState, config: state.config, extra: state.extra };
}

/**
 * Restores an optimizer's state (moments, iteration count, Adam's β powers) from a checkpoint.
 * The optimizer must be of the same type and its variable order the same as when saved.
 * @param path checkpoint directory
 * @param optimizer a fresh optimizer
 */
export async function restoreOptimizer(path: string, optimizer: tf.Optimizer): Promise<void> {
  check(typeof path === 'string' && path.length > 0, 'restoreOptimizer', 'path', 'a checkpoint folder path', path);
  check(optimizer != null && optimizer instanceof tf.Optimizer, 'restoreOptimizer', 'optimizer', 'a tf.Optimizer (e.g. tf.train.adam)', optimizer);
  const fs = await nodeFs('restoreOptimizer');
  const { join } = await nodePath('restoreOptimizer');
  let oj: OptimizerJson;
  try {
    oj = JSON.parse(await fs.readFile(join(path, 'optimizer.json'), 'utf8'));
  } catch {
    return; // checkpoint without optimizer state
  }
  const data = new Uint8Array(await fs.readFile(join(path, 'optimizer.bin')));
  const named = decodeNamedTensors(data, oj.specs);
  await optimizer.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
  for (const [k, v] of Object.entries(oj.extraScalars ?? {})) {
    const variable = (optimizer as unknown as Record<string, unknown>)[k];
    if (variable instanceof tf.Variable) {
      const s = tf.scalar(v);
      variable.assign(s);
      s.dispose();
    }
  }
}

/**
 * Lists the keys whose values differ between two JSON-like configs (deep, dotted paths).
 * @example
 * configDifferences({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 } }); // ['b.c']
 */
export function configDifferences(a: unknown, b: unknown, prefix = ''): string[] {
  if (a === b) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(root)'];
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  const out: string[] = [];
  for (const k of keys) out.push(...configDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  return out;
}
