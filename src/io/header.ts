/**
 * WFDB header (`.hea`) parsing and formatting. Runtime-neutral.
 * @module
 */
import { BeatSslError, describe } from '../core/errors';
import { defaultAdcResolution, isWfdbFormat, WFDB_FORMATS, type WfdbFormat } from './_internal/formats';

export { WFDB_FORMATS, type WfdbFormat } from './_internal/formats';

/** One signal line of a WFDB header. Every field is filled in (WFDB defaults applied). */
export interface WfdbSignalSpec {
  /** Signal file name, relative to the header's directory (`~` for "no file" in multi-segment layouts). */
  fileName: string;
  /** Storage format (8, 16, 24, 32, 61, 80, 160, 212, 310 or 311). */
  format: WfdbFormat;
  /** Samples per frame (the `x<n>` suffix of the format field; 1 when absent). */
  samplesPerFrame: number;
  /** Skew in frames (the `:<n>` suffix; 0 when absent). */
  skew: number;
  /** Byte offset of the first sample in the file (the `+<n>` suffix; 0 when absent). */
  byteOffset: number;
  /** ADC gain in ADC units per physical unit (0 or absent in the file → 200, with `gainGiven = false`). */
  gain: number;
  /** Whether the header stated a non-zero gain (WFDB calls the signal "uncalibrated" otherwise). */
  gainGiven: boolean;
  /** Baseline: the ADC value of 0 physical units (defaults to `adcZero`). */
  baseline: number;
  /** Physical units as written (defaults to `mV`). */
  units: string;
  /** ADC resolution in bits (0 or absent → the format's natural width, e.g. 12 for 212). */
  adcResolution: number;
  /** ADC value at the middle of the input range (default 0). */
  adcZero: number;
  /** Value of the first sample (default `adcZero`). */
  initValue: number;
  /** 16-bit signed checksum of all samples; `undefined` when the header has none. */
  checksum: number | undefined;
  /** Block size in bytes (0 = not a block device; informational). */
  blockSize: number;
  /** Signal description, i.e. the lead name (e.g. `MLII`, `i`, `V1`); may contain spaces. */
  description: string;
}

/** One segment line of a multi-segment header. */
export interface WfdbSegmentSpec {
  /** Segment record name (`~` for a null segment of missing data). */
  name: string;
  /** Samples per signal in the segment (0 for the layout segment of a variable-layout record). */
  nSamples: number;
}

/** A parsed WFDB header. */
export interface WfdbHeader {
  /** Record name. */
  name: string;
  /** Number of signals. */
  nSignals: number;
  /** Sampling frequency in Hz (frames per second; WFDB default 250 when absent). */
  fs: number;
  /** Counter frequency in Hz, when given (`fs/counterFreq`). */
  counterFreq: number | undefined;
  /** Base counter value, when given (`fs/counterFreq(baseCounter)`). */
  baseCounter: number | undefined;
  /** Samples per signal (frames); `undefined` when absent or 0 (then derived from the file size). */
  nSamples: number | undefined;
  /** Base time as written (`HH:MM:SS[.sss]`), when given. */
  baseTime: string | undefined;
  /** Base date as written (`DD/MM/YYYY`), when given. */
  baseDate: string | undefined;
  /** Signal specifications, in header order (empty for a multi-segment master header). */
  signals: WfdbSignalSpec[];
  /** Segments of a multi-segment record; `undefined` for single-segment records. */
  segments: WfdbSegmentSpec[] | undefined;
  /** Comment lines, without the leading `#` and surrounding white space. */
  comments: string[];
}

const FN = 'parseHeader';


function bad(what: string, got: unknown, where: string): never {
  throw new BeatSslError(FN, `${where}: ${what}, but got ${describe(got)}.`, 'text');
}

/** 32-bit signed integer range (WFDB stores baselines, ADC zeros, initial values and checksums as C `int`). */
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Ranges of the numeric header fields, chosen so that every derived value stays finite (see
 * docs/io.md, "Limits"). A header outside them is an error naming the line and field.
 */
export const WFDB_HEADER_RANGES = Object.freeze({
  /** Number of signals. */
  nSignals: [0, 100_000] as const,
  /** Sampling frequency in Hz. */
  fs: [1e-6, 1e9] as const,
  /** Counter frequency in Hz. */
  counterFreq: [1e-6, 1e12] as const,
  /** Magnitude of the base counter value. */
  baseCounter: [-1e15, 1e15] as const,
  /** Magnitude of a non-zero ADC gain (ADC units per physical unit); 0 means "uncalibrated" (200). */
  gain: [1e-12, 1e12] as const,
  /** Baseline, ADC zero, initial value and checksum: 32-bit signed integers. */
  int32: [INT32_MIN, INT32_MAX] as const,
  /** ADC resolution in bits. */
  adcResolution: [0, 32] as const,
  /** Samples per frame. */
  samplesPerFrame: [1, 2 ** 20] as const,
  /** Skew in frames. */
  skew: [0, INT32_MAX] as const,
  /** Block size in bytes. */
  blockSize: [0, INT32_MAX] as const,
});

