/**
 * Runtime-neutral WFDB record decoding: header text + signal file bytes → {@link EcgRecord}.
 * Works in browsers (no Node imports); `readRecord` is the Node convenience on top of it.
 * @module
 */
import type { EcgRecord } from '../core/types';
import type { WfdbHeader } from './header';
import { parseRecordAs } from './_internal/parseRecord';

/** Options of {@link parseRecord} and `readRecord`. */
export interface ReadRecordOptions {
  /**
   * What to do when a signal's checksum in the header does not match the data:
   * `'error'` (default) throws, `'warn'` calls `onWarning`, `'ignore'` skips the check.
   * Headers whose every signal line has initial value 0 and checksum 0 (old PhysioBank form, e.g.
   * PTB Diagnostic `s0014lre`) are treated as "checksum unspecified" and never checked.
   */
  checksum?: 'error' | 'warn' | 'ignore';
  /**
   * Skewed signals (`fmt:skew` in the header): `'apply'` (default, as WFDB's rdsamp) shifts each
   * signal earlier by its skew so that the signals are time-aligned; samples past the end of the
   * file become `NaN`. `'ignore'` returns the samples as stored.
   */
  skew?: 'apply' | 'ignore';
  /** Receives warnings (checksum mismatches with `checksum: 'warn'`). Default: `console.warn`. */
  onWarning?: (message: string) => void;
}

/** Input of {@link parseRecord}: header text and the bytes of every file it names. */
export interface WfdbRecordInput {
  /** Content of the `.hea` file (or an already parsed header). */
  header: string | WfdbHeader;
  /**
   * Signal files by the file name written in the header (e.g. `{ '100.dat': bytes }`). For a
   * multi-segment record, also each segment's header as `'<segment>.hea'` and its signal files.
   */
  files: Record<string, Uint8Array>;
}

const FN = 'parseRecord';

/**
 * Decodes a WFDB record from its header text and file bytes (runtime-neutral, for browsers and Node).
 *
 * Signals are converted to physical units, `(adc − baseline) / gain`, and µV/nV/V to mV (`units`
 * reports the unit after conversion; other units such as `mmHg` are kept as written). WFDB invalid
 * samples (e.g. −32768 in format 16, −2048 in 212) become `NaN`. Signals with several samples per
 * frame are averaged per frame (the record's `fs` is the frame rate). Formats 8, 16, 24, 32, 61,
 * 80, 160, 212, 310 and 311, several signals per file and several files per record are supported.
 * Multi-segment records are concatenated (null segments and signals absent from a segment are `NaN`).
 *
 * @param input header text (or parsed header) and the bytes of every signal file it names
 * @param opts checksum policy, skew handling, warning sink
 * @returns the record; `signals[lead]` has one value per sample, in mV for voltage signals
 * @throws BeatSslError naming the file and the problem: missing file, truncated file, header
 *   overstating the sample count, unsupported format, checksum mismatch (with `checksum: 'error'`)
 * @example
 * ```ts
 * const rec = parseRecord({ header: heaText, files: { '100.dat': datBytes } });
 * rec.fs; // 360
 * rec.signals[0].length; // 650000
 * ```
 */
export function parseRecord(input: WfdbRecordInput, opts: ReadRecordOptions = {}): EcgRecord {
  return parseRecordAs(input, opts, FN);
}
