/**
 * Writing WFDB records to disk (Node only; Node built-ins are imported dynamically).
 * @module
 */
import type { EcgRecord } from '../core/types';
import { BeatSslError, describe } from '../core/errors';
import type { WriteRecordOptions } from './encodeRecord';
import { encodeRecordAs } from './_internal/encode';
import { writeFilesAtomic } from './_internal/nodeFiles';
import { nodePath } from '../core/_internal/node';

/**
 * Writes a record as WFDB files `<base>.hea` and `<base>.dat` (Node only). The header carries
 * every field (gain(baseline)/units, ADC resolution and zero, initial value, checksum); all leads
 * are interleaved in one signal file. Files are written under temporary names and renamed, so a
 * failure never leaves a partial record.
 *
 * @param base output path without extension (a trailing `.hea` is accepted); its base name
 *   becomes the record name
 * @param record the record (`signals[lead]` in mV, equal lengths)
 * @param opts format 16 (default) or 212 (or any readable format), gain/baseline per lead, ...
 * @returns the paths written
 * @throws BeatSslError if the record does not fit the format (message names lead and sample) or
 *   the files cannot be written
 * @example
 * ```ts
 * await writeRecord('out/rec1', rec, { format: 212, gain: 200, baseline: 0 });
 * const back = await readRecord('out/rec1');
 * ```
 */
export async function writeRecord(base: string, record: EcgRecord, opts: WriteRecordOptions = {}): Promise<{ header: string; files: string[] }> {
  const fn = 'writeRecord';
  if (typeof base !== 'string' || base.trim() === '') throw new BeatSslError(fn, `base must be an output path, but got ${describe(base)}.`, 'base');
  const path = await nodePath(fn);
  const stem = base.endsWith('.hea') ? base.slice(0, -4) : base;
  const dir = path.dirname(stem);
  const name = path.basename(stem);
  const enc = encodeRecordAs(record, { ...opts, name }, fn);
  const heaPath = `${stem}.hea`;
  const entries = [{ path: heaPath, data: enc.header }, ...Object.entries(enc.files).map(([f, data]) => ({ path: path.join(dir, f), data }))];
  await writeFilesAtomic(entries, fn);
  return { header: heaPath, files: entries.slice(1).map((e) => e.path) };
}
