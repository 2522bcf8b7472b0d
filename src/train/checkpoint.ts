/**
 * Training checkpoints on disk (Node): model files, optimizer state (e.g. Adam moments), step,
 * RNG state and the run's config, written atomically (temporary directory + rename) so a crash
 * never leaves a half-written checkpoint; `latest.json` points at the newest one.
 *
 * Layout of `dir/ckpt-000120/`: `model/` (written by the caller), `optimizer.bin` +
 * `optimizer.json`, `state.json` (`{ format, step, rngState, config, extra }`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { BeatSslError, check, checkInt } from '../core/errors';
import { atomicWriteFile, decodeNamedTensors, encodeNamedTensors } from '../models/_internal/persist';
import { nodeFs, nodePath } from '../core/_internal/node';

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

/**
 * Writes a checkpoint atomically and updates `latest.json`; keeps the newest `keep` checkpoints.
 * @param dir run directory (created)
 * @param state step, RNG state, config, extra
 * @param writeModel writes the model files into the directory it is given
 * @param optimizer optimizer whose `getWeights()` state is saved (optional)
 * @param opts `keep`: checkpoints to keep (default 2)
 * @returns the checkpoint directory
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
  checkInt(state.step, FN, 'state.step', 0);
  const keep = checkInt(opts.keep ?? 2, FN, 'opts.keep', 1);
  const fs = await nodeFs('writeCheckpoint');
  const { join } = await nodePath('writeCheckpoint');
  await fs.mkdir(dir, { recursive: true });
  const name = `ckpt-${String(state.step).padStart(6, '0')}`;
  const tmp = join(dir, `.tmp-${name}-${process.pid}-${Date.now()}`);
  await fs.mkdir(tmp, { recursive: true });
  try {
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
    const final = join(dir, name);
    await fs.rm(final, { recursive: true, force: true });
    await fs.rename(tmp, final);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await atomicWriteFile(join(dir, 'latest.json'), JSON.stringify({ checkpoint: name, step: state.step }));
  const all = (await fs.readdir(dir)).filter((n) => /^ckpt-\d+$/.test(n)).sort();
  for (const old of all.slice(0, Math.max(0, all.length - keep))) await fs.rm(join(dir, old), { recursive: true, force: true });
  return join(dir, name);
}

/**
 * Finds the newest checkpoint of a run directory (via `latest.json`).
 * @param dir run directory
 * @returns the checkpoint, or `null` when there is none
 * @throws if `latest.json` points at a missing or foreign checkpoint
 */
export async function readLatestCheckpoint(dir: string): Promise<CheckpointInfo | null> {
  const FN = 'readLatestCheckpoint';
  const fs = await nodeFs('readLatestCheckpoint');
  const { join } = await nodePath('readLatestCheckpoint');
  let latest: { checkpoint?: string };
  try {
    latest = JSON.parse(await fs.readFile(join(dir, 'latest.json'), 'utf8'));
  } catch {
    return null;
  }
  const path = join(dir, String(latest.checkpoint));
  let state: CheckpointState & { format?: string };
  try {
    state = JSON.parse(await fs.readFile(join(path, 'state.json'), 'utf8'));
  } catch {
    throw new BeatSslError(FN, `latest.json must point at a checkpoint with state.json, but got ${JSON.stringify(path)}.`, 'dir');
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
