/**
 * Runtime-neutral WFDB record decoding: header text + signal file bytes → {@link EcgRecord}.
 * Works in browsers (no Node imports); `readRecord` reads from disk or a URL on top of it.
 * @module
 */
import type { EcgRecord } from '../core/types';
import type { WfdbHeader } from './header';
import { runSync, runAsync, memorySource, recordSteps, resolveReadOptions, PARSE_RECORD_KEYS } from './_internal/engine';

export { DEFAULT_MAX_SAMPLES, DEFAULT_MAX_BYTES } from './_internal/limits';

/** Options of {@link parseRecord} and `readRecord`. */
export interface ReadRecordOptions {
  /**
   * What to do when a signal's checksum in the header does not match the data:
   * `'error'` (default) throws, `'warn'` calls `onWarning`, `'ignore'` skips the check.
   * Checksums can only be verified when a signal is read whole (no `from`/`to`), so reading a
   * part never checks them. Headers whose every signal line has initial value 0 and checksum 0
   * (old PhysioBank form, e.g. PTB Diagnostic `s0014lre`) are treated as "checksum unspecified".
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
  /**
   * Signals with several samples per frame (`16x4` in the header):
   * - `'getvec'` (default): one value per frame, the frame's digital mean truncated toward zero,
   *   exactly as WFDB's `getvec`/`rdsamp` (without `-H`) and wfdb-python's `smooth_frames`;
   * - `'mean'`: one value per frame, the exact mean (physical output only);
   * - `'expanded'`: every sample; signal *i* then has `n · samplesPerFrame[i]` samples at
   *   `fs · samplesPerFrame[i]` Hz (the result is an {@link ExpandedRecord}).
   * A frame with an invalid sample is invalid (`NaN`) in `'getvec'` and `'mean'`.
   */
  frames?: 'getvec' | 'mean' | 'expanded';
  /**
   * `true`: return the stored integers (a {@link DigitalRecord} of Int32Array signals, exact for
   * every format including 24 and 32 bits) instead of physical values. Default `false`.
   */
  digital?: boolean;
  /**
   * Signals to read, by name (the header's description, e.g. `'MLII'`) or index, in the order
   * wanted. Default: all. Only the signal files holding them are read.
   */
  channels?: readonly (string | number)[];
  /** First sample (frame) to read, inclusive; default 0. Do not combine with `fromSec`. */
  from?: number;
  /** Sample (frame) to stop before, exclusive; default the record's length. Do not combine with `toSec`. */
  to?: number;
  /** First sample as a time in seconds (`round(fromSec · fs)`). */
  fromSec?: number;
  /** End as a time in seconds (`round(toSec · fs)`, exclusive). */
  toSec?: number;
  /**
   * Budget: the most samples one read may decode and the most it may return (each counted over
   * all signals, all samples per frame and all segments), checked before anything is allocated.
   * Default `DEFAULT_MAX_SAMPLES` (2²⁷). Raise it for longer records, or read a part with
   * `from`/`to` or `channels`.
   */
  maxSamples?: number;
  /**
   * Budget: the most bytes one read may load (headers, segment headers and signal files
   * together), checked before each file is read. Default `DEFAULT_MAX_BYTES` (1 GiB).
   */
  maxBytes?: number;
}

/**
 * A record read with `{ digital: true }`: the stored integer samples and what is needed to turn
 * them into physical units, `(signals[i][t] − baseline[i]) / gain[i]`.
 */
export interface DigitalRecord {
  /** Record name. */
  name: string;
  /** Frame rate in Hz (each signal has `samplesPerFrame[i]` samples per frame). */
  fs: number;
  /** Signal names. */
  leads: string[];
  /** Digital samples per signal (Int32: exact for every format). */
  signals: Int32Array[];
  /** Physical units as written in the header (no conversion). */
  units: string[];
  /** ADC gain per signal (ADC units per physical unit). */
  gain: number[];
  /** Baseline per signal (ADC value of 0 physical units). */
  baseline: number[];
  /**
   * The value marking invalid or missing samples per signal: the format's invalid code (−32768
   * for 16, −2048 for 212, ...), −32768 for null signals, −2³¹ for format 8 (which has no code;
   * used only where there is no data, e.g. null segments or skew past the end).
   */
  invalid: number[];
  /** Samples per frame per signal in `signals` (all 1 unless `frames: 'expanded'`). */
  samplesPerFrame: number[];
  /** Header comment lines. */
  comments: string[];
}

