/**
 * The Beat-SSL per-record precomputation (DESIGN §5) from a WFDB record on disk or in memory to
 * the {@link PrecomputedRecord} that `beat-ssl/train`'s `pretrainBeatSsl` takes: the record is
 * preprocessed (band-pass, resampled, in mV), cropped to a fixed length, and passed to
 * {@link precomputeRecord} (R-peaks, delineation, record features `ecgFeatures`, beat features
 * `beatFeatures` and beat classes `classifyBeats` from `beat-ssl/beats`; signals kept band-passed
 * in mV — 3KG works in mV and the pretraining loop standardises each view after augmentation —,
 * zero-padded to the length). Cached on disk and run on worker threads by
 * {@link loadSslRecords} (Node only).
 * @module
 */
import type { EcgRecord } from '../core/types';
import { check } from '../core/errors';
import { preprocessRecord, type PreprocessOptions } from './preprocess';
import { precomputeRecords } from './precompute';
import type { RecordCache } from './cache';
import { precomputeRecord, type PrecomputedRecord } from './precomputeRecord';
import { nodeFs, nodeUrl } from '../core/_internal/node';

/** Settings of the SSL precomputation (all part of the cache key). */
export interface SslPrecomputeConfig {
  /** Working rate in Hz (default 100). */
  fs?: number;
  /** Band-pass in Hz (default `[0.5, 40]`). */
  bandpassHz?: readonly [number, number] | null;
  /** Leads, default the 12 standard leads. */
  leads?: readonly string[];
  /** Samples kept per record at `fs` (crop or zero-pad; default: `10 · fs`, PTB-XL/LUDB length). */
  length?: number;
}

/**
 * One precomputed record: a {@link PrecomputedRecord} with its name and lead count always set.
 * `recordFeatures` are `ecgFeatures` values, `beatFeatures` `[beats × D]` `beatFeatures` values,
 * `beatClasses` 0 N, 1 S, 2 V, 3 Q (−1 unknown).
 */
export interface SslRecord extends PrecomputedRecord {
  /** Record name. */
  name: string;
  /** Number of leads in `signals`. */
  leads: number;
}

/**
 * Cache version of {@link loadSslRecords}' values: bump whenever the features, classes or signal
 * processing change so that older cache entries are not reused.
 */
const SSL_CACHE_NAMESPACE = 'ssl-v5-mv-intervals';

function resolveConfig(config: SslPrecomputeConfig = {}): Required<Omit<SslPrecomputeConfig, 'leads' | 'bandpassHz'>> & Pick<SslPrecomputeConfig, 'leads' | 'bandpassHz'> {
  const fs = config.fs ?? 100;
  return { fs, bandpassHz: config.bandpassHz === undefined ? [0.5, 40] : config.bandpassHz, leads: config.leads, length: config.length ?? Math.round(10 * fs) };
}

/**
 * Precomputes one in-memory record for pretraining: preprocess (band-pass, resample, mV), crop to
 * `length`, {@link precomputeRecord} (R-peaks, features and classes from `beat-ssl/beats`; signals
 * stay in mV), zero-pad to `length`.
 * @param record any record with the requested leads
 * @param config working rate, band-pass, leads, length; see {@link SslPrecomputeConfig}
 * @returns an {@link SslRecord}
 * @throws when a lead is missing or the rate is invalid
 * @example
 * const r = sslRecordFrom(await readRecord('examples/data/ludb/1'), { fs: 100 });
 * r.signals.length; // 1000 * 12
 */
export function sslRecordFrom(record: EcgRecord, config: SslPrecomputeConfig = {}): SslRecord {
  const c = resolveConfig(config);
  const opts: PreprocessOptions = { fs: c.fs, bandpassHz: c.bandpassHz, standardize: 'none' };
  if (c.leads) opts.leads = c.leads;
  const pre = preprocessRecord(record, opts);
  const T = c.length;
  check(Number.isInteger(T) && T > 0, 'sslRecordFrom', 'config.length', 'a positive integer number of samples', T);
  const cropped = pre.signals[0] && pre.signals[0].length > T ? { ...pre, signals: pre.signals.map((s) => s.subarray(0, T)) } : pre;
  const r = precomputeRecord(cropped, { standardize: false });
  const leads = r.leads ?? cropped.signals.length;
  let signals = r.signals;
  if (signals.length < T * leads) {
    signals = new Float32Array(T * leads);
    signals.set(r.signals);
  }
  return { ...r, name: record.name, leads, signals };
}

/**
 * Precomputes one WFDB record from disk (Node only) — the task run by {@link loadSslRecords}.
 * @param recordPath record path without extension
 * @param config see {@link SslPrecomputeConfig}
 * @returns an {@link SslRecord}
 * @throws when the record cannot be read
 * @example
 * const r = await precomputeSslRecord('examples/data/ptbxl/records100/00000/00001_lr', { fs: 100 });
 */
export async function precomputeSslRecord(recordPath: string, config: SslPrecomputeConfig = {}): Promise<SslRecord> {
  const { readRecord } = await import('../io/readRecord');
  return sslRecordFrom(await readRecord(recordPath), config);
}

/** URL of a module that exports {@link precomputeSslRecord} and that a worker can import, or null. */
async function taskModuleUrl(): Promise<string | null> {
  let here: string | undefined;
  try {
    here = import.meta.url;
  } catch {
    return null;
  }
  if (!here) return null;
  if (/\/data\/precomputeSsl\.(ts|js|mjs)$/.test(here)) return here;
  const fs = await nodeFs('precomputeSslRecords');
  const url = await nodeUrl('precomputeSslRecords');
  for (const rel of ['./data/precomputeSsl.js', './precomputeSsl.js']) {
    const u = new URL(rel, here);
    if (await fs.stat(url.fileURLToPath(u)).then(() => true, () => false)) return u.href;
  }
  return null;
}

/**
 * Precomputes many records for pretraining (Node only), cached on disk (keyed by file contents and
 * config) and in parallel on worker threads.
 * @param paths record paths without extension
 * @param opts `config`, `cache` (folder or cache; default none), `workers`, `onProgress`
 * @returns one {@link SslRecord} per path, in order
 * @throws when a record cannot be read (named)
 * @example
 * const data = await loadSslRecords(await listWfdbRecords('../shared/data/ptbxl'), { config: { fs: 100 }, cache: '.cache/beat-ssl' });
 * await pretrainBeatSsl({ model, data, steps: 200, seed: 0 });
 */
export async function loadSslRecords(
  paths: readonly string[],
  opts: { config?: SslPrecomputeConfig; cache?: RecordCache | string | null; workers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<SslRecord[]> {
  check(Array.isArray(paths), 'loadSslRecords', 'paths', 'an array of record paths', paths);
  const config = resolveConfig(opts.config);
  const module = await taskModuleUrl();
  if (!module) {
    const out: SslRecord[] = [];
    for (const p of paths) {
      out.push(await precomputeSslRecord(p, config));
      opts.onProgress?.(out.length, paths.length);
    }
    return out;
  }
  const { values } = await precomputeRecords<SslRecord>(paths, {
    task: { module, exportName: 'precomputeSslRecord' },
    config,
    cache: opts.cache ?? null,
    namespace: SSL_CACHE_NAMESPACE,
    workers: opts.workers,
    onProgress: opts.onProgress,
  });
  return values;
}
