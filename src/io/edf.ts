/**
 * EDF, EDF+ and BDF files: signals and EDF+ annotations, with the same options, budgets and
 * frame rules as the WFDB reader. Runtime-neutral `parseEdf`; `readEdf` reads from disk (Node)
 * or a URL, only the data records it needs.
 *
 * No EDF decoder on npm is both maintained and complete (`edfdecoder` 0.1.2 was last published in
 * 2022 and has no EDF+ annotations; `@epicurrents/edf-reader` is a 0.2.0 pre-release with heavy
 * dependencies), and the format is a short public specification (edfplus.info), so this reader
 * is our own.
 * @module
 */
import type { EcgRecord } from '../core/types';
import { BeatSslError, describe } from '../core/errors';
import type { DigitalRecord, ExpandedRecord, ReadRecordOptions } from './record';
import { PARSE_RECORD_KEYS, resolveReadOptions, runAsync, runSync, type ByteSource, type Req, type Resolved } from './_internal/engine';
import { unitToMillivolts } from './_internal/units';
import { locateFile, type FetchOptions } from './_internal/locate';
import { WFDB_HEADER_RANGES } from './header';

/** One EDF+ annotation (a TAL entry). */
export interface EdfAnnotation {
  /** Onset in seconds from the start of the recording. */
  onsetSec: number;
  /** Duration in seconds, or `null` when not given. */
  durationSec: number | null;
  /** Annotation text (UTF-8). */
  text: string;
}

/** What EDF files add to a record: header fields and EDF+ annotations. */
export interface EdfExtras {
  /** EDF+ annotations of the data records read, in file order (empty for plain EDF). */
  annotations: EdfAnnotation[];
  /** Local patient identification (header field). */
  patient: string;
  /** Local recording identification (header field). */
  recording: string;
  /** Start date and time as written (`dd.mm.yy`, `hh.mm.ss`). */
  startDate: string;
  startTime: string;
  /** `'EDF'`, `'EDF+C'`, `'EDF+D'` or `'BDF'`. */
  variant: string;
}

/** The result of {@link parseEdf}/{@link readEdf}: a record (by the options) plus {@link EdfExtras}. */
export type EdfRecord = EcgRecord & EdfExtras;

/** Options of {@link readEdf}: those of {@link parseEdf} plus where to fetch from. */
export interface ReadEdfOptions extends ReadRecordOptions {
  /** URLs only: per-request timeout in ms (default 30000). */
  timeoutMs?: number;
  /** URLs only: the `fetch` to use. */
  fetch?: typeof fetch;
  /** URLs only (Node): folder where downloaded files are cached. */
  cacheDir?: string;
}

interface EdfSignal {
  label: string;
  units: string;
  physMin: number;
  physMax: number;
  digMin: number;
  digMax: number;
  n: number;
  annotation: boolean;
  /** Byte offset of the signal's block inside a data record. */
  at: number;
}

interface EdfHeader {
  variant: string;
  patient: string;
  recording: string;
  startDate: string;
  startTime: string;
  headerBytes: number;
  nRecords: number;
  recordSec: number;
  signals: EdfSignal[];
  bytesPerSample: 2 | 3;
  recordBytes: number;
}

const ascii = (b: Uint8Array, a: number, len: number) => {
  let s = '';
  for (let i = a; i < a + len && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s.trim();
};

function edfNumber(s: string, what: string, where: string, fn: string, integer: boolean): number {
  const ok = integer ? /^[-+]?\d+$/.test(s) : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s);
  const v = Number(s);
  if (!ok || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v))) {
    throw new BeatSslError(fn, `${where}: ${what} must be ${integer ? 'an integer' : 'a number'}, but got ${describe(s)}.`, where);
  }
  return v;
}

