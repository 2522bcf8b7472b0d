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
import { preprocessRecord, preprocessSpec, type PreprocessOptions } from '../signal/preprocess';
import { precomputeRecords } from './precompute';
import type { RecordCache } from './cache';
import { precomputeRecord, type PrecomputedRecord } from './precomputeRecord';
import { nodeFs, nodeUrl } from '../core/_internal/node';
import { checkOptions } from '../core/_internal/options';

/**
 * Settings of the SSL precomputation (all part of the cache key): a preprocessing spec of
 * `beat-ssl/signal` — `fs` (Hz, required), `leads` (default the 12 canonical leads), `bandpassHz`
 * (default `[0.5, 40]`) and `lengthSamples` (crop or zero-pad at `fs`; default: keep each record's
 * length). Signals always stay in mV (`standardize` must be `'none'` or absent): 3KG works in mV and
 * the loop standardises each view.
 */
export type SslPrecomputeConfig = PreprocessOptions;

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

/** The resolved spec: every field set, signals in mV. */
function resolveConfig(config: SslPrecomputeConfig, fn: string): PreprocessOptions {
  check(config != null && typeof config === 'object' && !Array.isArray(config), fn, 'config', 'a preprocessing spec with at least { fs } (Hz)', config);
  check(config.standardize === undefined || config.standardize === 'none', fn, 'config.standardize', "'none' or absent (pretraining records stay in mV; the loop standardises each view)", config.standardize);
  return preprocessSpec({ ...config, standardize: 'none' }, fn, 'config');
}

/**
 * Precomputes one in-memory record for pretraining: `preprocessRecord` with the spec (band-pass,
 * resample to `fs`, the spec's leads, crop/zero-pad to `lengthSamples` if set; mV), then
 * {@link precomputeRecord} (R-peaks, features and classes from `beat-ssl/beats`; signals stay in mV).
 * @param record any record with the spec's leads
 * @param config the preprocessing spec (`fs` required); see {@link SslPrecomputeConfig}
 * @returns an {@link SslRecord}
 * @throws when a lead is missing or the rate is invalid
 * @example
 * const r = sslRecordFrom(await readRecord('examples/data/ludb/1'), { fs: 100 });
 * r.signals.length; // 1000 * 12
 */
export function sslRecordFrom(record: EcgRecord, config: SslPrecomputeConfig): SslRecord {
  return recordFrom(record, config, 'sslRecordFrom');
}

/** {@link sslRecordFrom} naming the public function `fn` in its errors. */
function recordFrom(record: EcgRecord, config: SslPrecomputeConfig, fn: string): SslRecord {
  const spec = resolveConfig(config, fn);
  const r = precomputeRecord(preprocessRecord(record, spec, fn));
  return { ...r, name: record.name, leads: r.leads ?? spec.leads!.length };
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
export async function precomputeSslRecord(recordPath: string, config: SslPrecomputeConfig): Promise<SslRecord> {
  const fn = 'precomputeSslRecord';
  check(typeof recordPath === 'string' && recordPath.length > 0, fn, 'recordPath', 'a record path (without extension)', recordPath);
  resolveConfig(config, fn);
  const { readRecord } = await import('../io/readRecord');
  return recordFrom(await readRecord(recordPath), config, fn);
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
 * @param opts `config` (the preprocessing spec, `fs` required), `cache` (folder or cache; default none), `workers`, `onProgress`
 * @returns one {@link SslRecord} per path, in order
 * @throws when a record cannot be read (named)
 * @example
 * const data = await loadSslRecords(await listWfdbRecords('../shared/data/ptbxl'), { config: { fs: 100 }, cache: '.cache/beat-ssl' });
 * await pretrainBeatSsl({ model, data, steps: 200, seed: 0 });
 */
export async function loadSslRecords(
  paths: readonly string[],
  opts: { config: SslPrecomputeConfig; cache?: RecordCache | string | null; workers?: number; onProgress?: (done: number, total: number) => void },
): Promise<SslRecord[]> {
  check(Array.isArray(paths) && paths.every((p) => typeof p === 'string' && p !== ''), 'loadSslRecords', 'paths', 'an array of record paths', paths);
  check(opts != null && typeof opts === 'object', 'loadSslRecords', 'opts', '{ config: { fs, ... }, cache?, workers?, onProgress? }', opts);
  checkOptions(opts, ['config', 'cache', 'workers', 'onProgress'], 'loadSslRecords');
  const config = resolveConfig(opts.config, 'loadSslRecords');
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