function parseIntStrict(tok: string, what: string, where: string, min = -Infinity, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^[-+]?\d+$/.test(tok)) bad(`${what} must be an integer`, tok, where);
  const v = Number(tok);
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    const range = min > -Infinity && max < Number.MAX_SAFE_INTEGER ? ` in [${min}, ${max}]` : min > -Infinity ? ` ≥ ${min}` : '';
    bad(`${what} must be an integer${range}`, tok, where);
  }
  return v;
}

function parseNum(tok: string, what: string, where: string, range?: readonly [number, number], magnitude = false): number {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(tok)) bad(`${what} must be a number`, tok, where);
  const v = Number(tok);
  if (!Number.isFinite(v)) bad(`${what} must be a finite number`, tok, where);
  if (range) {
    const m = magnitude ? Math.abs(v) : v;
    if (!(m >= range[0] && m <= range[1])) {
      bad(`${what} must be ${magnitude ? 'a number whose magnitude is' : 'a number'} in [${range[0]}, ${range[1]}] (so that every derived value stays finite)`, tok, where);
    }
  }
  return v;
}

/**
 * Parses the text of a WFDB header (`.hea`) file.
 *
 * Record line: `name[/segments] nsig [fs[/counterfreq[(basecounter)]] [nsamples [basetime [basedate]]]]`.
 * Signal lines: `file format[xspf][:skew][+offset] [gain[(baseline)][/units] [adcres [adczero [initval [checksum [blocksize [description]]]]]]]`.
 * WFDB defaults are applied: fs 250 Hz, gain 0 → 200 (marked `gainGiven: false`), baseline = adczero,
 * units `mV`, adcres by format, adczero 0, initval = adczero, description `record <name>, signal <i>`.
 * LF and CRLF line endings, blank lines and `#` comments (anywhere) are accepted. Multi-segment
 * headers (`name/n`) return their `segments` and no `signals`.
 *
 * @param text the header file's content
 * @returns the parsed header
 * @throws BeatSslError if a line is malformed (message names the line and field)
 * @example
 * ```ts
 * const h = parseHeader('100 2 360 650000\n100.dat 212 200 11 1024 995 -22131 0 MLII\n100.dat 212 200 11 1024 1011 20052 0 V5\n');
 * h.fs; // 360
 * h.signals[0].baseline; // 1024 (defaults to adczero)
 * ```
 */
export function parseHeader(text: string): WfdbHeader {
  if (typeof text !== 'string') throw new BeatSslError(FN, `text must be a string, but got ${describe(text)}.`, 'text');
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\n|\r/);
  const comments: string[] = [];
  const content: { line: string; no: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    if (t.startsWith('#')) {
      comments.push(t.slice(1).trim());
      continue;
    }
    // WFDB allows a trailing comment on a line? No: only whole-line comments. Keep the line as is.
    content.push({ line: t, no: i + 1 });
  }
  if (content.length === 0) throw new BeatSslError(FN, 'text must contain a record line, but got an empty header (no non-comment line).', 'text');
  const rec = content[0];
  const where0 = `line ${rec.no} (record line)`;
  const toks = rec.line.split(/\s+/);
  const m = /^([^/\s]+)(?:\/(\d+))?$/.exec(toks[0]);
  if (!m) bad('record name must be `name` or `name/segments`', toks[0], where0);
  const name = m[1];
  const nSeg = m[2] !== undefined ? parseIntStrict(m[2], 'number of segments', where0, 1) : undefined;
  if (toks.length < 2) bad('the record line must give the number of signals', rec.line, where0);
  const nSignals = parseIntStrict(toks[1], 'number of signals', where0, ...WFDB_HEADER_RANGES.nSignals);
  let fs = 250;
  let counterFreq: number | undefined;
  let baseCounter: number | undefined;
  if (toks.length >= 3) {
    const fm = /^([^/()]+)(?:\/([^/()]+)(?:\(([^()]+)\))?)?$/.exec(toks[2]);
    if (!fm) bad('sampling frequency must be `fs`, `fs/counterfreq` or `fs/counterfreq(base)`', toks[2], where0);
    fs = parseNum(fm[1], 'sampling frequency (Hz)', where0, WFDB_HEADER_RANGES.fs);
    if (fm[2] !== undefined) counterFreq = parseNum(fm[2], 'counter frequency (Hz)', where0, WFDB_HEADER_RANGES.counterFreq);
    if (fm[3] !== undefined) baseCounter = parseNum(fm[3], 'base counter value', where0, WFDB_HEADER_RANGES.baseCounter);
  }
  let nSamples: number | undefined;
  if (toks.length >= 4) {
    const n = parseIntStrict(toks[3], 'number of samples per signal', where0, 0);
    nSamples = n > 0 ? n : undefined;
  }
  let baseTime: string | undefined;
  let baseDate: string | undefined;
  for (let k = 4; k < toks.length; k++) {
    const tok = toks[k];
    if (k === 4 && /^\d{1,2}(:\d{1,2}){0,2}(\.\d+)?$/.test(tok)) baseTime = tok;
    else if ((k === 5 || k === 4) && baseDate === undefined && /^\d{1,2}\/\d{1,2}\/\d{1,4}$/.test(tok)) baseDate = tok;
    else bad('base time must be HH:MM:SS and base date DD/MM/YYYY', tok, where0);
  }

  const rest = content.slice(1);
  if (nSeg !== undefined) {
    if (rest.length !== nSeg) {
      throw new BeatSslError(FN, `${where0}: the segment count must be ${rest.length} (one per segment line that follows), but got ${nSeg}.`, 'text');
    }
    const segments: WfdbSegmentSpec[] = rest.map(({ line, no }) => {
      const st = line.split(/\s+/);
      const where = `line ${no} (segment line)`;
      if (st.length < 2) bad('a segment line must be `name nsamples`', line, where);
      return { name: st[0], nSamples: parseIntStrict(st[1], 'segment length', where, 0) };
    });
    return { name, nSignals, fs, counterFreq, baseCounter, nSamples, baseTime, baseDate, signals: [], segments, comments };
  }
  if (rest.length !== nSignals) {
    throw new BeatSslError(FN, `${where0}: the signal count must be ${rest.length} (one per signal line that follows), but got ${nSignals}.`, 'text');
  }
  const signals = rest.map(({ line, no }, i) => parseSignalLine(line, `line ${no} (signal ${i})`, name, i));
  return { name, nSignals, fs, counterFreq, baseCounter, nSamples, baseTime, baseDate, signals, segments: undefined, comments };
}

