/**
 * The one WFDB record reader behind parseRecord, parseRecordAsync and readRecord (disk and URL).
 * Private; runtime-neutral.
 *
 * The reader is a generator that *asks* for bytes (`read`: a byte range of a named file; `size`;
 * `flac`: decode a FLAC stream) and a driver answers: synchronously from memory (parseRecord) or
 * asynchronously from disk or HTTP. So every source shares one implementation of header checks,
 * file-name confinement, budgets (checked before anything is allocated or read), sample ranges,
 * channel selection, frame modes, skew, checksums and multi-segment assembly.
 */
import type { EcgRecord } from '../../core/types';
import { BeatSslError, checkKnownKeys, checkOneOf, describe } from '../../core/errors';
import { formatHeader, parseHeader, type WfdbHeader, type WfdbSignalSpec } from '../header';
import type { DigitalRecord, ExpandedRecord, ReadRecordOptions, WfdbRecordInput } from '../record';
import { checksum16 } from './decode';
import { bytesForSamples, decodeStream, FORMAT_RANGE, isFlacFormat, sampleGroup, samplesInBytes, type WfdbFormat } from './formats';
import { checkContainedName } from './names';
import { decodeHeaderText } from './text';
import { unitToMillivolts } from './units';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_SAMPLES, MAX_HEADER_BYTES } from './limits';

// ---------------------------------------------------------------------------------------------
// Requests and drivers

/** A byte range `[start, end)` of a file; the answer may be shorter at the end of the file. */
export interface ReadReq {
  kind: 'read';
  name: string;
  what: string;
  start: number;
  end: number;
}
/** The size in bytes of a file. */
export interface SizeReq {
  kind: 'size';
  name: string;
  what: string;
}
/** Decode a whole FLAC stream into per-channel integers (at most `maxPerChannel` samples each). */
export interface FlacReq {
  kind: 'flac';
  fn: string;
  label: string;
  bytes: Uint8Array;
  channels: number;
  maxBits: number;
  maxPerChannel: number;
}
export type Req = ReadReq | SizeReq | FlacReq;

/** Where the reader's files come from. `label` names a file in messages (path or URL). */
export interface ByteSource {
  read(name: string, start: number, end: number, what: string): Uint8Array | Promise<Uint8Array>;
  size(name: string, what: string): number | Promise<number>;
  label(name: string): string;
  /** Decodes FLAC (async sources only). */
  flac?(req: FlacReq): Promise<Int32Array[]>;
}

type Steps<T> = Generator<Req, T, unknown>;

/** Runs the reader synchronously against an in-memory source (no FLAC). */
export function runSync<T>(gen: Steps<T>, src: ByteSource): T {
  let r = gen.next();
  while (!r.done) {
    const q = r.value;
    let v: unknown;
    if (q.kind === 'read') v = src.read(q.name, q.start, q.end, q.what);
    else if (q.kind === 'size') v = src.size(q.name, q.what);
    else {
      throw new BeatSslError(q.fn, `signal file '${q.label}' is FLAC-compressed (format 508/516/524), which decodes asynchronously, but got the synchronous parseRecord; use parseRecordAsync or readRecord.`, q.label);
    }
    r = gen.next(v);
  }
  return r.value;
}

/** Runs the reader against an asynchronous source (disk, HTTP) or a memory source with FLAC. */
export async function runAsync<T>(gen: Steps<T>, src: ByteSource): Promise<T> {
  let r = gen.next();
  while (!r.done) {
    const q = r.value;
    let v: unknown;
    if (q.kind === 'read') v = await src.read(q.name, q.start, q.end, q.what);
    else if (q.kind === 'size') v = await src.size(q.name, q.what);
    else if (src.flac) v = await src.flac(q);
    else {
      const { decodeFlac } = await import('./flac');
      v = await decodeFlac(q);
    }
    r = gen.next(v);
  }
  return r.value;
}

/** The header of a record: given as text/object (parseRecord) or read as a file from the source. */
export type HeaderInput = { kind: 'text'; text: string } | { kind: 'object'; header: WfdbHeader } | { kind: 'file'; name: string };

