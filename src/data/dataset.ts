/**
 * Lazy datasets and seeded batching. A {@link Dataset} is a list of keys plus a loader: items are
 * read from disk only when asked for, so the whole dataset never has to be in memory.
 * @module
 */
import { check, checkInt, fail } from '../core/errors';
import { toRng, type Rng } from '../core/rng';
import { checkOptions, optionKeys } from '../core/_internal/options';
import { MAX_ARRAY_LENGTH } from '../core/_internal/limits';

/** A lazily loaded, indexable dataset. Items are produced by the loader on every `get`. */
export interface Dataset<T> {
  /** Number of items. */
  readonly size: number;
  /** One key per item (e.g. a record path or an ecg_id), in dataset order. */
  readonly keys: readonly string[];
  /** Loads item `index` (0-based). */
  get(index: number): Promise<T>;
  /** Items in dataset order, one at a time. */
  [Symbol.asyncIterator](): AsyncIterator<T>;
  /** A dataset of the items at `indices` (in that order), sharing the loader. */
  subset(indices: ArrayLike<number>): Dataset<T>;
  /** A dataset whose items are `fn(item, index)` (applied on load). */
  map<U>(fn: (item: T, index: number) => U | Promise<U>): Dataset<U>;
}

/**
 * Creates a lazy dataset from keys and an async loader.
 * @param keys one key per item
 * @param load loads the item of a key (called on every `get`; cache inside if needed)
 * @returns a {@link Dataset}
 * @throws when `keys` is not an array of strings or `load` not a function
 * @example
 * const ds = createDataset(['a', 'b'], async (key) => key.toUpperCase());
 * await ds.get(1); // 'B'
 */
export function createDataset<T>(keys: readonly string[], load: (key: string, index: number) => Promise<T> | T): Dataset<T> {
  check(Array.isArray(keys) && keys.every((k) => typeof k === 'string'), 'createDataset', 'keys', 'an array of strings', keys);
  check(typeof load === 'function', 'createDataset', 'load', 'a function (key, index) => item', load);
  const frozen = Object.freeze([...keys]);
  return makeDataset(frozen, async (i) => load(frozen[i], i));
}

function makeDataset<T>(keys: readonly string[], getAt: (i: number) => Promise<T>): Dataset<T> {
  const ds: Dataset<T> = {
    size: keys.length,
    keys,
    get(index: number) {
      if (!Number.isInteger(index) || index < 0 || index >= keys.length) {
        return Promise.reject(new Error(`Error in Dataset.get: index must be an integer in [0, ${keys.length - 1}], but got ${index}.`));
      }
      return getAt(index);
    },
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        async next() {
          if (i >= keys.length) return { done: true, value: undefined };
          return { done: false, value: await getAt(i++) };
        },
      };
    },
    subset(indices) {
      const idx = Array.from(indices);
      for (const i of idx) if (!Number.isInteger(i) || i < 0 || i >= keys.length) fail('Dataset.subset', 'indices', `integers in [0, ${keys.length - 1}]`, i);
      return makeDataset(Object.freeze(idx.map((i) => keys[i])), (j) => getAt(idx[j]));
    },
    map(fn) {
      return makeDataset(keys, async (i) => fn(await getAt(i), i));
    },
  };
  return ds;
}

/** Checks a {@link Dataset} argument of `fn` (an object with an integer `size` ≥ 0 and a `get` method). */
function checkDataset(dataset: unknown, fn: string, arg = 'dataset'): void {
  const d = dataset as Partial<Dataset<unknown>> | null;
  const ok = d !== null && typeof d === 'object' && !Array.isArray(d) && Number.isInteger(d.size) && (d.size as number) >= 0 && typeof d.get === 'function';
  check(ok, fn, arg, 'a Dataset (from createDataset, loadLudb, loadPtbxl, ...)', dataset);
}

/**
 * Loads every item of a dataset into an array (for small datasets such as LUDB). Loads at most
 * `concurrency` items at a time.
 * @param dataset the dataset
 * @param concurrency parallel loads (default 4)
 * @returns the items in dataset order
 * @throws {BeatSslError} when `dataset` is not a Dataset or `concurrency` is not an integer ≥ 1
 * @example
 * const records = await collectDataset(loadLudb('../shared/data/ludb'));
 */
export async function collectDataset<T>(dataset: Dataset<T>, concurrency = 4): Promise<T[]> {
  checkDataset(dataset, 'collectDataset');
  checkInt(concurrency, 'collectDataset', 'concurrency', 1);
  const out = new Array<T>(dataset.size);
  let next = 0;
  const worker = async () => {
    while (next < dataset.size) {
      const i = next++;
      out[i] = await dataset.get(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, dataset.size) }, worker));
  return out;
}

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Items per batch. */
  batchSize: number;
  /** Seed (or Rng) of the shuffling; each epoch gets a new permutation from this stream. */
  seed?: number | Rng;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Shuffle each epoch (default true; false keeps dataset order and needs no seed). */
  shuffle?: boolean;
  /** Drop the last incomplete batch of each epoch (default false). */
  dropLast?: boolean;
  /** Batches loaded ahead while the current one is used (default 1; 0 = none). */
  prefetch?: number;
}

