/**
 * Reading WFDB records from disk (Node) or from a base URL (Node and browsers, with `fetch`).
 * Node built-ins are only reached through `_internal/nodeFiles` (dynamically imported), so
 * importing `beat-ssl/io` stays browser-safe.
 * @module
 */
import { BeatSslError, describe } from '../core/errors';
import type { WfdbHeader } from './header';
import type { EcgRecord } from '../core/types';
import type { DigitalRecord, ExpandedRecord, ReadRecordOptions } from './record';
import { PARSE_RECORD_KEYS, recordSteps, resolveReadOptions, runAsync } from './_internal/engine';
import { folderSourceFor, locate } from './_internal/locate';
import { MAX_HEADER_BYTES } from './_internal/limits';
import { decodeHeaderText } from './_internal/text';
import { parseHeader } from './header';

/** Options of {@link readRecord}: those of `parseRecord` plus where and how to fetch. */
export interface ReadRecordFromOptions extends ReadRecordOptions {
  /**
   * Remote records only (Node): a folder where downloaded files are kept
   * (`<cacheDir>/<host>/<path>`) and reused by later reads. Files are downloaded whole once
   * (at most `maxBytes` each); without a cache only the byte ranges needed are requested.
   */
  cacheDir?: string;
  /** Remote records only: per-request timeout in ms (default 30000). */
  timeoutMs?: number;
  /** Remote records only: the `fetch` to use (default the global one), e.g. to add credentials. */
  fetch?: typeof fetch;
}

const READ_RECORD_KEYS = [...PARSE_RECORD_KEYS, 'cacheDir', 'timeoutMs', 'fetch'] as const;

/**
 * Reads a WFDB header file (`.hea`) from disk or a URL.
 *
 * @param base record path or URL, with or without the `.hea` extension (e.g. `data/mitdb/100`,
 *   `https://physionet.org/files/mitdb/1.0.0/100`)
 * @param opts `timeoutMs`, `fetch`, `cacheDir` for URLs (see {@link ReadRecordFromOptions})
 * @returns the parsed header (see {@link parseHeader})
 * @throws BeatSslError if the file is missing or malformed (the message names the file or URL),
 *   or on a network error (status, URL and what to check)
 * @example
 * ```ts
 * const h = await readHeader('examples/data/mitdb/100');
 * h.signals.map((s) => s.description); // ['MLII', 'V5']
 * ```
 */
export async function readHeader(base: string, opts: Pick<ReadRecordFromOptions, 'cacheDir' | 'timeoutMs' | 'fetch'> = {}): Promise<WfdbHeader> {
  const fn = 'readHeader';
  const { source, hea } = await locate(base, opts ?? {}, fn);
  const bytes = await source.read(hea, 0, MAX_HEADER_BYTES + 1, 'header file');
  const label = source.label(hea);
  if (bytes.length > MAX_HEADER_BYTES) throw new BeatSslError(fn, `header file '${label}' must be at most ${MAX_HEADER_BYTES} bytes (a WFDB header is text), but it is larger.`, label);
  if (bytes.length === 0) throw new BeatSslError(fn, `header file '${label}' must contain a record line, but it is empty.`, label);
  try {
    return parseHeader(decodeHeaderText(bytes));
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(fn, `header file '${label}': ${e.message.replace(/^Error in parseHeader: /, '')}`, label);
    throw e;
  }
}

