/**
 * Reading WFDB records from disk (Node only; Node built-ins are imported dynamically so that
 * importing `beat-ssl/io` stays browser-safe).
 * @module
 */
import type { EcgRecord } from '../core/types';
import { BeatSslError, describe } from '../core/errors';
import { parseHeader, type WfdbHeader } from './header';
import type { ReadRecordOptions } from './record';
import { parseRecordAs } from './_internal/parseRecord';
import { groupByFile } from './_internal/decode';
import { readFileOrFail } from './_internal/nodeFiles';
import { decodeHeaderText } from './_internal/text';
import { nodePath } from '../core/_internal/node';

const FN = 'readRecord';

/** Splits `path/to/rec(.hea)?` into directory and record base name. */
async function splitBase(base: string, fn: string): Promise<{ dir: string; rec: string; hea: string }> {
  if (typeof base !== 'string' || base.trim() === '') throw new BeatSslError(fn, `base must be a record path (with or without .hea), but got ${describe(base)}.`, 'base');
  const path = await nodePath(fn);
  const hea = base.endsWith('.hea') ? base : `${base}.hea`;
  const dir = path.dirname(hea);
  const rec = path.basename(hea, '.hea');
  return { dir, rec, hea };
}

/**
 * Reads a WFDB header file (`.hea`) from disk.
 *
 * @param base record path, with or without the `.hea` extension (e.g. `data/mitdb/100`)
 * @returns the parsed header (see {@link parseHeader})
 * @throws BeatSslError if the file is missing or malformed (the message names the file)
 * @example
 * ```ts
 * const h = await readHeader('examples/data/mitdb/100');
 * h.signals.map((s) => s.description); // ['MLII', 'V5']
 * ```
 */
export async function readHeader(base: string): Promise<WfdbHeader> {
  const { hea } = await splitBase(base, 'readHeader');
  return parseHeaderFile(hea, await readFileOrFail(hea, 'readHeader', 'header file'), 'readHeader');
}

function parseHeaderFile(path: string, bytes: Uint8Array, fn: string): WfdbHeader {
  if (bytes.length === 0) throw new BeatSslError(fn, `header file '${path}' must contain a record line, but it is empty.`, path);
  try {
    return parseHeader(decodeHeaderText(bytes));
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(fn, `header file '${path}': ${e.message.replace(/^Error in parseHeader: /, '')}`, path);
    throw e;
  }
}

/**
 * Reads a WFDB record (header + signal files) from disk into an {@link EcgRecord} (Node only).
 *
 * Accepts a path with or without `.hea`. Signal files are resolved relative to the header's
 * directory. Multi-segment records are read segment by segment and concatenated. See
 * {@link parseRecord} for units, invalid samples, skew and checksum handling.
 *
 * @param base record path, e.g. `'examples/data/mitdb/100'` or `'.../100.hea'`
 * @param opts checksum policy (`'error'` default), skew handling, warning sink
 * @returns the record: `fs` in Hz, `signals[lead]` in mV, lead names from the header
 * @throws BeatSslError naming the file: missing/unreadable file, malformed header, unsupported
 *   format, truncated signal file, checksum mismatch
 * @example
 * ```ts
 * const rec = await readRecord('examples/data/ludb/1');
 * rec.fs; // 500
 * rec.leads; // ['i', 'ii', 'iii', 'avr', ...]
 * ```
 */
export async function readRecord(base: string, opts: ReadRecordOptions = {}): Promise<EcgRecord> {
  const path = await nodePath(FN);
  const { dir, hea } = await splitBase(base, FN);
  const header = parseHeaderFile(hea, await readFileOrFail(hea, FN, 'header file'), FN);
  const files: Record<string, Uint8Array> = {};
  const loadSignalFiles = async (h: WfdbHeader) => {
    for (const name of groupByFile(h.signals).keys()) {
      if (name in files || name === '~' || name === '-') continue;
      files[name] = await readFileOrFail(path.join(dir, name), FN, 'signal file');
    }
  };
  if (header.segments) {
    for (const seg of header.segments) {
      if (seg.name === '~') continue;
      const key = `${seg.name}.hea`;
      if (key in files) continue;
      const bytes = await readFileOrFail(path.join(dir, key), FN, 'segment header');
      files[key] = bytes;
      const sh = parseHeaderFile(path.join(dir, key), bytes, FN);
      if (!sh.segments && !(seg === header.segments[0] && seg.nSamples === 0)) await loadSignalFiles(sh);
    }
  } else {
    await loadSignalFiles(header);
  }
  try {
    return parseRecordAs({ header, files }, opts, FN);
  } catch (e) {
    if (e instanceof BeatSslError && !e.message.includes(hea)) {
      throw new BeatSslError(FN, `record '${hea}': ${e.message.replace(/^Error in readRecord: /, '')}`, e.arg);
    }
    throw e;
  }
}