/** Parses the fixed header (256 bytes) and the signal headers (256 bytes per signal). */
function parseEdfHeader(fixed: Uint8Array, all: Uint8Array | null, where: string, fn: string): { ns: number; header?: EdfHeader } {
  if (fixed.length < 256) throw new BeatSslError(fn, `${where} must start with a 256-byte EDF header, but it has ${fixed.length} bytes.`, where);
  const bdf = fixed[0] === 0xff && ascii(fixed, 1, 7) === 'BIOSEMI';
  if (!bdf && ascii(fixed, 0, 8) !== '0') throw new BeatSslError(fn, `${where} must be an EDF file (version '0') or BDF ('\\xffBIOSEMI'), but its first bytes are ${describe(ascii(fixed, 0, 8))}.`, where);
  const ns = edfNumber(ascii(fixed, 252, 4), 'the number of signals', where, fn, true);
  if (ns < 0 || ns > WFDB_HEADER_RANGES.nSignals[1]) throw new BeatSslError(fn, `${where}: the number of signals must be in [0, ${WFDB_HEADER_RANGES.nSignals[1]}], but got ${ns}.`, where);
  if (!all) return { ns };
  const headerBytes = edfNumber(ascii(fixed, 184, 8), 'the header size', where, fn, true);
  if (headerBytes !== 256 * (ns + 1)) throw new BeatSslError(fn, `${where}: the header size must be 256 × (signals + 1) = ${256 * (ns + 1)} bytes, but it says ${headerBytes}.`, where);
  if (all.length < headerBytes) throw new BeatSslError(fn, `${where} must hold its ${headerBytes}-byte header, but it has ${all.length} bytes.`, where);
  const reserved = ascii(fixed, 192, 44);
  const variant = bdf ? 'BDF' : reserved.startsWith('EDF+C') ? 'EDF+C' : reserved.startsWith('EDF+D') ? 'EDF+D' : 'EDF';
  const nRecords = edfNumber(ascii(fixed, 236, 8), 'the number of data records', where, fn, true);
  if (nRecords < -1) throw new BeatSslError(fn, `${where}: the number of data records must be ≥ 0 (or −1, unknown), but got ${nRecords}.`, where);
  const recordSec = edfNumber(ascii(fixed, 244, 8), 'the data record duration (s)', where, fn, false);
  if (!(recordSec >= 0 && recordSec <= 1e6)) throw new BeatSslError(fn, `${where}: the data record duration must be in [0, 1e6] s, but got ${recordSec}.`, where);
  const field = (k: number, width: number, off: number) => ascii(all, 256 + off * ns + k * width, width);
  const bytesPerSample = bdf ? 3 : 2;
  const signals: EdfSignal[] = [];
  let at = 0;
  for (let k = 0; k < ns; k++) {
    const label = field(k, 16, 0);
    const w = `${where}, signal ${k} ('${label}')`;
    const s: EdfSignal = {
      label,
      units: field(k, 8, 96),
      physMin: edfNumber(field(k, 8, 104), 'physical minimum', w, fn, false),
      physMax: edfNumber(field(k, 8, 112), 'physical maximum', w, fn, false),
      digMin: edfNumber(field(k, 8, 120), 'digital minimum', w, fn, true),
      digMax: edfNumber(field(k, 8, 128), 'digital maximum', w, fn, true),
      n: edfNumber(field(k, 8, 216), 'samples per data record', w, fn, true),
      annotation: /^(EDF|BDF) Annotations$/.test(label),
      at,
    };
    if (s.n < 1 || s.n > 2 ** 24) throw new BeatSslError(fn, `${w}: samples per data record must be in [1, 2^24], but got ${s.n}.`, w);
    if (!s.annotation) {
      if (!(s.digMax > s.digMin)) throw new BeatSslError(fn, `${w}: the digital maximum must exceed the digital minimum, but got ${s.digMin} … ${s.digMax}.`, w);
      if (s.physMax === s.physMin) throw new BeatSslError(fn, `${w}: the physical maximum must differ from the physical minimum, but both are ${s.physMin}.`, w);
      const gain = Math.abs((s.digMax - s.digMin) / (s.physMax - s.physMin));
      const [lo, hi] = WFDB_HEADER_RANGES.gain;
      if (!(gain >= lo && gain <= hi)) throw new BeatSslError(fn, `${w}: the gain (digital range / physical range) must be in [${lo}, ${hi}] so values stay finite, but it is ${gain}.`, w);
      if (!(recordSec > 0)) throw new BeatSslError(fn, `${where}: the data record duration must be positive for a file with signals, but got ${recordSec}.`, where);
    }
    signals.push(s);
    at += s.n * bytesPerSample;
  }
  return {
    ns,
    header: { variant, patient: ascii(fixed, 8, 80), recording: ascii(fixed, 88, 80), startDate: ascii(fixed, 168, 8), startTime: ascii(fixed, 176, 8), headerBytes, nRecords, recordSec, signals, bytesPerSample, recordBytes: at },
  };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Splits the TALs of one annotation-signal block. */
function parseTals(bytes: Uint8Array, out: EdfAnnotation[], where: string, fn: string): number | null {
  let recordOnset: number | null = null;
  let p = 0;
  const dec = new TextDecoder('utf-8');
  while (p < bytes.length && bytes[p] !== 0) {
    let end = p;
    while (end < bytes.length && bytes[end] !== 0) end++;
    const tal = bytes.subarray(p, end);
    p = end + 1;
    const parts: Uint8Array[] = [];
    let a = 0;
    for (let i = 0; i <= tal.length; i++) {
      if (i === tal.length || tal[i] === 0x14) {
        parts.push(tal.subarray(a, i));
        a = i + 1;
      }
    }
    const head = dec.decode(parts[0]);
    const m = /^([+-]\d+(?:\.\d*)?)(?:\x15(\d+(?:\.\d*)?))?$/.exec(head);
    if (!m) throw new BeatSslError(fn, `${where}: an EDF+ annotation must start with an onset like '+12.5', but got ${describe(head)}.`, where);
    const onsetSec = Number(m[1]);
    const durationSec = m[2] !== undefined ? Number(m[2]) : null;
    const texts = parts.slice(1).map((x) => dec.decode(x)).filter((t, i, arr) => !(i === arr.length - 1 && t === ''));
    if (recordOnset === null) recordOnset = onsetSec; // the first TAL keeps the data record's time
    for (const text of texts) if (text !== '') out.push({ onsetSec, durationSec, text });
  }
  return recordOnset;
}

const EDF_KEYS = PARSE_RECORD_KEYS;

/** The EDF reader as request steps (see the WFDB engine): header, then the data records needed. */
function* edfSteps(name: string, o: Resolved, fn: string, src: ByteSource): Generator<Req, EdfRecord | (DigitalRecord & EdfExtras) | (ExpandedRecord & EdfExtras), unknown> {
  const label = src.label(name);
  const where = `EDF file '${label}'`;
  let used = 0;
  const charge = (n: number, what: string) => {
    used += n;
    if (used > o.maxBytes) throw new BeatSslError(fn, `opts.maxBytes must cover the bytes read from '${label}', but ${what} brings them to ${used} > ${o.maxBytes}; pass { maxBytes: ${used} } (or more), or read a part with { from, to } or { channels }.`, 'opts.maxBytes');
  };
  const fixed = (yield { kind: 'read', name, what: 'EDF file', start: 0, end: 256 }) as Uint8Array;
  charge(fixed.length, 'the header');
  const { ns } = parseEdfHeader(fixed, null, where, fn);
  const all = (yield { kind: 'read', name, what: 'EDF file', start: 0, end: 256 * (ns + 1) }) as Uint8Array;
  charge(all.length - fixed.length, 'the signal headers');
  const h = parseEdfHeader(fixed, all, where, fn).header as EdfHeader;
  let nRecords = h.nRecords;
  if (nRecords === -1) {
    const size = (yield { kind: 'size', name, what: 'EDF file' }) as number;
    nRecords = h.recordBytes > 0 ? Math.floor(Math.max(0, size - h.headerBytes) / h.recordBytes) : 0;
  }
  const ordinary = h.signals.map((s, i) => ({ s, i })).filter((x) => !x.s.annotation);
  const annotationSignals = h.signals.filter((s) => s.annotation);
  // Channel selection over the ordinary signals.
  const names = ordinary.map((x) => x.s.label);
  let sel = ordinary.map((_, k) => k);
  if (o.channels) {
    const seen = new Set<number>();
    sel = o.channels.map((c) => {
      const k = typeof c === 'number' ? c : names.indexOf(c);
      if (k < 0 || k >= names.length) throw new BeatSslError(fn, `opts.channels must name signals of ${where} (${names.map((x) => `'${x}'`).join(', ')}) or index them below ${names.length}, but got ${describe(c)}.`, 'opts.channels');
      if (typeof c === 'string' && names.indexOf(c) !== names.lastIndexOf(c)) throw new BeatSslError(fn, `opts.channels names must be unique in ${where}, but ${describe(c)} names several signals; select by index.`, 'opts.channels');
      if (seen.has(k)) throw new BeatSslError(fn, `opts.channels must select each signal once, but ${describe(c)} appears twice.`, 'opts.channels');
      seen.add(k);
      return k;
    });
  }
  const chosen = sel.map((k) => ordinary[k].s);
  // Frames: the largest common sub-record of the chosen signals (WFDB's edf2mit + getvec convention).
  const g = chosen.reduce((a, s) => gcd(a, s.n), 0) || 1;
  const fs = chosen.length > 0 ? g / h.recordSec : h.recordSec > 0 ? 1 / h.recordSec : 1;
  const n = chosen.length > 0 ? nRecords * g : nRecords;
  const from = o.from ?? (o.fromSec !== undefined ? Math.round(o.fromSec * fs) : 0);
  const to = o.to ?? (o.toSec !== undefined ? Math.round(o.toSec * fs) : n);
  if (from > n || to > n) throw new BeatSslError(fn, `${o.to !== undefined || o.toSec !== undefined ? 'opts.to' : 'opts.from'} must be at most the record's length ${n} samples (${(n / fs).toFixed(3)} s at ${fs} Hz) for ${where}, but got sample ${Math.max(from, to)}.`, 'opts.to');
  if (to < from) throw new BeatSslError(fn, `opts.to must be ≥ the start (sample ${from}), but got sample ${to}.`, 'opts.to');
  const r0 = chosen.length > 0 ? Math.floor(from / g) : 0;
  const r1 = chosen.length > 0 ? Math.ceil(to / g) : nRecords;
  const spf = chosen.map((s) => s.n / g);
  const outFrames = to - from;
  const outTotal = spf.reduce((a, k) => a + outFrames * (o.frames === 'expanded' ? k : 1), 0);
  if (outTotal > o.maxSamples) throw new BeatSslError(fn, `opts.maxSamples must cover the samples returned for ${where}, but the result would hold ${outTotal} samples > ${o.maxSamples}; pass { maxSamples: ${outTotal} } (or more), or read a part with { from, to } or { channels }.`, 'opts.maxSamples');
  const decoded = (r1 - r0) * chosen.reduce((a, s) => a + s.n, 0);
  if (decoded > o.maxSamples) throw new BeatSslError(fn, `opts.maxSamples must cover the samples decoded for ${where}, but reading data records ${r0}…${r1} decodes ${decoded} > ${o.maxSamples}; pass { maxSamples: ${decoded} } (or more).`, 'opts.maxSamples');
  const start = h.headerBytes + r0 * h.recordBytes;
  const end = h.headerBytes + r1 * h.recordBytes;
  charge(end - start, `data records ${r0}…${r1}`);
  const data = end > start ? ((yield { kind: 'read', name, what: 'EDF file', start, end }) as Uint8Array) : new Uint8Array(0);
  if (data.length < end - start) {
    throw new BeatSslError(fn, `${where} must hold ${r1} data records of ${h.recordBytes} bytes after its ${h.headerBytes}-byte header (${end} bytes), but it ends after ${start + data.length} bytes (truncated file, or the header overstates the number of records).`, label);
  }
  const bps = h.bytesPerSample;
  const sampleAt = (p: number) => (bps === 2 ? ((data[p] | (data[p + 1] << 8)) << 16) >> 16 : ((data[p] | (data[p + 1] << 8) | (data[p + 2] << 16)) << 8) >> 8);
  const ospf = spf.map((k) => (o.frames === 'expanded' ? k : 1));
  const signals = chosen.map((s, c) => {
    const out = o.digital ? new Int32Array(outFrames * ospf[c]) : new Float32Array(outFrames * ospf[c]);
    const scale = unitToMillivolts(s.units) ?? 1;
    const k = ((s.physMax - s.physMin) / (s.digMax - s.digMin)) * scale;
    const pm = s.physMin * scale;
    const K = spf[c];
    for (let t = from; t < to; t++) {
      const rec = Math.floor(t / g);
      const sub = t - rec * g;
      const base = (rec - r0) * h.recordBytes + s.at + sub * K * bps;
      const oi = (t - from) * ospf[c];
      if (ospf[c] > 1 || K === 1) {
        for (let j = 0; j < ospf[c]; j++) {
          const d = sampleAt(base + j * bps);
          out[oi + j] = o.digital ? d : pm + (d - s.digMin) * k;
        }
      } else {
        let sum = 0;
        for (let j = 0; j < K; j++) sum += sampleAt(base + j * bps);
        out[oi] = o.frames === 'mean' ? pm + (sum / K - s.digMin) * k : o.digital ? Math.trunc(sum / K) : pm + (Math.trunc(sum / K) - s.digMin) * k;
      }
    }
    return out;
  });
  // EDF+ annotations of the records read; EDF+D must be contiguous.
  const annotations: EdfAnnotation[] = [];
  for (let r = r0; r < r1; r++) {
    for (const a of annotationSignals) {
      const block = data.subarray((r - r0) * h.recordBytes + a.at, (r - r0) * h.recordBytes + a.at + a.n * bps);
      const onset = parseTals(block, annotations, `${where}, data record ${r}`, fn);
      if (h.variant === 'EDF+D' && a === annotationSignals[0] && onset !== null && Math.abs(onset - r * h.recordSec) > 1e-6) {
        throw new BeatSslError(fn, `${where} is EDF+D with a gap (data record ${r} starts at ${onset} s, not ${r * h.recordSec} s); discontinuous recordings must be contiguous to be read as one record.`, label);
      }
    }
  }
  const extras: EdfExtras = { annotations, patient: h.patient, recording: h.recording, startDate: h.startDate, startTime: h.startTime, variant: h.variant };
  const leads = chosen.map((s) => s.label);
  const comments = [`patient: ${h.patient}`, `recording: ${h.recording}`];
  if (o.digital) {
    return {
      name: label.replace(/^.*[\\/]/, '').replace(/\.(edf|bdf|rec)$/i, ''),
      fs,
      leads,
      signals: signals as Int32Array[],
      units: chosen.map((s) => s.units),
      gain: chosen.map((s) => (s.digMax - s.digMin) / (s.physMax - s.physMin)),
      baseline: chosen.map((s) => s.digMin - (s.physMin * (s.digMax - s.digMin)) / (s.physMax - s.physMin)),
      invalid: chosen.map(() => -(2 ** 31)),
      samplesPerFrame: ospf,
      comments,
      ...extras,
    };
  }
  const rec = {
    name: label.replace(/^.*[\\/]/, '').replace(/\.(edf|bdf|rec)$/i, ''),
    fs,
    leads,
    signals: signals as Float32Array[],
    units: chosen.map((s) => (unitToMillivolts(s.units) === null ? s.units : 'mV')),
    comments,
    ...extras,
  };
  return o.frames === 'expanded' ? { ...rec, samplesPerFrame: ospf } : rec;
}

/**
 * Decodes an EDF, EDF+ or BDF file from its bytes (runtime-neutral).
 *
 * Signals map to a record as WFDB's `edf2mit` would: the frame rate `fs` is the largest rate
 * common to the chosen signals (the data record duration divided by the GCD of their samples
 * per record); signals at a multiple of it have several samples per frame and follow
 * {@link ReadRecordOptions.frames} (`'getvec'` means by default, `'expanded'` for every sample).
 * Physical values are `physMin + (d − digMin) · (physMax − physMin)/(digMax − digMin)`, with
 * µV/V/nV converted to mV. EDF+ annotation signals are not returned as signals; their TALs become
 * `annotations`. `from`/`to` select samples (frames) and only the data records holding them are
 * decoded; `channels`, `digital` and the budgets work as in `parseRecord`.
 *
 * @param bytes the file's content
 * @param opts range, channels, digital/frames, budgets (as {@link ReadRecordOptions})
 * @param fileName name used in messages and as the record name (default `'edf'`)
 * @returns the record with `annotations`, `patient`, `recording`, `startDate`, `startTime`, `variant`
 * @throws BeatSslError for a malformed or truncated file (naming the field), EDF+D with gaps,
 *   values that could not stay finite, budgets exceeded
 * @example
 * ```ts
 * const rec = parseEdf(edfBytes, { channels: ['ECG'] });
 * rec.fs; // e.g. 200
 * rec.annotations[0]; // { onsetSec: 0, durationSec: 30, text: 'Sleep stage W' }
 * ```
 */
export function parseEdf(bytes: Uint8Array, opts: ReadRecordOptions & { digital: true }, fileName?: string): DigitalRecord & EdfExtras;
export function parseEdf(bytes: Uint8Array, opts: ReadRecordOptions & { frames: 'expanded' }, fileName?: string): ExpandedRecord & EdfExtras;
export function parseEdf(bytes: Uint8Array, opts?: ReadRecordOptions, fileName?: string): EdfRecord;
export function parseEdf(bytes: Uint8Array, opts: ReadRecordOptions = {}, fileName = 'edf'): EdfRecord | (DigitalRecord & EdfExtras) | (ExpandedRecord & EdfExtras) {
  const fn = 'parseEdf';
  if (!(bytes instanceof Uint8Array)) throw new BeatSslError(fn, `bytes must be a Uint8Array, but got ${describe(bytes)}.`, 'bytes');
  const o = resolveReadOptions(opts, EDF_KEYS, fn);
  const src: ByteSource = { read: (_n, a, b) => bytes.subarray(Math.min(a, bytes.length), Math.min(b, bytes.length)), size: () => bytes.length, label: () => fileName };
  return runSync(edfSteps(fileName, o, fn, src), src);
}

/**
 * Reads an EDF, EDF+ or BDF file from disk (Node) or a URL (anywhere, with `fetch`), reading only
 * the header and the data records that hold the requested range. See {@link parseEdf}.
 *
 * @param path file path or URL (`.edf`, `.bdf`)
 * @param opts as {@link parseEdf}, plus `timeoutMs`, `fetch`, `cacheDir` for URLs
 * @returns the record with EDF+ annotations and header fields
 * @throws BeatSslError for a missing, malformed or truncated file, budgets, network errors
 * @example
 * ```ts
 * const rec = await readEdf('recordings/night1.edf', { fromSec: 0, toSec: 30 });
 * ```
 */
export async function readEdf(path: string, opts: ReadEdfOptions & { digital: true }): Promise<DigitalRecord & EdfExtras>;
export async function readEdf(path: string, opts: ReadEdfOptions & { frames: 'expanded' }): Promise<ExpandedRecord & EdfExtras>;
export async function readEdf(path: string, opts?: ReadEdfOptions): Promise<EdfRecord>;
export async function readEdf(path: string, opts: ReadEdfOptions = {}): Promise<EdfRecord | (DigitalRecord & EdfExtras) | (ExpandedRecord & EdfExtras)> {
  const fn = 'readEdf';
  if (typeof path !== 'string' || path === '') throw new BeatSslError(fn, `path must be an EDF file path or URL, but got ${describe(path)}.`, 'path');
  const o = resolveReadOptions(opts, [...EDF_KEYS, 'timeoutMs', 'fetch', 'cacheDir'], fn);
  const { source, name } = await locateFile(path, { ...(opts as FetchOptions), maxBytes: o.maxBytes }, fn);
  return runAsync(edfSteps(name, o, fn, source), source);
}