/**
 * Reads a WFDB record (header + signal files) from disk or from a base URL into an
 * {@link EcgRecord}. Works in Node; URLs also work in browsers (with `fetch`).
 *
 * Signal files are resolved relative to the header's folder and must stay inside it. Only the
 * bytes needed are read: `from`/`to` (samples) or `fromSec`/`toSec` read just that range of each
 * signal file (from disk with positioned reads, over HTTP with `Range` requests), and
 * `channels` reads only the files holding the selected signals. Multi-segment records read only
 * the segments that overlap the range. Every read is checked against the `maxSamples` and
 * `maxBytes` budgets before anything is allocated. See {@link parseRecord} for units, invalid
 * samples, frames, skew and checksums.
 *
 * @param base record path or URL, e.g. `'examples/data/mitdb/100'`, `'.../100.hea'`,
 *   `'https://physionet.org/files/mitdb/1.0.0/100'`
 * @param opts range, channels, digital/frames output, budgets, checksum and skew policies;
 *   `cacheDir`, `timeoutMs`, `fetch` for URLs
 * @returns the record: `EcgRecord` (`fs` in Hz, `signals[lead]` in mV), `DigitalRecord` with
 *   `digital: true`, `ExpandedRecord` with `frames: 'expanded'`
 * @throws BeatSslError naming the file or URL: missing/unreadable file, malformed header,
 *   unsupported format, file name outside the folder, budget exceeded (naming the option to
 *   raise), truncated signal file, checksum mismatch, network error (status, URL, what to check)
 * @example
 * ```ts
 * const rec = await readRecord('examples/data/ludb/1');
 * rec.fs; // 500
 * const minute = await readRecord('examples/data/mitdb/100', { fromSec: 60, toSec: 120, channels: ['MLII'] });
 * const remote = await readRecord('https://physionet.org/files/mitdb/1.0.0/100', { toSec: 10 });
 * ```
 */
export async function readRecord(base: string, opts: ReadRecordFromOptions & { digital: true }): Promise<DigitalRecord>;
export async function readRecord(base: string, opts: ReadRecordFromOptions & { frames: 'expanded' }): Promise<ExpandedRecord>;
export async function readRecord(base: string, opts?: ReadRecordFromOptions): Promise<EcgRecord>;
export async function readRecord(base: string, opts: ReadRecordFromOptions = {}): Promise<EcgRecord | DigitalRecord | ExpandedRecord> {
  const fn = 'readRecord';
  const o = resolveReadOptions(opts, READ_RECORD_KEYS, fn);
  const { source, hea } = await locate(base, { ...(opts ?? {}), maxBytes: o.maxBytes }, fn);
  return runAsync(recordSteps({ kind: 'file', name: hea }, o, fn, source), source);
}

/**
 * Reads the `RECORDS` index of a WFDB database folder or base URL (PhysioNet's list of record
 * names, one per line) and returns each record's location, ready for {@link readRecord}.
 *
 * @param base folder path or URL of the database (e.g. `'https://physionet.org/files/mitdb/1.0.0/'`)
 * @param opts `timeoutMs`, `fetch`, `cacheDir` for URLs
 * @returns record locations (`<base>/<name>`), in file order
 * @throws BeatSslError if the index is missing, larger than 16 MiB, or names a record outside the folder
 * @example
 * ```ts
 * const recs = await readRecordsFile('https://physionet.org/files/mitdb/1.0.0/');
 * const first = await readRecord(recs[0], { toSec: 10 });
 * ```
 */
export async function readRecordsFile(base: string, opts: Pick<ReadRecordFromOptions, 'cacheDir' | 'timeoutMs' | 'fetch'> = {}): Promise<string[]> {
  const fn = 'readRecordsFile';
  if (typeof base !== 'string' || base.trim() === '') throw new BeatSslError(fn, `base must be a database folder path or URL, but got ${describe(base)}.`, 'base');
  const folder = base.endsWith('/') ? base : `${base}/`;
  await locate(`${folder}RECORDS`, opts ?? {}, fn); // validates the options
  const source = await folderSourceFor(folder, opts ?? {}, fn);
  const bytes = await source.read('RECORDS', 0, MAX_HEADER_BYTES + 1, 'RECORDS file');
  if (bytes.length > MAX_HEADER_BYTES) throw new BeatSslError(fn, `RECORDS file '${source.label('RECORDS')}' must be at most ${MAX_HEADER_BYTES} bytes, but it is larger.`, 'base');
  const { unsafeNameReason } = await import('./_internal/names');
  const names = decodeHeaderText(bytes)
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return names.map((name) => {
    const why = unsafeNameReason(name);
    if (why !== null) throw new BeatSslError(fn, `RECORDS file '${source.label('RECORDS')}' must list record names inside the folder, but it lists ${describe(name)} (${why}).`, 'base');
    return `${folder}${name.replace(/\/$/, '')}`;
  });
}