/**
 * A record read with `{ frames: 'expanded' }`: like {@link EcgRecord}, but signal *i* has
 * `samplesPerFrame[i]` samples per frame, i.e. `fs · samplesPerFrame[i]` Hz and
 * `n · samplesPerFrame[i]` samples; the signals can therefore differ in length.
 */
export interface ExpandedRecord {
  /** Record name. */
  name: string;
  /** Frame rate in Hz. */
  fs: number;
  /** Signal names. */
  leads: string[];
  /** Physical samples per signal (mV for voltage signals), all samples of every frame. */
  signals: Float32Array[];
  /** Physical unit per signal after conversion. */
  units: string[];
  /** Samples per frame per signal. */
  samplesPerFrame: number[];
  /** Header comment lines. */
  comments: string[];
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
 * frame give one value per frame as WFDB's getvec does (see {@link ReadRecordOptions.frames}).
 * Formats 0, 8, 16, 24, 32, 61, 80, 160, 212, 310 and 311, several signals per file and several
 * files per record are supported; FLAC formats 508/516/524 need {@link parseRecordAsync}.
 * Multi-segment records are concatenated (null segments and signals absent from a segment are `NaN`).
 *
 * @param input header text (or parsed header) and the bytes of every signal file it names
 * @param opts checksum policy, skew, frames, digital output, channels, sample range, budgets
 * @returns the record: an {@link EcgRecord} by default (`signals[lead]` in mV for voltage
 *   signals), a {@link DigitalRecord} with `digital: true`, an {@link ExpandedRecord} with
 *   `frames: 'expanded'`
 * @throws BeatSslError naming the file and the problem: missing or truncated file, header
 *   overstating the sample count, file name outside the record's folder, budget exceeded,
 *   checksum mismatch (with `checksum: 'error'`), unknown option
 * @example
 * ```ts
 * const rec = parseRecord({ header: heaText, files: { '100.dat': datBytes } });
 * rec.fs; // 360
 * rec.signals[0].length; // 650000
 * const part = parseRecord({ header: heaText, files }, { from: 3600, to: 7200, channels: ['MLII'] });
 * ```
 */
export function parseRecord(input: WfdbRecordInput, opts: ReadRecordOptions & { digital: true }): DigitalRecord;
export function parseRecord(input: WfdbRecordInput, opts: ReadRecordOptions & { frames: 'expanded' }): ExpandedRecord;
export function parseRecord(input: WfdbRecordInput, opts?: ReadRecordOptions): EcgRecord;
export function parseRecord(input: WfdbRecordInput, opts: ReadRecordOptions = {}): EcgRecord | DigitalRecord | ExpandedRecord {
  const o = resolveReadOptions(opts, PARSE_RECORD_KEYS, FN);
  const src = memorySource(input, FN);
  return runSync(recordSteps(src.header, o, FN, src.source), src.source);
}

/**
 * {@link parseRecord} for every format, including the FLAC formats 508/516/524, which decode
 * asynchronously through the optional package `@wasm-audio-decoders/flac` (install it to read them).
 *
 * @param input header text (or parsed header) and the bytes of every signal file it names
 * @param opts as {@link parseRecord}
 * @returns a promise of the record (see {@link parseRecord})
 * @throws BeatSslError as {@link parseRecord}; for FLAC files also when the decoder package is
 *   missing or the stream does not match the header
 * @example
 * ```ts
 * const rec = await parseRecordAsync({ header: heaText, files: { 'x.dat': flacBytes } });
 * ```
 */
export async function parseRecordAsync(input: WfdbRecordInput, opts: ReadRecordOptions & { digital: true }): Promise<DigitalRecord>;
export async function parseRecordAsync(input: WfdbRecordInput, opts: ReadRecordOptions & { frames: 'expanded' }): Promise<ExpandedRecord>;
export async function parseRecordAsync(input: WfdbRecordInput, opts?: ReadRecordOptions): Promise<EcgRecord>;
export async function parseRecordAsync(input: WfdbRecordInput, opts: ReadRecordOptions = {}): Promise<EcgRecord | DigitalRecord | ExpandedRecord> {
  const fn = 'parseRecordAsync';
  const o = resolveReadOptions(opts, PARSE_RECORD_KEYS, fn);
  const src = memorySource(input, fn);
  return runAsync(recordSteps(src.header, o, fn, src.source), src.source);
}
