/**
 * Runtime-neutral WFDB record encoding: {@link EcgRecord} → header text + signal file bytes.
 * `writeRecord` is the Node convenience that puts them on disk.
 * @module
 */
import type { EcgRecord } from '../core/types';
import type { WfdbHeader } from './header';
import type { WfdbFormat } from './_internal/formats';
import { encodeRecordAs } from './_internal/encode';

/** Options of {@link encodeRecord} and `writeRecord`. */
export interface WriteRecordOptions {
  /** Storage format; default 16. Every readable format but FLAC can be written (8, 16, 24, 32, 61, 80, 160, 212, 310, 311). */
  format?: Exclude<WfdbFormat, 0 | 508 | 516 | 524>;
  /**
   * ADC gain in ADC units per physical unit (per lead or one for all). Default by format:
   * 1000 for 16/61/160 (1 µV per unit, ±32.7 mV), 200 for 212 (5 µV, ±10.2 mV, like MIT-BIH),
   * 100 for 310/311 and 8/80, 100000 for 24 and 32.
   */
  gain?: number | readonly number[];
  /** Baseline (ADC value of 0 mV), per lead or one for all; default 0. */
  baseline?: number | readonly number[];
  /** ADC zero written to the header, per lead or one for all; default 0. */
  adcZero?: number | readonly number[];
  /** Record name written in the header (default `record.name`; `writeRecord` uses the file's base name). */
  name?: string;
  /** Signal file name (default `<name>.dat`). */
  fileName?: string;
  /** Base time `HH:MM:SS` and date `DD/MM/YYYY` for the record line (optional). */
  baseTime?: string;
  baseDate?: string;
}

/** Output of {@link encodeRecord}. */
export interface EncodedRecord {
  /** Header text (`.hea` content). */
  header: string;
  /** The parsed form of `header`. */
  wfdbHeader: WfdbHeader;
  /** Signal file bytes by file name. */
  files: Record<string, Uint8Array>;
}

/**
 * Encodes a record as WFDB: header text (with initial values and checksums) and one signal file
 * holding all leads interleaved. Runtime-neutral. Values are stored as
 * `round(x · gain + baseline)`; `NaN` becomes the format's invalid-sample value.
 *
 * @param record the record (`signals[lead]` in the units given by `record.units`, normally mV)
 * @param opts format (default 16), gain and baseline per lead, names
 * @returns `{ header, wfdbHeader, files }` ready to write or to pass to `parseRecord`
 * @throws BeatSslError if the record is malformed, a value does not fit the format at the chosen
 *   gain (the message names lead and sample), or `NaN` is written in format 8
 * @example
 * ```ts
 * const enc = encodeRecord(rec, { format: 212, gain: 200, baseline: 1024 });
 * const back = parseRecord(enc); // same samples to within 1/(2·gain) mV
 * ```
 */
export function encodeRecord(record: EcgRecord, opts: WriteRecordOptions = {}): EncodedRecord {
  const fn = 'encodeRecord';
  return encodeRecordAs(record, opts, fn);
}
