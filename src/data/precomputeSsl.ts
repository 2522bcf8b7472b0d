/**
 * The per-record precomputation of Beat-SSL pretraining (DESIGN §5), from a WFDB record on disk
 * to the `PrecomputedRecord` shape that `beat-ssl/train`'s `pretrainBeatSsl` takes: preprocessed
 * signals (time-major `[T × leads]`), R-peaks at the working rate, record features (heart rate,
 * RR SD and RMSSD, per-lead median R and S amplitudes), beat features (RR before/after and their
 * ratio, R and S amplitude in lead II, correlation with the record's median beat, QRS energy in V1)
 * and a coarse beat class (V when the correlation with the median beat is below 0.7, S when the
 * preceding RR is below 85% of the median RR, else N). Cached on disk and run on
 * worker threads by {@link loadSslRecords} (Node only).
 * @module
 */
import type { EcgRecord } from '../core/types';
import { check } from '../core/errors';
import { detectRPeaks } from '../beats/detect';
import { interleaveLeads, preprocessRecord, type PreprocessOptions } from './preprocess';
import { precomputeRecords } from './precompute';
import type { RecordCache } from './cache';
import { sslFeatures } from './_internal/sslFeatures';

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

/** One precomputed record (structurally the `PrecomputedRecord` of `beat-ssl/train`). */
export interface SslRecord {
  name: string;
  /** `[T × leads]` time-major, preprocessed. */
  signals: Float32Array;
  fs: number;
  leads: number;
  /** R-peaks at `fs`. */
  rPeaks: Int32Array;
  /** Record features φ (27 values, NaN where unavailable). */
  recordFeatures: Float32Array | null;
  /** Beat features ψ `[beats × 7]` row-major. */
  beatFeatures: Float32Array | null;
  /** Beat class per R-peak (0 N, 1 S, 2 V; −1 unknown). */
  beatClasses: Int8Array | null;
}

function resolveConfig(config: SslPrecomputeConfig = {}): Required<Omit<SslPrecomputeConfig, 'leads' | 'bandpassHz'>> & Pick<SslPrecomputeConfig, 'leads' | 'bandpassHz'> {
  const fs = config.fs ?? 100;
  return { fs, bandpassHz: config.bandpassHz === undefined ? [0.5, 40] : config.bandpassHz, leads: config.leads, length: config.length ?? Math.round(10 * fs) };
}

/**
 * Precomputes one in-memory record for pretraining (preprocess, fix the length, detect R-peaks).
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
  const opts: PreprocessOptions = { fs: c.fs, bandpassHz: c.bandpassHz, standardize: 'lead' };
  if (c.leads) opts.leads = c.leads;
  const pre = preprocessRecord(record, opts);
  const T = c.length;
  const signals = pre.signals.map((s) => {
    if (s.length === T) return s;
    const out = new Float32Array(T);
    out.set(s.subarray(0, T));
    return out;
  });
  const rPeaks = detectRPeaks(signals, c.fs);
  const f = sslFeatures(signals, c.fs, rPeaks);
  return { name: record.name, signals: interleaveLeads(signals), fs: c.fs, leads: signals.length, rPeaks, recordFeatures: f.record, beatFeatures: f.beats, beatClasses: f.classes };
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
  const fs = await import('node:fs/promises');
  const url = await import('node:url');
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
    namespace: 'ssl-v2',
    workers: opts.workers,
    onProgress: opts.onProgress,
  });
  return values;
}