/** An in-memory source over `input.files` (parseRecord). */
export function memorySource(input: WfdbRecordInput, fn: string): { header: HeaderInput; source: ByteSource } {
  if (!input || typeof input !== 'object') throw new BeatSslError(fn, `input must be { header, files }, but got ${describe(input)}.`, 'input');
  const files = input.files;
  if (!files || typeof files !== 'object') throw new BeatSslError(fn, `input.files must be an object of file name → Uint8Array, but got ${describe(files)}.`, 'input.files');
  let header: HeaderInput;
  if (typeof input.header === 'string') header = { kind: 'text', text: input.header };
  else if (input.header && typeof input.header === 'object' && Array.isArray((input.header as WfdbHeader).signals)) header = { kind: 'object', header: input.header };
  else throw new BeatSslError(fn, `input.header must be header text or a WfdbHeader, but got ${describe(input.header)}.`, 'input.header');
  const get = (name: string, what: string): Uint8Array => {
    const b = Object.prototype.hasOwnProperty.call(files, name) ? files[name] : undefined;
    if (!(b instanceof Uint8Array)) throw new BeatSslError(fn, `${what} '${name}' must be provided in input.files, but it is missing.`, name);
    return b;
  };
  return {
    header,
    source: {
      read: (name, start, end, what) => {
        const b = get(name, what);
        return b.subarray(Math.min(start, b.length), Math.min(end, b.length));
      },
      size: (name, what) => get(name, what).length,
      label: (name) => name,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Options

/** Option keys of parseRecord / parseRecordAsync. */
export const PARSE_RECORD_KEYS = ['checksum', 'skew', 'onWarning', 'frames', 'digital', 'channels', 'from', 'to', 'fromSec', 'toSec', 'maxSamples', 'maxBytes'] as const;

/** Validated read options. */
export interface Resolved {
  checksum: 'error' | 'warn' | 'ignore';
  skew: 'apply' | 'ignore';
  warn: (m: string) => void;
  frames: 'getvec' | 'mean' | 'expanded';
  digital: boolean;
  channels: readonly (string | number)[] | undefined;
  from: number | undefined;
  to: number | undefined;
  fromSec: number | undefined;
  toSec: number | undefined;
  maxSamples: number;
  maxBytes: number;
}

function optInt(v: unknown, fn: string, arg: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new BeatSslError(fn, `${arg} must be an integer ≥ ${min}, but got ${describe(v)}.`, arg);
  return v;
}

function optSec(v: unknown, fn: string, arg: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BeatSslError(fn, `${arg} must be a finite number of seconds ≥ 0, but got ${describe(v)}.`, arg);
  return v;
}

/** Validates the options shared by every reader (`keys` = the function's allowed keys). */
export function resolveReadOptions(opts: ReadRecordOptions, keys: readonly string[], fn: string): Resolved {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new BeatSslError(fn, `opts must be an options object, but got ${describe(opts)}.`, 'opts');
  checkKnownKeys(opts, keys, fn, 'opts');
  const checksum = checkOneOf(opts.checksum ?? 'error', ['error', 'warn', 'ignore'] as const, fn, 'opts.checksum');
  const skew = checkOneOf(opts.skew ?? 'apply', ['apply', 'ignore'] as const, fn, 'opts.skew');
  const frames = checkOneOf(opts.frames ?? 'getvec', ['getvec', 'mean', 'expanded'] as const, fn, 'opts.frames');
  if (opts.onWarning !== undefined && typeof opts.onWarning !== 'function') throw new BeatSslError(fn, `opts.onWarning must be a function, but got ${describe(opts.onWarning)}.`, 'opts.onWarning');
  const warn = opts.onWarning ?? ((m: string) => console.warn(m));
  if (opts.digital !== undefined && typeof opts.digital !== 'boolean') throw new BeatSslError(fn, `opts.digital must be true or false, but got ${describe(opts.digital)}.`, 'opts.digital');
  const digital = opts.digital ?? false;
  if (digital && frames === 'mean') {
    throw new BeatSslError(fn, `opts.frames must be 'getvec' or 'expanded' with digital: true (exact frame means are not integers), but got 'mean'.`, 'opts.frames');
  }
  let channels: readonly (string | number)[] | undefined;
  if (opts.channels !== undefined) {
    const c = opts.channels as unknown;
    if (!Array.isArray(c) || c.length === 0 || !c.every((x) => (typeof x === 'string' && x !== '') || (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0))) {
      throw new BeatSslError(fn, `opts.channels must be a non-empty array of signal names or indices ≥ 0, but got ${describe(c)}.`, 'opts.channels');
    }
    channels = c as (string | number)[];
  }
  const from = optInt(opts.from, fn, 'opts.from', 0);
  const to = optInt(opts.to, fn, 'opts.to', 0);
  const fromSec = optSec(opts.fromSec, fn, 'opts.fromSec');
  const toSec = optSec(opts.toSec, fn, 'opts.toSec');
  if (from !== undefined && fromSec !== undefined) throw new BeatSslError(fn, `opts must give the start once (from in samples or fromSec in seconds), but got both from=${from} and fromSec=${fromSec}.`, 'opts.from');
  if (to !== undefined && toSec !== undefined) throw new BeatSslError(fn, `opts must give the end once (to in samples or toSec in seconds), but got both to=${to} and toSec=${toSec}.`, 'opts.to');
  const maxSamples = optInt(opts.maxSamples, fn, 'opts.maxSamples', 1) ?? DEFAULT_MAX_SAMPLES;
  const maxBytes = optInt(opts.maxBytes, fn, 'opts.maxBytes', 1) ?? DEFAULT_MAX_BYTES;
  return { checksum, skew, warn, frames, digital, channels, from, to, fromSec, toSec, maxSamples, maxBytes };
}

// ---------------------------------------------------------------------------------------------
// Budget

class Budget {
  bytes = 0;
  decoded = 0;
  constructor(
    private readonly o: Resolved,
    private readonly fn: string,
    public rec: string,
  ) {}

  /** Accounts for `n` more bytes about to be read from `label`. */
  addBytes(n: number, label: string): void {
    if (this.bytes + n > this.o.maxBytes) {
      throw new BeatSslError(
        this.fn,
        `opts.maxBytes must cover the bytes read for record '${this.rec}', but reading ${n} bytes of '${label}' after ${this.bytes} brings it to ${this.bytes + n} > ${this.o.maxBytes} bytes; pass { maxBytes: ${nextPow2(this.bytes + n)} } (or more) to raise the budget, or read a part with { from, to } or { channels }.`,
        'opts.maxBytes',
      );
    }
    this.bytes += n;
  }

  /** Accounts for `n` more samples about to be decoded. */
  addDecoded(n: number, detail: string): void {
    this.decoded += n;
    if (this.decoded > this.o.maxSamples) {
      throw new BeatSslError(
        this.fn,
        `opts.maxSamples must cover the samples decoded for record '${this.rec}', but ${detail} brings them to ${this.decoded} > ${this.o.maxSamples}; pass { maxSamples: ${nextPow2(this.decoded)} } (or more) to raise the budget, or read a part with { from, to } or { channels }.`,
        'opts.maxSamples',
      );
    }
  }

  /** Checks the number of samples the result will hold. */
  checkOutput(n: number, detail: string): void {
    if (n > this.o.maxSamples) {
      throw new BeatSslError(
        this.fn,
        `opts.maxSamples must cover the samples returned for record '${this.rec}', but the result would hold ${n} samples (${detail}) > ${this.o.maxSamples}; pass { maxSamples: ${nextPow2(n)} } (or more) to raise the budget, or read a part with { from, to } or { channels }.`,
        'opts.maxSamples',
      );
    }
  }
}

function nextPow2(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

// ---------------------------------------------------------------------------------------------
// Headers

function* readHeaderFile(name: string, what: string, budget: Budget, src: ByteSource, fn: string): Steps<WfdbHeader> {
  const limit = MAX_HEADER_BYTES;
  const bytes = (yield { kind: 'read', name, what, start: 0, end: limit + 1 }) as Uint8Array;
  const label = src.label(name);
  if (bytes.length > limit) throw new BeatSslError(fn, `${what} '${label}' must be at most ${limit} bytes (a WFDB header is text), but it is larger.`, label);
  budget.addBytes(bytes.length, label);
  if (bytes.length === 0) throw new BeatSslError(fn, `${what} '${label}' must contain a record line, but it is empty.`, label);
  return parseHeaderText(decodeHeaderText(bytes), `${what} '${label}'`, fn);
}

function parseHeaderText(text: string, where: string, fn: string): WfdbHeader {
  try {
    return parseHeader(text);
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(fn, `${where}: ${e.message.replace(/^Error in parseHeader: /, '')}`, where);
    throw e;
  }
}

/** Re-validates a header object given by the caller (same ranges as parsed text). */
function normalizeHeaderObject(h: WfdbHeader, fn: string): WfdbHeader {
  try {
    const again = parseHeader(formatHeader(h));
    // formatHeader writes uncalibrated gains as 0; keep the caller's flags and comments as given.
    again.signals.forEach((s, i) => {
      if (!h.signals[i].gainGiven) s.gainGiven = false;
    });
    return { ...again, comments: [...h.comments] };
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(fn, `input.header: ${e.message.replace(/^Error in (parseHeader|formatHeader): /, '')}`, 'input.header');
    throw new BeatSslError(fn, `input.header must be a WfdbHeader as returned by parseHeader, but got a malformed object (${(e as Error).message}).`, 'input.header');
  }
}

// ---------------------------------------------------------------------------------------------
// Plans

interface SigOut {
  /** Output lead index. */
  lead: number;
  /** Header signal index. */
  sig: number;
}

interface FilePlan {
  fileName: string;
  label: string;
  format: WfdbFormat;
  /** Header signal indices stored in the file, in file order. */
  idx: number[];
  /** Column of each signal of `idx` within a frame. */
  col: number[];
  frameSamples: number;
  offset: number;
  /** Frames read: [readFrom, optTo); frames below reqTo must be present. */
  readFrom: number;
  reqTo: number;
  optTo: number;
  /** Byte range and the stream sample index at byteStart. */
  byteStart: number;
  byteEnd: number;
  minEnd: number;
  streamStart: number;
  flac: boolean;
}

interface SegPlan {
  h: WfdbHeader;
  where: string;
  n: number;
  from: number;
  to: number;
  outAt: number;
  map: SigOut[];
  files: FilePlan[];
  verify: boolean;
}

/** Frames per signal of a single-segment header (header value, or derived from the file sizes). */
function* frameCount(h: WfdbHeader, where: string, src: ByteSource, fn: string, budget: Budget): Steps<number> {
  if (h.nSamples !== undefined) return h.nSamples;
  let derived = Infinity;
  for (const [fileName, idx] of groupFiles(h)) {
    const s = h.signals[idx[0]];
    const F = idx.reduce((a, i) => a + h.signals[i].samplesPerFrame, 0);
    if (isFlacFormat(s.format)) {
      const head = (yield { kind: 'read', name: fileName, what: 'signal file', start: 0, end: 42 }) as Uint8Array;
      budget.addBytes(head.length, src.label(fileName));
      const total = flacTotalSamples(head);
      if (total === null) {
        throw new BeatSslError(fn, `${where}: FLAC signal file '${src.label(fileName)}' must state its length in STREAMINFO when the header gives no sample count, but it does not.`, fileName);
      }
      derived = Math.min(derived, Math.floor(Math.max(0, total - s.byteOffset) / s.samplesPerFrame));
      continue;
    }
    const size = (yield { kind: 'size', name: fileName, what: 'signal file' }) as number;
    derived = Math.min(derived, Math.floor(samplesInBytes(s.format, Math.max(0, size - s.byteOffset)) / F));
  }
  return Number.isFinite(derived) ? derived : 0;
}

/** Total samples per channel from a FLAC STREAMINFO block (`null` if absent/unknown). */
function flacTotalSamples(b: Uint8Array): number | null {
  if (b.length < 42 || b[0] !== 0x66 || b[1] !== 0x4c || b[2] !== 0x61 || b[3] !== 0x43) return null;
  if ((b[4] & 0x7f) !== 0) return null; // first metadata block must be STREAMINFO
  const p = 8 + 13; // STREAMINFO: total samples = low 4 bits of byte 13 + bytes 14..17
  const total = (b[p] & 0x0f) * 2 ** 32 + ((b[p + 1] << 24) >>> 0) + (b[p + 2] << 16) + (b[p + 3] << 8) + b[p + 4];
  return total > 0 ? total : null;
}

/** Signal files of a header: name → signal indices (null signals excluded), checked for confinement and consistency. */
function groupFiles(h: WfdbHeader): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  h.signals.forEach((s, i) => {
    if (s.format === 0) return;
    const g = groups.get(s.fileName);
    if (g) g.push(i);
    else groups.set(s.fileName, [i]);
  });
  return groups;
}

function checkFiles(h: WfdbHeader, where: string, fn: string, src: ByteSource): void {
  for (const [fileName, idx] of groupFiles(h)) {
    if (fileName === '~' || fileName === '-') {
      throw new BeatSslError(fn, `${where}: file name of signal ${idx[0]} must name a signal file, but got ${describe(fileName)} (null/standard-input signals are not supported).`, fileName);
    }
    checkContainedName(fileName, `the file name of signal ${idx[0]}`, where, fn);
    const first = h.signals[idx[0]];
    for (const i of idx) {
      const s = h.signals[i];
      if (s.format !== first.format) {
        throw new BeatSslError(fn, `file '${src.label(fileName)}': all signals of one file must share one format, but got formats ${first.format} and ${s.format}.`, fileName);
      }
      if (s.byteOffset !== first.byteOffset) {
        throw new BeatSslError(fn, `file '${src.label(fileName)}': all signals of one file must share one byte offset, but got ${first.byteOffset} and ${s.byteOffset}.`, fileName);
      }
      if (isFlacFormat(s.format) && s.samplesPerFrame !== first.samplesPerFrame) {
        throw new BeatSslError(fn, `FLAC file '${src.label(fileName)}': all its signals must have the same samples per frame, but got ${first.samplesPerFrame} and ${s.samplesPerFrame}.`, fileName);
      }
    }
  }
}

/**
 * Plans the reading of frames [from, to) of a single-segment header for the signals in `map`,
 * checking file names and charging the budget before anything is read.
 */
function* planSegment(h: WfdbHeader, where: string, n: number, from: number, to: number, outAt: number, map: SigOut[], o: Resolved, budget: Budget, src: ByteSource, fn: string): Steps<SegPlan> {
  checkFiles(h, where, fn, src);
  const legacy = h.signals.length > 0 && h.signals.every((s) => s.checksum === 0 && s.initValue === 0);
  const verify = o.checksum !== 'ignore' && !legacy && from === 0 && to === n;
  const wanted = new Set(map.map((m) => m.sig));
  const files: FilePlan[] = [];
  for (const [fileName, idx] of groupFiles(h)) {
    const sel = idx.filter((i) => wanted.has(i));
    if (sel.length === 0 || to <= from) continue;
    const first = h.signals[idx[0]];
    const format = first.format;
    const F = idx.reduce((a, i) => a + h.signals[i].samplesPerFrame, 0);
    const col: number[] = [];
    idx.reduce((c, i) => (col.push(c), c + h.signals[i].samplesPerFrame), 0);
    const sk = sel.map((i) => (o.skew === 'apply' ? h.signals[i].skew : 0));
    const minSk = Math.min(...sk);
    const maxSk = Math.max(...sk);
    const flac = isFlacFormat(format);
    const fromStart = format === 8 || flac || verify;
    const readFrom = fromStart ? 0 : Math.min(from + minSk, n);
    const reqTo = Math.max(readFrom, Math.min(n, to + maxSk));
    let optTo = Math.max(reqTo, to + maxSk);
    const label = src.label(fileName);
    if (flac) {
      const size = (yield { kind: 'size', name: fileName, what: 'signal file' }) as number;
      budget.addBytes(size, label);
      const spf = first.samplesPerFrame;
      budget.addDecoded(idx.length * (first.byteOffset + optTo * spf), `decoding FLAC file '${label}' (${idx.length} channels × ${first.byteOffset + optTo * spf} samples)`);
      files.push({ fileName, label, format, idx, col, frameSamples: F, offset: first.byteOffset, readFrom, reqTo, optTo, byteStart: 0, byteEnd: size, minEnd: 0, streamStart: 0, flac });
      continue;
    }
    if (optTo > reqTo) {
      // Skewed signals may use frames past the record's length when the file has them.
      const size = (yield { kind: 'size', name: fileName, what: 'signal file' }) as number;
      const avail = Math.floor(samplesInBytes(format, Math.max(0, size - first.byteOffset)) / F);
      optTo = Math.max(reqTo, Math.min(optTo, avail));
    }
    const g = sampleGroup(format);
    const a = readFrom * F;
    const a0 = a - (a % g);
    const byteStart = first.byteOffset + bytesForSamples(format, a0);
    const byteEnd = first.byteOffset + bytesForSamples(format, optTo * F);
    const minEnd = first.byteOffset + bytesForSamples(format, reqTo * F);
    budget.addBytes(byteEnd - byteStart, label);
    budget.addDecoded(optTo * F - a0, `decoding '${label}' (frames ${readFrom}…${optTo} × ${F} samples per frame)`);
    files.push({ fileName, label, format, idx, col, frameSamples: F, offset: first.byteOffset, readFrom, reqTo, optTo, byteStart, byteEnd, minEnd, streamStart: a0, flac });
  }
  return { h, where, n, from, to, outAt, map, files, verify };
}

// ---------------------------------------------------------------------------------------------
// Output

interface LeadOut {
  /** Output samples per frame (spf in expanded mode, else 1). */
  spf: number;
  data: Float32Array | Int32Array;
  /** Digital output: the value written for invalid or missing samples (see leadInvalid). */
  invalid: number;
}

/** Digital value used for samples with no data in digital output (null signals/segments, past the file). */
function missingCode(lead: LeadOut): number {
  return lead.invalid;
}

function emit(
  lead: LeadOut,
  d: Int32Array,
  dFrom: number,
  dFrames: number,
  s: WfdbSignalSpec,
  skew: number,
  from: number,
  to: number,
  outAt: number,
  o: Resolved,
): void {
  const spf = s.samplesPerFrame;
  const inv = FORMAT_RANGE[s.format].invalid;
  const out = lead.data;
  const scale = unitToMillivolts(s.units) ?? 1;
  const k = scale / s.gain;
  const base = s.baseline;
  const dig = o.digital;
  const miss = dig ? missingCode(lead) : NaN;
  const ospf = lead.spf;
  for (let t = from; t < to; t++) {
    const f = t + skew - dFrom;
    const oi = (outAt + t - from) * ospf;
    if (f < 0 || f >= dFrames) {
      for (let j = 0; j < ospf; j++) out[oi + j] = miss;
      continue;
    }
    if (ospf > 1 || (spf === 1 && ospf === 1)) {
      // expanded (or one sample per frame): copy every sample
      const p = f * spf;
      for (let j = 0; j < ospf; j++) {
        const v = d[p + j];
        out[oi + j] = v === inv ? miss : dig ? v : (v - base) * k;
      }
      continue;
    }
    let sum = 0;
    let bad = false;
    for (let j = f * spf; j < (f + 1) * spf; j++) {
      if (d[j] === inv) bad = true;
      sum += d[j];
    }
    if (bad) out[oi] = miss;
    else if (o.frames === 'mean') out[oi] = (sum / spf - base) * k;
    else {
      const v = Math.trunc(sum / spf); // getvec: C long division truncates toward zero
      out[oi] = dig ? v : (v - base) * k;
    }
  }
}

/** Reads and decodes the files of a planned segment into the output leads. */
/** What was read for a file of a plan: its bytes, or a FLAC file's decoded channels. */
type Fetched = { bytes: Uint8Array } | { channels: Int32Array[]; availFrames: number };

/**
 * Reads (and for FLAC decodes) every file of a planned segment, checking that each holds the
 * frames the header promises, before any output is allocated.
 */
function* fetchSegment(p: SegPlan, fn: string): Steps<Map<FilePlan, Fetched>> {
  const out = new Map<FilePlan, Fetched>();
  for (const f of p.files) {
    if (f.flac) {
      const bytes = (yield { kind: 'read', name: f.fileName, what: 'signal file', start: 0, end: f.byteEnd }) as Uint8Array;
      const spf = p.h.signals[f.idx[0]].samplesPerFrame;
      const per = f.offset + f.optTo * spf;
      const ch = (yield { kind: 'flac', fn, label: f.label, bytes, channels: f.idx.length, maxBits: FORMAT_RANGE[f.format].bits, maxPerChannel: per }) as Int32Array[];
      const got = ch[0]?.length ?? 0;
      const availFrames = Math.floor(Math.max(0, Math.min(got, per) - f.offset) / spf);
      if (availFrames < f.reqTo) {
        throw new BeatSslError(fn, `${p.where}: FLAC signal file '${f.label}' must hold ${f.reqTo} frames of ${spf} samples, but it decodes to ${availFrames} (truncated file, or the header overstates the number of samples).`, f.label);
      }
      out.set(f, { channels: ch, availFrames });
    } else {
      const bytes = (yield { kind: 'read', name: f.fileName, what: 'signal file', start: f.byteStart, end: f.byteEnd }) as Uint8Array;
      const have = f.byteStart + bytes.length;
      if (have < f.minEnd) {
        throw new BeatSslError(
          fn,
          `signal file '${f.label}' must hold ${f.reqTo} frames of ${f.frameSamples} format-${f.format} samples (${f.minEnd} bytes${f.offset ? ` incl. a ${f.offset}-byte offset` : ''}), but it ends after ${have} bytes (truncated file, or the header overstates the number of samples).`,
          f.label,
        );
      }
      out.set(f, { bytes });
    }
  }
  return out;
}

/** Decodes the fetched files of a planned segment into the output leads (checksums, skew, frames). */
function decodeSegment(p: SegPlan, fetched: Map<FilePlan, Fetched>, leads: LeadOut[], o: Resolved, fn: string): void {
  const { h } = p;
  const bySig = new Map<number, number[]>();
  for (const m of p.map) bySig.set(m.sig, [...(bySig.get(m.sig) ?? []), m.lead]);
  for (const f of p.files) {
    const F = f.frameSamples;
    const perSig = new Map<number, { d: Int32Array; dFrom: number; dFrames: number }>();
    const got = fetched.get(f) as Fetched;
    if ('channels' in got) {
      const spf = h.signals[f.idx[0]].samplesPerFrame;
      const { channels: ch, availFrames } = got;
      f.idx.forEach((i, c) => {
        if (!bySig.has(i)) return;
        perSig.set(i, { d: ch[c].subarray(f.offset, f.offset + availFrames * spf), dFrom: 0, dFrames: availFrames });
      });
    } else {
      const bytes = got.bytes;
      const have = f.byteStart + bytes.length;
      const nStream = Math.min(samplesInBytes(f.format, have - f.offset), f.optTo * F) - f.streamStart;
      const stream = decodeStream(f.format, bytes, 0, Math.max(0, nStream));
      const firstFrame = Math.ceil(f.streamStart / F); // streamStart may lie inside a byte group before readFrom
      const skip = firstFrame * F - f.streamStart;
      const dFrames = Math.max(0, Math.floor((nStream - skip) / F));
      f.idx.forEach((i, k) => {
        if (!bySig.has(i)) return;
        const spf = h.signals[i].samplesPerFrame;
        const d = new Int32Array(dFrames * spf);
        for (let fr = 0, q = 0; fr < dFrames; fr++) {
          let pp = skip + fr * F + f.col[k];
          for (let j = 0; j < spf; j++) d[q++] = stream[pp++];
        }
        if (f.format === 8) {
          // First differences, integrated from the initial value (the read starts at frame 0).
          let acc = h.signals[i].initValue;
          for (let q = 0; q < d.length; q++) {
            acc = (acc + d[q]) | 0;
            d[q] = acc;
          }
        }
        perSig.set(i, { d, dFrom: firstFrame, dFrames });
      });
    }
    for (const [i, r] of perSig) {
      const s = h.signals[i];
      if (p.verify && s.checksum !== undefined) {
        const got = checksum16(r.d, p.n * s.samplesPerFrame);
        if (got !== ((s.checksum << 16) >> 16)) {
          const msg = `signal ${i} ('${s.description}') in file '${f.label}' must have the header's checksum ${s.checksum}, but the data sum to ${got} (corrupt or mismatched file; pass { checksum: 'warn' | 'ignore' } to read anyway).`;
          if (o.checksum === 'error') throw new BeatSslError(fn, msg, f.label);
          o.warn(`Error in ${fn}: ${msg}`);
        }
      }
      const skew = o.skew === 'apply' ? s.skew : 0;
      for (const li of bySig.get(i) ?? []) emit(leads[li], r.d, r.dFrom, r.dFrames, s, skew, p.from, p.to, p.outAt, o);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Record assembly

function resolveRange(o: Resolved, fs: number, n: number, where: string, fn: string): { from: number; to: number } {
  const from = o.from ?? (o.fromSec !== undefined ? Math.round(o.fromSec * fs) : 0);
  const to = o.to ?? (o.toSec !== undefined ? Math.round(o.toSec * fs) : n);
  const argF = o.from !== undefined ? 'opts.from' : 'opts.fromSec';
  const argT = o.to !== undefined ? 'opts.to' : 'opts.toSec';
  if (from > n) throw new BeatSslError(fn, `${argF} must be at most the record's length ${n} samples (${(n / fs).toFixed(3)} s at ${fs} Hz) for ${where}, but got sample ${from}.`, argF);
  if (to > n) throw new BeatSslError(fn, `${argT} must be at most the record's length ${n} samples (${(n / fs).toFixed(3)} s at ${fs} Hz) for ${where}, but got sample ${to}.`, argT);
  if (to < from) throw new BeatSslError(fn, `${argT} must be ≥ the start (sample ${from}), but got sample ${to}.`, argT);
  return { from, to };
}

function resolveChannels(names: string[], o: Resolved, where: string, fn: string): number[] {
  if (!o.channels) return names.map((_, i) => i);
  const seen = new Set<number>();
  return o.channels.map((c) => {
    let i: number;
    if (typeof c === 'number') {
      if (c >= names.length) throw new BeatSslError(fn, `opts.channels must hold signal indices below ${names.length} for ${where}, but got ${c}.`, 'opts.channels');
      i = c;
    } else {
      const hits = names.flatMap((nm, k) => (nm === c ? [k] : []));
      if (hits.length === 0) throw new BeatSslError(fn, `opts.channels must name signals of ${where} (${names.map((x) => `'${x}'`).join(', ')}), but got ${describe(c)}.`, 'opts.channels');
      if (hits.length > 1) throw new BeatSslError(fn, `opts.channels names must be unique in ${where}, but ${describe(c)} names signals ${hits.join(', ')}; select by index instead.`, 'opts.channels');
      i = hits[0];
    }
    if (seen.has(i)) throw new BeatSslError(fn, `opts.channels must select each signal once, but signal ${i} ('${names[i]}') appears twice.`, 'opts.channels');
    seen.add(i);
    return i;
  });
}

type AnyRecord = EcgRecord | DigitalRecord | ExpandedRecord;

function allocLeads(specs: { spf: number; invalid: number }[], frames: number, o: Resolved): LeadOut[] {
  return specs.map((sp) => {
    const spf = o.frames === 'expanded' ? sp.spf : 1;
    const len = frames * spf;
    const data = o.digital ? new Int32Array(len) : new Float32Array(len);
    const lead: LeadOut = { spf, data, invalid: sp.invalid };
    data.fill(o.digital ? missingCode(lead) : NaN);
    return lead;
  });
}

function finish(name: string, fs: number, leadNames: string[], specs: WfdbSignalSpec[], leads: LeadOut[], comments: string[], o: Resolved): AnyRecord {
  if (o.digital) {
    return {
      name,
      fs,
      leads: leadNames,
      signals: leads.map((l) => l.data as Int32Array),
      units: specs.map((s) => s.units),
      gain: specs.map((s) => s.gain),
      baseline: specs.map((s) => s.baseline),
      invalid: leads.map((l) => l.invalid),
      samplesPerFrame: leads.map((l) => l.spf),
      comments: [...comments],
    };
  }
  const units = specs.map((s) => (unitToMillivolts(s.units) === null ? s.units : 'mV'));
  const base = { name, fs, leads: leadNames, signals: leads.map((l) => l.data as Float32Array), units, comments: [...comments] };
  return o.frames === 'expanded' ? { ...base, samplesPerFrame: leads.map((l) => l.spf) } : base;
}

/**
 * The digital value marking invalid or missing samples of a lead: the format's invalid code;
 * −32768 (WFDB_INVALID_SAMPLE) for null signals; −2³¹ for format 8, which has no invalid code.
 */
function leadInvalid(s: WfdbSignalSpec): number {
  if (s.format === 0) return -32768;
  return FORMAT_RANGE[s.format].invalid ?? -(2 ** 31);
}

/** The reader: header → record, asking the driver for every byte it needs. */
export function* recordSteps(input: HeaderInput, o: Resolved, fn: string, src: ByteSource): Steps<AnyRecord> {
  const budget = new Budget(o, fn, input.kind === 'file' ? src.label(input.name) : 'record');
  let h: WfdbHeader;
  let where: string;
  if (input.kind === 'file') {
    h = yield* readHeaderFile(input.name, 'header file', budget, src, fn);
    where = `header file '${src.label(input.name)}'`;
  } else if (input.kind === 'text') {
    if (input.text.length > MAX_HEADER_BYTES) throw new BeatSslError(fn, `input.header must be at most ${MAX_HEADER_BYTES} characters (a WFDB header), but got ${input.text.length}.`, 'input.header');
    h = parseHeaderText(input.text, 'header', fn);
    where = 'header';
  } else {
    h = normalizeHeaderObject(input.header, fn);
    where = 'header';
  }
  budget.rec = h.name;
  if (h.segments) return yield* multiSegment(h, where, o, budget, src, fn);
  const n = yield* frameCount(h, where, src, fn, budget);
  const { from, to } = resolveRange(o, h.fs, n, `record '${h.name}'`, fn);
  const sel = resolveChannels(h.signals.map((s) => s.description), o, `record '${h.name}'`, fn);
  const specs = sel.map((i) => h.signals[i]);
  const outFrames = to - from;
  const outTotal = specs.reduce((a, s) => a + outFrames * (o.frames === 'expanded' ? s.samplesPerFrame : 1), 0);
  budget.checkOutput(outTotal, `${specs.length} signals × ${outFrames} frames${o.frames === 'expanded' ? ' × samples per frame' : ''}`);
  const nullSamples = specs.reduce((a, s) => a + (s.format === 0 ? outFrames * s.samplesPerFrame : 0), 0);
  if (nullSamples > 0) budget.addDecoded(nullSamples, `${specs.filter((s) => s.format === 0).length} null (format 0) signals of ${outFrames} frames`);
  const map = sel.map((sig, lead) => ({ lead, sig }));
  const plan = yield* planSegment(h, where, n, from, to, 0, map, o, budget, src, fn);
  const fetched = yield* fetchSegment(plan, fn);
  const leads = allocLeads(specs.map((s) => ({ spf: s.samplesPerFrame, invalid: leadInvalid(s) })), outFrames, o);
  decodeSegment(plan, fetched, leads, o, fn);
  return finish(h.name, h.fs, specs.map((s) => s.description), specs, leads, h.comments, o);
}

function* multiSegment(master: WfdbHeader, where: string, o: Resolved, budget: Budget, src: ByteSource, fn: string): Steps<AnyRecord> {
  const segs = master.segments ?? [];
  for (const s of segs) if (s.name !== '~') checkContainedName(`${s.name}.hea`, `segment '${s.name}'`, where, fn);
  const headers = new Map<string, WfdbHeader>();
  const segHeader = function* (name: string, what: string): Steps<WfdbHeader> {
    const cached = headers.get(name);
    if (cached) return cached;
    const h = yield* readHeaderFile(`${name}.hea`, what, budget, src, fn);
    const label = `${what} '${src.label(`${name}.hea`)}'`;
    if (h.segments) throw new BeatSslError(fn, `${label} must describe a single-segment record, but it is itself multi-segment.`, name);
    if (h.fs !== master.fs) throw new BeatSslError(fn, `${label} must have the record's sampling frequency ${master.fs} Hz, but got ${h.fs} Hz.`, name);
    headers.set(name, h);
    return h;
  };
  const variable = segs.length > 0 && segs[0].nSamples === 0 && segs[0].name !== '~';
  const layout = variable ? yield* segHeader(segs[0].name, 'layout header') : undefined;
  // Segment offsets (the layout segment has length 0).
  const starts: number[] = [];
  let total = 0;
  for (const s of segs) {
    starts.push(total);
    total += s.nSamples;
  }
  if (!Number.isSafeInteger(total)) throw new BeatSslError(fn, `${where}: the segment lengths must add up to a safe integer, but they add up to ${total}.`, master.name);
  const { from, to } = resolveRange(o, master.fs, total, `record '${master.name}'`, fn);
  let leadSpecs: WfdbSignalSpec[];
  const firstReal = segs.find((s) => s.name !== '~');
  if (layout) leadSpecs = layout.signals;
  else if (firstReal) leadSpecs = (yield* segHeader(firstReal.name, 'segment header')).signals;
  else {
    // Only null segments: the master's signal count, all missing.
    budget.checkOutput(master.nSignals * (to - from), `${master.nSignals} signals × ${to - from} frames of null segments`);
    leadSpecs = parseHeader(`${master.name} ${master.nSignals}\n${'~ 0\n'.repeat(master.nSignals)}`).signals;
  }
  const leadNames = leadSpecs.map((s) => s.description);
  const sel = resolveChannels(leadNames, o, `record '${master.name}'`, fn);
  const outFrames = to - from;
  // Segments overlapping [from, to): headers, mapping, plans (budget charged before any data is read).
  const plans: SegPlan[] = [];
  const outSpf: (number | undefined)[] = sel.map(() => undefined);
  const outSpec: (WfdbSignalSpec | undefined)[] = sel.map(() => undefined);
  let nullOut = 0;
  for (let si = 0; si < segs.length; si++) {
    const seg = segs[si];
    const a = Math.max(from, starts[si]);
    const b = Math.min(to, starts[si] + seg.nSamples);
    if (b <= a) continue;
    if (seg.name === '~') {
      nullOut += (b - a) * sel.length;
      continue;
    }
    const h = yield* segHeader(seg.name, 'segment header');
    const segWhere = `segment header '${src.label(`${seg.name}.hea`)}'`;
    if (!layout && h.signals.length !== leadSpecs.length) {
      throw new BeatSslError(fn, `every segment of fixed-layout record '${master.name}' must have ${leadSpecs.length} signals, but segment '${seg.name}' has ${h.signals.length}.`, seg.name);
    }
    const map: SigOut[] = [];
    sel.forEach((li, lead) => {
      const sig = layout ? h.signals.findIndex((s) => s.description === leadNames[li]) : li;
      if (sig < 0) {
        nullOut += b - a;
        return;
      }
      map.push({ lead, sig });
      const s = h.signals[sig];
      if (o.frames === 'expanded') {
        if (outSpf[lead] === undefined) outSpf[lead] = s.samplesPerFrame;
        else if (outSpf[lead] !== s.samplesPerFrame) {
          throw new BeatSslError(fn, `signal '${leadNames[li]}' must have the same samples per frame in every segment for frames: 'expanded', but segment '${seg.name}' has ${s.samplesPerFrame} and an earlier one ${outSpf[lead]}; read with frames: 'getvec'.`, seg.name);
        }
      }
      const prev = outSpec[lead];
      if (!prev) outSpec[lead] = s;
      else if (o.digital && (prev.gain !== s.gain || prev.baseline !== s.baseline)) {
        throw new BeatSslError(fn, `signal '${leadNames[li]}' must have one gain and baseline in every segment for digital: true, but segment '${seg.name}' has ${s.gain}(${s.baseline}) and an earlier one ${prev.gain}(${prev.baseline}); read physical values instead.`, seg.name);
      }
    });
    const nSeg = h.nSamples ?? (yield* frameCount(h, segWhere, src, fn, budget));
    if (nSeg < seg.nSamples) {
      throw new BeatSslError(fn, `segment '${seg.name}' must have ${seg.nSamples} samples as the master header '${master.name}' says, but its header or files hold ${nSeg}.`, seg.name);
    }
    // Frames [a, b) of the record are frames [a − start, b − start) of the segment.
    const p = yield* planSegment(h, segWhere, seg.nSamples, a - starts[si], b - starts[si], a - from, map, o, budget, src, fn);
    // A segment's checksum covers its whole file; only verify when the segment is read whole and its header length is the master's.
    p.verify = p.verify && (h.nSamples === undefined || h.nSamples === seg.nSamples);
    plans.push(p);
  }
  const specs = sel.map((li, lead) => outSpec[lead] ?? leadSpecs[li]);
  const outTotal = sel.reduce((acc, _, lead) => acc + outFrames * (o.frames === 'expanded' ? (outSpf[lead] ?? 1) : 1), 0);
  budget.checkOutput(outTotal, `${sel.length} signals × ${outFrames} frames`);
  if (nullOut > 0) budget.addDecoded(nullOut, `${nullOut} samples of null segments or absent signals`);
  const fetched: Map<FilePlan, Fetched>[] = [];
  for (const p of plans) fetched.push(yield* fetchSegment(p, fn));
  const leads = allocLeads(
    specs.map((s, lead) => ({ spf: outSpf[lead] ?? 1, invalid: leadInvalid(s) })),
    outFrames,
    o,
  );
  plans.forEach((p, k) => decodeSegment(p, fetched[k], leads, o, fn)); // emit writes each segment's invalid samples as the lead's code
  const units = sel.map((li, lead) => (layout ? leadSpecs[li] : (outSpec[lead] ?? leadSpecs[li])));
  return finish(master.name, master.fs, sel.map((li) => leadNames[li]), specs.map((s, i) => ({ ...s, units: units[i].units })), leads, master.comments, o);
}