/** One batch from {@link batches}. */
export interface Batch<T> {
  /** The loaded items. */
  items: T[];
  /** Their dataset indices. */
  indices: number[];
  /** 0-based epoch. */
  epoch: number;
  /** 0-based batch number within the epoch. */
  step: number;
}

/**
 * Streams seeded, shuffled batches from a dataset: only the current batch (and `prefetch`
 * batches ahead) is in memory. Same seed, same order.
 * @param dataset a {@link Dataset}
 * @param opts batch size, seed, epochs, shuffling; see {@link BatchOptions}
 * @returns an async generator of {@link Batch}es
 * @throws {BeatSslError} when `dataset` is not a Dataset, `batchSize`/`epochs` are not positive integers, or shuffling without a seed
 * @example
 * for await (const { items } of batches(ds, { batchSize: 32, seed: 1, epochs: 10 })) {
 *   // items: up to 32 loaded records
 * }
 */
export async function* batches<T>(dataset: Dataset<T>, opts: BatchOptions): AsyncGenerator<Batch<T>> {
  const fn = 'batches';
  checkDataset(dataset, fn);
  check(opts != null && typeof opts === 'object', fn, 'opts', 'an options object with batchSize', opts);
  checkOptions(opts, optionKeys<BatchOptions>()('batchSize', 'seed', 'epochs', 'shuffle', 'dropLast', 'prefetch'), fn);
  const batchSize = checkInt(opts.batchSize, fn, 'opts.batchSize', 1);
  const epochs = checkInt(opts.epochs ?? 1, fn, 'opts.epochs', 1);
  const prefetch = checkInt(opts.prefetch ?? 1, fn, 'opts.prefetch', 0);
  const shuffle = opts.shuffle ?? true;
  let rng: Rng | null = null;
  if (shuffle) {
    if (opts.seed === undefined) fail(fn, 'opts.seed', 'a seed (number) or an Rng when shuffle is true', opts.seed);
    rng = toRng(opts.seed, fn, 'opts.seed');
  }
  const plan: { indices: number[]; epoch: number; step: number }[] = [];
  const n = dataset.size;
  const makeEpoch = (epoch: number) => {
    const order = rng ? Array.from(rng.permutation(n)) : Array.from({ length: n }, (_, i) => i);
    const out: { indices: number[]; epoch: number; step: number }[] = [];
    for (let s = 0, step = 0; s < n; s += batchSize, step++) {
      const indices = order.slice(s, s + batchSize);
      if (indices.length < batchSize && opts.dropLast) break;
      out.push({ indices, epoch, step });
    }
    return out;
  };
  let epoch = 0;
  const load = (p: { indices: number[]; epoch: number; step: number }) =>
    Promise.all(p.indices.map((i) => dataset.get(i))).then((items) => ({ items, ...p }));
  const pending: Promise<Batch<T>>[] = [];
  const fill = () => {
    while (pending.length <= prefetch) {
      if (plan.length === 0) {
        if (epoch >= epochs) return;
        plan.push(...makeEpoch(epoch++));
        if (plan.length === 0) continue;
      }
      const p = load(plan.shift()!);
      p.catch(() => undefined); // surfaced when awaited
      pending.push(p);
    }
  };
  fill();
  while (pending.length > 0) {
    const b = await pending.shift()!;
    fill();
    yield b;
  }
}

/**
 * A seeded random subset of `n` items of size `round(fraction · n)` (at least 1), e.g. the 10%
 * of training labels used in the label-scarce experiments.
 * @param n number of items, an integer in [0, 2³¹ − 1]
 * @param fraction in (0, 1]
 * @param seed seed or Rng
 * @returns sorted indices
 * @throws {BeatSslError} when `n`, `fraction` or `seed` is out of range
 * @example
 * sampleFraction(140, 0.1, 0); // 14 sorted indices
 */
export function sampleFraction(n: number, fraction: number, seed: number | Rng): number[] {
  checkInt(n, 'sampleFraction', 'n', 0, MAX_ARRAY_LENGTH);
  check(typeof fraction === 'number' && fraction > 0 && fraction <= 1, 'sampleFraction', 'fraction', 'a number in (0, 1]', fraction);
  const rng = toRng(seed, 'sampleFraction');
  const k = n === 0 ? 0 : Math.max(1, Math.round(fraction * n));
  return Array.from(rng.permutation(n).slice(0, k)).sort((a, b) => a - b);
}