function parseSignalLine(line: string, where: string, recordName: string, index: number): WfdbSignalSpec {
  // Split the first 8 fields on white space; the description is the rest of the line.
  const toks: string[] = [];
  let pos = 0;
  while (toks.length < 8 && pos < line.length) {
    while (pos < line.length && /\s/.test(line[pos])) pos++;
    if (pos >= line.length) break;
    const start = pos;
    while (pos < line.length && !/\s/.test(line[pos])) pos++;
    toks.push(line.slice(start, pos));
  }
  const description = line.slice(pos).trim();
  if (toks.length < 2) bad('a signal line must give at least `file format`', line, where);
  const fileName = toks[0];
  const fm = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/.exec(toks[1]);
  if (!fm) bad('format must be `fmt[xspf][:skew][+offset]`', toks[1], where);
  const fmtNum = Number(fm[1]);
  if (!isWfdbFormat(fmtNum)) {
    bad(`format must be one of ${WFDB_FORMATS.join(', ')} (unsupported WFDB format)`, toks[1], where);
  }
  const format: WfdbFormat = fmtNum;
  const samplesPerFrame = fm[2] !== undefined ? parseIntStrict(fm[2], 'samples per frame', where, ...WFDB_HEADER_RANGES.samplesPerFrame) : 1;
  const skew = fm[3] !== undefined ? parseIntStrict(fm[3], 'skew', where, ...WFDB_HEADER_RANGES.skew) : 0;
  const byteOffset = fm[4] !== undefined ? parseIntStrict(fm[4], 'byte offset', where, 0) : 0;

  let gain = 0;
  let baseline: number | undefined;
  let units = 'mV';
  if (toks.length >= 3) {
    const gm = /^([^()/]+)(?:\(([^()]*)\))?(?:\/(.*))?$/.exec(toks[2]);
    if (!gm) bad('gain must be `gain[(baseline)][/units]`', toks[2], where);
    gain = parseNum(gm[1], 'ADC gain', where);
    if (gain !== 0) gain = parseNum(gm[1], 'ADC gain (non-zero)', where, WFDB_HEADER_RANGES.gain, true);
    if (gm[2] !== undefined) baseline = parseIntStrict(gm[2], 'baseline', where, ...WFDB_HEADER_RANGES.int32);
    if (gm[3] !== undefined && gm[3] !== '') units = gm[3];
  }
  const adcRes = toks.length >= 4 ? parseIntStrict(toks[3], 'ADC resolution', where, ...WFDB_HEADER_RANGES.adcResolution) : 0;
  const adcZero = toks.length >= 5 ? parseIntStrict(toks[4], 'ADC zero', where, ...WFDB_HEADER_RANGES.int32) : 0;
  const initValue = toks.length >= 6 ? parseIntStrict(toks[5], 'initial value', where, ...WFDB_HEADER_RANGES.int32) : adcZero;
  const checksum = toks.length >= 7 ? parseIntStrict(toks[6], 'checksum', where, ...WFDB_HEADER_RANGES.int32) : undefined;
  const blockSize = toks.length >= 8 ? parseIntStrict(toks[7], 'block size', where, ...WFDB_HEADER_RANGES.blockSize) : 0;
  const gainGiven = gain !== 0;
  return {
    fileName,
    format,
    samplesPerFrame,
    skew,
    byteOffset,
    gain: gainGiven ? gain : 200,
    gainGiven,
    baseline: baseline ?? adcZero,
    units,
    adcResolution: adcRes > 0 ? adcRes : defaultAdcResolution(format),
    adcZero,
    initValue,
    checksum,
    blockSize,
    description: description !== '' ? description : `record ${recordName}, signal ${index}`,
  };
}

function fmtNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(v);
}

/**
 * Formats a {@link WfdbHeader} as WFDB header text (LF line endings, every signal field written).
 * `parseHeader(formatHeader(h))` returns `h` (up to the `gainGiven` flag of uncalibrated signals).
 *
 * @param header the header to write
 * @returns header text ending with a newline
 * @throws BeatSslError if a field cannot be written (e.g. white space in a file name)
 * @example
 * ```ts
 * const text = formatHeader(parseHeader(hea)); // canonical full form of every signal line
 * ```
 */
export function formatHeader(header: WfdbHeader): string {
  const f = 'formatHeader';
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw new BeatSslError(f, `header must be a WfdbHeader object, but got ${describe(header)}.`, 'header');
  if (typeof header.name !== 'string' || !/^[^/\s]+$/.test(header.name)) throw new BeatSslError(f, `header.name must be a record name without spaces or '/', but got ${describe(header.name)}.`, 'header.name');
  let rec = header.segments ? `${header.name}/${header.segments.length}` : header.name;
  rec += ` ${header.nSignals} ${fmtNumber(header.fs)}`;
  if (header.counterFreq !== undefined) {
    rec += `/${fmtNumber(header.counterFreq)}`;
    if (header.baseCounter !== undefined) rec += `(${fmtNumber(header.baseCounter)})`;
  }
  const needLen = header.nSamples !== undefined || header.baseTime !== undefined || header.baseDate !== undefined;
  if (needLen) rec += ` ${header.nSamples ?? 0}`;
  if (header.baseTime !== undefined || header.baseDate !== undefined) rec += ` ${header.baseTime ?? '0:0:0'}`;
  if (header.baseDate !== undefined) rec += ` ${header.baseDate}`;
  const lines = [rec];
  if (header.segments) {
    if (!Array.isArray(header.segments)) throw new BeatSslError(f, `header.segments must be an array of { name, nSamples } (or undefined), but got ${describe(header.segments)}.`, 'header.segments');
    for (const s of header.segments) lines.push(`${s.name} ${s.nSamples}`);
  } else {
    if (!Array.isArray(header.signals)) throw new BeatSslError(f, `header.signals must be an array of signal specs (a WfdbHeader from parseHeader), but got ${describe(header.signals)}.`, 'header.signals');
    if (header.signals.length !== header.nSignals) {
      throw new BeatSslError(f, `header.signals must have nSignals = ${header.nSignals} entries, but got ${header.signals.length}.`, 'header.signals');
    }
    for (const s of header.signals) {
      if (!/^\S+$/.test(s.fileName)) throw new BeatSslError(f, `signal fileName must contain no white space, but got ${describe(s.fileName)}.`, 'header.signals');
      let fmt = String(s.format);
      if (s.samplesPerFrame !== 1) fmt += `x${s.samplesPerFrame}`;
      if (s.skew !== 0) fmt += `:${s.skew}`;
      if (s.byteOffset !== 0) fmt += `+${s.byteOffset}`;
      const units = /\s/.test(s.units) || s.units === '' ? 'mV' : s.units;
      const gain = `${fmtNumber(s.gainGiven ? s.gain : 0)}(${s.baseline})/${units}`;
      const fields = [s.fileName, fmt, gain, s.adcResolution, s.adcZero, s.initValue, s.checksum ?? 0, s.blockSize];
      lines.push(fields.join(' ') + (s.description ? ` ${s.description.replace(/[\r\n]+/g, ' ')}` : ''));
    }
  }
  if (!Array.isArray(header.comments)) throw new BeatSslError(f, `header.comments must be an array of strings, but got ${describe(header.comments)}.`, 'header.comments');
  for (const c of header.comments) lines.push(`# ${c.replace(/[\r\n]+/g, ' ')}`);
  return lines.join('\n') + '\n';
}
