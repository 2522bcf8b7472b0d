/**
 * A disk cache for per-record precomputation (R-peaks, features, beat classes, ...), Node only.
 * Entries are keyed by a SHA-256 of the **contents** of the record's files plus the JSON of the
 * config, so editing a file or changing a setting recomputes, and moving a folder does not.
 * Writes are atomic and durable (`writeFileAtomic` of `beat-ssl/core`): a crash never leaves a partial entry, and parallel
 * writers of the same key are safe.
 *
 * Values are JSON-like: plain objects, arrays, numbers, strings, booleans, `null`, and typed
 * arrays (`Float32Array`, `Float64Array`, `Int32Array`, `Uint8Array`, ...) which round-trip exactly.
 * @module
 */
import { writeFileAtomic } from '../core/atomicWrite';
import { check, fail } from '../core/errors';
import { nodeCrypto, nodeFs, nodePath } from '../core/_internal/node';

const TYPED: Record<string, { new (b: ArrayBuffer): ArrayBufferView & ArrayLike<number> }> = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
};

/** Encodes a value with typed arrays into JSON text (typed arrays as base64 of their bytes). */
export function encodeCacheValue(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _k, v: unknown) {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name;
      if (!TYPED[name]) fail('encodeCacheValue', 'value', 'JSON data and standard typed arrays', name);
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      return { __typed: name, b64: Buffer.from(bytes).toString('base64') };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { __num: String(v) };
    return v;
  });
}

/**
 * Decodes text written by {@link encodeCacheValue}.
 * @param text JSON text from {@link encodeCacheValue}
 * @returns the decoded value (typed arrays restored)
 * @throws {BeatSslError} when `text` is not a string of valid JSON (e.g. a truncated cache file)
 * @example
 * decodeCacheValue(encodeCacheValue({ x: Float32Array.of(1, 2) })).x; // Float32Array [1, 2]
 */
export function decodeCacheValue<T = unknown>(text: string): T {
  check(typeof text === 'string' && text.length > 0, 'decodeCacheValue', 'text', 'JSON text written by encodeCacheValue', text);
  try {
    return decodeJson<T>(text);
  } catch (e) {
    if (e instanceof SyntaxError) fail('decodeCacheValue', 'text', `JSON text written by encodeCacheValue (${e.message}; delete the cache entry to rebuild it)`, text);
    throw e;
  }
}

function decodeJson<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && '__typed' in v && 'b64' in v) {
      const { __typed, b64 } = v as { __typed: string; b64: string };
      const Ctor = TYPED[__typed];
      if (!Ctor) fail('decodeCacheValue', 'text', 'a cache entry with standard typed arrays', __typed);
      const buf = Buffer.from(b64, 'base64');
      const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
      return new Ctor(ab);
    }
    if (v && typeof v === 'object' && '__num' in v && Object.keys(v).length === 1) return Number((v as { __num: string }).__num);
    return v;
  }) as T;
}

/** A disk cache created by {@link createRecordCache}. */
export interface RecordCache {
  /** The cache folder. */
  readonly dir: string;
  /** The key of `files` (their contents) + `config`: a hex SHA-256. */
  key(files: readonly string[], config: unknown): Promise<string>;
  /** The cached value of a key, or `undefined`. A corrupt entry counts as absent. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a value atomically. */
  set(key: string, value: unknown): Promise<void>;
  /** Cached value for `files` + `config`, computed (and stored) when absent. */
  getOrCompute<T>(files: readonly string[], config: unknown, compute: () => Promise<T> | T): Promise<T>;
}

/**
 * Stable JSON (object keys sorted) so equal configs give equal keys.
 * @internal
 */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(stableStringify).join(',') + ']';
  if (ArrayBuffer.isView(value)) return stableStringify(Array.from(value as unknown as ArrayLike<number>));
  const o = value as Record<string, unknown>;
  return '{' + Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => JSON.stringify(k) + ':' + stableStringify(o[k])).join(',') + '}';
}

/**
 * Opens (creating if needed) a disk cache of per-record precomputation (Node only).
 * @param dir cache folder, e.g. `.cache/beat-ssl`
 * @param namespace mixed into every key (e.g. `'beats-v1'`); bump it when the computation changes
 * @returns a {@link RecordCache}
 * @throws when the folder cannot be created
 * @example
 * const cache = await createRecordCache('.cache/beat-ssl', 'peaks-v1');
 * const peaks = await cache.getOrCompute([hea, dat], { fs: 100 }, () => detect(rec));
 */
export async function createRecordCache(dir: string, namespace = 'default'): Promise<RecordCache> {
  check(typeof dir === 'string' && dir.length > 0, 'createRecordCache', 'dir', 'a folder path', dir);
  const fs = await nodeFs('createRecordCache');
  const path = await nodePath('createRecordCache');
  const crypto = await nodeCrypto('createRecordCache');
  const root = path.resolve(dir);
  await fs.mkdir(root, { recursive: true }).catch((e: Error) => fail('createRecordCache', 'dir', 'a creatable folder', `${root} (${e.message})`));
  const fileHash = new Map<string, { mtimeMs: number; size: number; hash: string }>();
  const hashFile = async (f: string) => {
    const st = await fs.stat(f).catch(() => fail('RecordCache.key', 'files', 'existing files', f));
    const memo = fileHash.get(f);
    if (memo && memo.mtimeMs === st.mtimeMs && memo.size === st.size) return memo.hash;
    const hash = crypto.createHash('sha256').update(await fs.readFile(f)).digest('hex');
    fileHash.set(f, { mtimeMs: st.mtimeMs, size: st.size, hash });
    return hash;
  };
  const entryPath = (key: string) => path.join(root, key.slice(0, 2), `${key}.json`);
  const cache: RecordCache = {
    dir: root,
    async key(files, config) {
      const h = crypto.createHash('sha256');
      h.update(`beat-ssl-cache\0${namespace}\0`);
      for (const f of files) h.update((await hashFile(path.resolve(f))) + '\0');
      h.update(stableStringify(config));
      return h.digest('hex');
    },
    async get<T>(key: string) {
      try {
        return decodeCacheValue<{ v: T }>(await fs.readFile(entryPath(key), 'utf8')).v;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      const p = entryPath(key);
      await fs.mkdir(path.dirname(p), { recursive: true });
      await writeFileAtomic(p, encodeCacheValue({ v: value }), { fn: 'RecordCache.set' });
    },
    async getOrCompute<T>(files: readonly string[], config: unknown, compute: () => Promise<T> | T) {
      const k = await cache.key(files, config);
      const hit = await cache.get<T>(k);
      if (hit !== undefined) return hit;
      const v = await compute();
      await cache.set(k, v);
      return v;
    },
  };
  return cache;
}
