// Seeded fuzzing of the WFDB readers, shared by test/io/fuzz.test.ts (CI-sized, time-bounded) and
// bench/fuzz-io.ts (long runs). Not a test file.
//
// A case takes a seed (a real record of every format, a record encoded here in every writable
// format, a multi-segment record, or an annotation file), mutates header text and/or bytes
// (hostile tokens, digits, flips, truncations, insertions), picks random read options, and checks:
//   - the reader returns or throws BeatSslError (anything else is a crash);
//   - lengths: one signal, unit and name per lead, each of the requested length;
//   - values: never ±Infinity; NaN exactly where the digital read has the invalid code;
//   - formats 16 and 212 (unmutated headers): every digital value, and success vs. truncation /
//     checksum errors, against an independent decoder written below from the WFDB spec.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BeatSslError } from '../../src/core/errors';
import { createRng, type Rng } from '../../src/core/rng';
import type { EcgRecord } from '../../src/core/types';
import { parseRecord, parseRecordAsync, type DigitalRecord, type ReadRecordOptions, type ExpandedRecord } from '../../src/io/record';
import { parseAnnotations } from '../../src/io/annotations';
import { parseEdf } from '../../src/io/edf';
import { encodeRecord } from '../../src/io/encodeRecord';
import { formatHeader, parseHeader } from '../../src/io/header';
import { checksum16 } from '../../src/io/_internal/decode';

export interface RecordSeed {
  kind: 'record';
  name: string;
  header: string;
  files: Record<string, Uint8Array>;
  /** Set for single-file format 16/212 records checked against the reference decoder. */
  ref?: { format: 16 | 212; nSig: number; n: number; checksums: number[] };
  flac?: boolean;
}
export interface AnnotationSeed {
  kind: 'annotations';
  name: string;
  bytes: Uint8Array;
}
export interface EdfSeed {
  kind: 'edf';
  name: string;
  bytes: Uint8Array;
}
export type Seed = RecordSeed | AnnotationSeed | EdfSeed;

export type Outcome = 'ok' | 'library-error' | 'crash' | 'violation';
export interface CaseResult {
  outcome: Outcome;
  /** Longest single reader call of the case (ms). */
  ms: number;
  /** Whole case including the reference decoder and checks (ms). */
  totalMs: number;
  seed: string;
  detail?: string;
  /** The reference decoder was compared (format 16/212). */
  refChecked: boolean;
  /** Number of output values checked for ±Infinity / NaN consistency. */
  values: number;
}

const latin1 = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
};

function read(root: string, rel: string): Uint8Array {
  const b = readFileSync(join(root, rel));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Seeds: real records (every format), multi-segment records and annotation files. With
 * `short: true` (CI), MIT-BIH 100 is cut to its first 60 s (header length and checksums
 * rewritten) so that a case stays cheap; the long run uses the whole 30-minute record.
 */
export function loadSeeds(repo: string, opts: { short?: boolean } = {}): Seed[] {
  const ex = join(repo, 'examples/data');
  const wp = join(repo, 'test/fixtures/io/wfdb-python/sample-data');
  const fx = join(repo, 'test/fixtures/io/formats');
  const seeds: Seed[] = [];
  const one = (name: string, hea: string, dat: string, file: string) => {
    const header = latin1(read(ex, hea));
    seeds.push({ kind: 'record', name, header, files: { [file]: read(ex, dat) }, ref: refOf(header) });
  };
  one('mitdb/100', 'mitdb/100.hea', 'mitdb/100.dat', '100.dat');
  if (opts.short) seeds[0] = shortened(seeds[0] as RecordSeed, 21600);
  one('ludb/1', 'ludb/1.hea', 'ludb/1.dat', '1.dat');
  one('ptbxl/00001_lr', 'ptbxl/records100/00000/00001_lr.hea', 'ptbxl/records100/00000/00001_lr.dat', '00001_lr.dat');
  // wfdb-python fixtures: every binary format, FLAC, 310/311, skew + samples per frame.
  const wpRec = (hea: string, files: string[], extra: Partial<RecordSeed> = {}) => {
    const f: Record<string, Uint8Array> = {};
    for (const x of files) f[x] = read(wp, x);
    seeds.push({ kind: 'record', name: `wfdb-python/${hea}`, header: latin1(read(wp, hea)), files: f, ...extra });
  };
  wpRec('binformats.hea', Array.from({ length: 10 }, (_, i) => `binformats.d${i}`));
  wpRec('flacformats.hea', ['flacformats.d0', 'flacformats.d1', 'flacformats.d2'], { flac: true });
  wpRec('310derive.hea', ['310derive.dat']);
  wpRec('311derive.hea', ['311derive.dat']);
  wpRec('test01_00s_skewframe.hea', ['test01_00s.dat']);
  wpRec('test01_00s_frame.hea', ['test01_00s.dat']);
  // Multi-segment (fixed and variable layout): segment headers ride in files as '<seg>.hea'.
  const ms = (dir: string, master: string, parts: string[]) => {
    const f: Record<string, Uint8Array> = {};
    for (const x of parts) f[x] = read(wp, `${dir}/${x}`);
    seeds.push({ kind: 'record', name: `wfdb-python/${dir}/${master}`, header: latin1(read(wp, `${dir}/${master}`)), files: f });
  };
  ms('multi-segment/041s', '041s.hea', ['041s01.hea', '041s01.dat', '041s02.hea', '041s02.dat']);
  ms('multi-segment/p000878', 'p000878-2137-10-26-16-57.hea', ['3269321_layout.hea', '3269321_0001.hea', '3269321_0001.dat', '3269321_0002.hea', '3269321_0002.dat']);
  // Our own numpy-encoded format fixtures (interleaved 310/311/212 with offsets).
  try {
    for (const f of ['fmt311multi', 'fmt310multi', 'fmt212odd', 'fmt61', 'fmt160', 'fmt80', 'fmt24', 'fmt32', 'fmt8']) {
      const hea = latin1(read(fx, `${f}.hea`));
      const files: Record<string, Uint8Array> = {};
      for (const line of hea.split('\n').slice(1)) {
        const name = line.trim().split(/\s+/)[0];
        if (name && !name.startsWith('#') && !(name in files)) files[name] = read(fx, name);
      }
      seeds.push({ kind: 'record', name: `formats/${f}`, header: hea, files });
    }
  } catch {
    // optional seeds
  }
  for (const a of ['mitdb/100.atr', 'ludb/1.ii', 'ludb/3.v5']) seeds.push({ kind: 'annotations', name: a, bytes: read(ex, a) });
  seeds.push({ kind: 'annotations', name: 'wfdb-python/1003.atr', bytes: read(wp, '1003.atr') });
  for (const e of ['test_generator_2-first10.edf', 'test_edfann.edf']) seeds.push({ kind: 'edf', name: `wfdb-python/${e}`, bytes: read(wp, e) });
  return seeds;
}

/** The first `frames` frames of a single-file format-212/16 seed, with a matching header. */
function shortened(seed: RecordSeed, frames: number): RecordSeed {
  const [file, bytes] = Object.entries(seed.files)[0];
  const d = parseRecord({ header: seed.header, files: seed.files }, { digital: true, to: frames, checksum: 'ignore' });
  const h = parseHeader(seed.header);
  h.nSamples = frames;
  h.signals.forEach((s, i) => (s.checksum = checksum16(d.signals[i])));
  const fmt = h.signals[0].format;
  const keep = fmt === 212 ? Math.ceil((frames * h.nSignals) / 2) * 3 : frames * h.nSignals * 2;
  const header = formatHeader(h);
  return { ...seed, name: `${seed.name} (first ${frames} frames)`, header, files: { [file]: bytes.slice(0, keep) }, ref: refOf(header) };
}

/** Reference layout of a single-file, one-sample-per-frame format 16/212 header (else undefined). */
function refOf(header: string): RecordSeed['ref'] {
  const lines = header.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const rec = lines[0].trim().split(/\s+/);
  const nSig = Number(rec[1]);
  const n = Number(rec[3]);
  const sig = lines.slice(1).map((l) => l.trim().split(/\s+/));
  const format = Number(sig[0][1]);
  if ((format !== 16 && format !== 212) || sig.some((s) => s[0] !== sig[0][0] || s[1] !== sig[0][1])) return undefined;
  return { format, nSig, n, checksums: sig.map((s) => Number(s[6])) };
}

/** An encoded record of every writable format, random leads/length/gain/baseline/NaNs. */
export function encodedSeed(rng: Rng): RecordSeed {
  const formats = [8, 16, 24, 32, 61, 80, 160, 212, 310, 311] as const;
  const format = formats[rng.int(formats.length)];
  const nLeads = 1 + rng.int(4);
  const n = rng.int(300);
  const gain = [8, 80, 310, 311].includes(format) ? 10 : format === 212 ? 100 : 1000;
  const signals = Array.from({ length: nLeads }, () => {
    const s = new Float32Array(n);
    let v = 0;
    for (let t = 0; t < n; t++) {
      v = Math.max(-2, Math.min(2, v + rng.normal(0, 0.05)));
      s[t] = format !== 8 && rng.bernoulli(0.01) ? NaN : v;
    }
    return s;
  });
  const rec: EcgRecord = { name: 'enc', fs: 100 + rng.int(900), leads: signals.map((_, i) => `L${i}`), signals, units: signals.map(() => 'mV'), comments: [] };
  const enc = encodeRecord(rec, { format, gain, baseline: rng.int(21) - 10 });
  return { kind: 'record', name: `encoded/${format}`, header: enc.header, files: enc.files };
}

const HOSTILE = ['0', '-1', '1e-300', '1e300', '1e-12', '268435456', '2147483648', '99999999999999999', '4294967296', 'NaN', 'Infinity', 'x', '../x.dat', '/etc/passwd', '~', '16x1000', '212:99999', '16+99999999', '16x0', '8x3', '0', '310', '311', '24', '32', '508', '1e12', '0.000001', '200(2147483648)', '200(-5)/uV', '200/V', '200/nV', '-200', '16:2147483647'];

/** Byte-level mutations (truncation, flips, insert/delete runs, digit changes, garbage). */
export function mutateBytes(src: Uint8Array, rng: Rng): Uint8Array {
  const kind = rng.int(6);
  if (src.length === 0) return new Uint8Array([rng.int(256)]);
  if (kind === 0) return src.slice(0, rng.int(src.length));
  if (kind === 1) {
    const b = src.slice();
    const k = 1 + rng.int(4);
    for (let i = 0; i < k; i++) b[rng.int(b.length)] = rng.int(256);
    return b;
  }
  if (kind === 2) {
    const at = rng.int(src.length);
    const len = 1 + rng.int(8);
    if (rng.bernoulli(0.5)) {
      const out = new Uint8Array(src.length - Math.min(len, src.length - at));
      out.set(src.subarray(0, at));
      out.set(src.subarray(Math.min(src.length, at + len)), at);
      return out;
    }
    const out = new Uint8Array(src.length + len);
    out.set(src.subarray(0, at));
    for (let i = 0; i < len; i++) out[at + i] = rng.int(256);
    out.set(src.subarray(at), at + len);
    return out;
  }
  if (kind === 3) {
    const b = src.slice();
    for (let k = 0; k < 1 + rng.int(3); k++) {
      const i = rng.int(b.length);
      if (b[i] >= 48 && b[i] <= 57) b[i] = 48 + rng.int(10);
    }
    return b;
  }
  if (kind === 4) return Uint8Array.from({ length: rng.int(64) }, () => rng.int(256));
  const b = src.slice();
  b[rng.int(b.length)] ^= 1 << rng.int(8);
  return b;
}

/** Header-text mutations: hostile tokens, duplicated/removed lines, or byte-level changes. */
export function mutateHeader(text: string, rng: Rng): string {
  const kind = rng.int(4);
  if (kind === 3) return latin1(mutateBytes(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff), rng));
  const lines = text.split('\n');
  const content = lines.map((l, i) => [l, i] as const).filter(([l]) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (content.length === 0) return text;
  const [line, at] = content[rng.int(content.length)];
  if (kind === 2) {
    if (rng.bernoulli(0.5)) lines.splice(at, 0, line);
    else lines.splice(at, 1);
    return lines.join('\n');
  }
  const toks = line.trim().split(/\s+/);
  for (let k = 0; k < 1 + rng.int(2); k++) {
    const i = rng.int(Math.min(toks.length + 1, 8));
    const tok = HOSTILE[rng.int(HOSTILE.length)];
    if (i >= toks.length) toks.push(tok);
    else toks[i] = kind === 1 && /\d/.test(toks[i]) ? toks[i].replace(/\d+/, String(rng.bernoulli(0.5) ? rng.int(10) : 2 ** (1 + rng.int(40)))) : tok;
  }
  lines[at] = toks.join(' ');
  return lines.join('\n');
}

/** Mutates the ASCII header of an EDF file (numbers and fields) rather than its samples. */
function mutateHeaderBytesOfEdf(src: Uint8Array, rng: Rng): Uint8Array {
  const ns = Number(String.fromCharCode(...src.subarray(252, 256)).trim());
  const hb = Number.isSafeInteger(ns) && ns >= 0 && ns < 1000 ? 256 * (ns + 1) : 256;
  const b = src.slice();
  for (let k = 0; k < 1 + rng.int(3); k++) {
    const at = rng.int(Math.min(hb, b.length));
    const tok = HOSTILE[rng.int(HOSTILE.length)];
    for (let i = 0; i < tok.length && at + i < hb; i++) b[at + i] = tok.charCodeAt(i);
  }
  return b;
}

/** The sample budget of fuzz cases (see randomOptions). */
export const FUZZ_MAX_SAMPLES = 2 ** 22;

/** Random read options (sometimes none); `n` is the record's length when known. */
export function randomOptions(rng: Rng, n: number | undefined): ReadRecordOptions {
  const o: ReadRecordOptions = { onWarning: () => undefined };
  if (rng.bernoulli(0.5)) o.checksum = (['error', 'warn', 'ignore'] as const)[rng.int(3)];
  if (rng.bernoulli(0.2)) o.skew = 'ignore';
  if (rng.bernoulli(0.3)) o.frames = (['getvec', 'mean', 'expanded'] as const)[rng.int(3)];
  if (rng.bernoulli(0.3) && n !== undefined && n > 0) {
    const a = rng.int(n + 1);
    o.from = a;
    o.to = Math.min(n, a + rng.int(Math.max(1, Math.min(n - a + 1, 5000))));
  }
  if (rng.bernoulli(0.15)) o.channels = [rng.int(3)];
  // Cases run under a 2^22-sample budget (some under random smaller ones): the default 2^27 lets a
  // header legitimately claim 512 MiB of output, which is slow by design, not a fuzz finding.
  o.maxSamples = rng.bernoulli(0.1) ? 1 + rng.int(100_000) : FUZZ_MAX_SAMPLES;
  if (rng.bernoulli(0.05)) o.maxBytes = 1 + rng.int(100_000);
  return o;
}

function headerLength(text: string): number | undefined {
  const first = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const n = Number(first?.trim().split(/\s+/)[3]);
  return Number.isSafeInteger(n) && n >= 0 && n < 1e9 ? n : undefined;
}

// ---- the independent reference decoder (formats 16 and 212, one file, one sample per frame) ----

/** Digital samples of frames [from, to) of every signal, or `null` when the file is too short. */
function refDecode(bytes: Uint8Array, format: 16 | 212, nSig: number, from: number, to: number): Int32Array[] | null {
  const out: Int32Array[] = Array.from({ length: nSig }, () => new Int32Array(Math.max(0, to - from)));
  const sampleAt = (k: number): number | null => {
    if (format === 16) {
      if (2 * k + 1 >= bytes.length) return null;
      const v = bytes[2 * k] + 256 * bytes[2 * k + 1];
      return v >= 32768 ? v - 65536 : v;
    }
    const g = Math.floor(k / 2) * 3;
    if (k % 2 === 0) {
      if (g + 1 >= bytes.length) return null;
      const v = bytes[g] + 256 * (bytes[g + 1] & 15);
      return v >= 2048 ? v - 4096 : v;
    }
    if (g + 2 >= bytes.length) return null;
    const v = bytes[g + 2] + 16 * (bytes[g + 1] & 0xf0);
    return v >= 2048 ? v - 4096 : v;
  };
  for (let t = from; t < to; t++) {
    for (let s = 0; s < nSig; s++) {
      const v = sampleAt(t * nSig + s);
      if (v === null) return null;
      out[s][t - from] = v;
    }
  }
  return out;
}

function refChecksum(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const m = ((sum % 65536) + 65536) % 65536;
  return m >= 32768 ? m - 65536 : m;
}

// ---- one case ----

function checkShape(rec: EcgRecord | DigitalRecord | ExpandedRecord, o: ReadRecordOptions): string | null {
  const nL = rec.leads.length;
  if (rec.signals.length !== nL || rec.units.length !== nL) return `signals/leads/units counts ${rec.signals.length}/${nL}/${rec.units.length}`;
  if (!(rec.fs > 0 && Number.isFinite(rec.fs))) return `fs ${rec.fs}`;
  const spf = 'samplesPerFrame' in rec ? rec.samplesPerFrame : rec.signals.map(() => 1);
  const frames = nL > 0 ? rec.signals[0].length / spf[0] : 0;
  if (o.from !== undefined && o.to !== undefined && nL > 0 && frames !== o.to - o.from) return `length ${frames} ≠ to − from = ${o.to - o.from}`;
  for (let i = 0; i < nL; i++) {
    if (rec.signals[i].length !== frames * spf[i]) return `signal ${i} has ${rec.signals[i].length} samples, expected ${frames} × ${spf[i]}`;
  }
  return null;
}

/** Runs one fuzz case (deterministic in `seedNo`). */
export async function runCase(seeds: Seed[], seedNo: number): Promise<CaseResult> {
  const rng = createRng(seedNo);
  const pick = rng.int(seeds.length + 3);
  const seed: Seed = pick >= seeds.length ? encodedSeed(rng) : seeds[pick];
  const t0 = performance.now();
  let callMs = 0;
  const timed = async <T>(f: () => T | Promise<T>): Promise<T> => {
    const a = performance.now();
    try {
      return await f();
    } finally {
      callMs = Math.max(callMs, performance.now() - a);
    }
  };
  let refChecked = false;
  let values = 0;
  let refState: { r: RecordSeed['ref']; ref: Int32Array[] | null; rChecksumBad: boolean; rSel: number[] } | undefined;
  const done = (outcome: Outcome, detail?: string): CaseResult => ({ outcome, ms: callMs, totalMs: performance.now() - t0, seed: `${seedNo}:${seed.name}`, detail, refChecked, values });
  try {
    if (seed.kind === 'annotations') {
      const input = rng.bernoulli(0.9) ? mutateBytes(seed.bytes, rng) : seed.bytes;
      const anns = await timed(() => parseAnnotations(input, seed.name));
      for (const a of anns) {
        if (!(Number.isSafeInteger(a.sample) && a.sample >= 0 && typeof a.symbol === 'string' && a.symbol.length > 0 && typeof a.aux === 'string')) return done('violation', `annotation ${JSON.stringify(a)}`);
        if (!(a.chan >= 0 && a.chan <= 255 && a.num >= -128 && a.num <= 127 && a.subtype >= -128 && a.subtype <= 127)) return done('violation', `field out of range ${JSON.stringify(a)}`);
      }
      return done('ok');
    }
    if (seed.kind === 'edf') {
      const input = rng.bernoulli(0.5) ? mutateHeaderBytesOfEdf(seed.bytes, rng) : rng.bernoulli(0.8) ? mutateBytes(seed.bytes, rng) : seed.bytes;
      const o = randomOptions(rng, undefined);
      if (rng.bernoulli(0.3)) {
        o.from = rng.int(2000);
        o.to = o.from + rng.int(500);
      }
      const phys = await timed(() => parseEdf(input, o, 'fuzz.edf'));
      const bad = checkShape(phys, o);
      if (bad) return done('violation', `edf physical: ${bad}`);
      for (const x of phys.signals) for (const v of x) if (!Number.isFinite(v)) return done('violation', `edf physical ${v}`);
      const dig = await timed(() => parseEdf(input, { ...o, digital: true, frames: o.frames === 'mean' ? 'getvec' : o.frames }, 'fuzz.edf'));
      const badD = checkShape(dig, o);
      if (badD) return done('violation', `edf digital: ${badD}`);
      for (const a of phys.annotations) if (!(Number.isFinite(a.onsetSec) && typeof a.text === 'string')) return done('violation', `edf annotation ${JSON.stringify(a)}`);
      values += phys.signals.reduce((acc, x) => acc + x.length, 0);
      return done('ok');
    }
    const what = rng.int(4); // 0 header, 1 data, 2 both, 3 options only
    const header = what === 0 || what === 2 ? mutateHeader(seed.header, rng) : seed.header;
    const files: Record<string, Uint8Array> = { ...seed.files };
    if (what === 1 || what === 2) {
      const names = Object.keys(files);
      const k = names[rng.int(names.length)];
      files[k] = names.length && k.endsWith('.hea') ? Uint8Array.from(mutateHeader(latin1(files[k]), rng), (c) => c.charCodeAt(0) & 0xff) : mutateBytes(files[k], rng);
    }
    const o = randomOptions(rng, headerLength(header));
    // Long records (MIT-BIH 100, 650,000 frames) are mostly read in parts (as users do): a whole read
    // costs ~0.3 s of the case; 1 case in 10 still reads it whole.
    const len = headerLength(header);
    if (len !== undefined && len > 100_000 && o.from === undefined && rng.bernoulli(0.9)) {
      o.from = rng.int(len + 1);
      o.to = Math.min(len, o.from + rng.int(21_601));
    }
    // The independent decoder's view of an intact 16/212 record (header unmutated).
    const r = seed.ref && header === seed.header ? seed.ref : undefined;
    const rFrom = o.from ?? 0;
    const rTo = o.to ?? r?.n ?? 0;
    const rSel = o.channels ? (o.channels as number[]) : Array.from({ length: r?.nSig ?? 0 }, (_, i) => i);
    const ref = r ? refDecode(Object.values(files)[0], r.format, r.nSig, rFrom, rTo) : null;
    const rFull = r !== undefined && rFrom === 0 && rTo === r.n;
    const rChecksumBad = r !== undefined && ref !== null && rFull && !r.checksums.every((c) => c === 0) && (o.checksum ?? 'error') === 'error' && rSel.some((s) => s < r.nSig && refChecksum(ref[s]) !== refChecksum([r.checksums[s]]));
    refState = { r, ref, rChecksumBad, rSel };
    const useAsync = seed.flac === true;
    const phys = await timed(() => (useAsync ? parseRecordAsync({ header, files }, o) : parseRecord({ header, files }, o)));
    const bad = checkShape(phys, o);
    if (bad) return done('violation', `physical: ${bad}`);
    for (const s of phys.signals) for (const v of s) if (v === Infinity || v === -Infinity) return done('violation', 'physical ±Infinity');
    // NaN exactly where the digital read (same options, getvec instead of mean) has the invalid code.
    const od: ReadRecordOptions & { digital: true } = { ...o, digital: true, frames: o.frames === 'mean' ? 'getvec' : o.frames };
    const dig = await timed(() => (useAsync ? parseRecordAsync({ header, files }, od) : parseRecord({ header, files }, od)));
    const badD = checkShape(dig, o);
    if (badD) return done('violation', `digital: ${badD}`);
    if (dig.signals.length !== phys.signals.length) return done('violation', 'digital/physical lead counts differ');
    for (let i = 0; i < dig.signals.length; i++) {
      const d = dig.signals[i];
      const p = phys.signals[i];
      if (d.length !== p.length) return done('violation', `digital/physical lengths differ for signal ${i}`);
      for (let t = 0; t < d.length; t++) {
        values++;
        const invalid = d[t] === dig.invalid[i];
        if (Number.isNaN(p[t]) !== invalid) return done('violation', `signal ${i} sample ${t}: physical ${p[t]} but digital ${d[t]} (invalid code ${dig.invalid[i]})`);
      }
    }
    if (r) {
      refChecked = true;
      if (ref === null) return done('violation', `reader succeeded where the reference finds the file too short (${rFrom}-${rTo})`);
      if (rChecksumBad) return done('violation', `reader missed a checksum mismatch the reference finds (options ${JSON.stringify(o)}; sums ${rSel.map((s) => `${refChecksum(ref[s])}/${r.checksums[s]}`).join(' ')})`);
      for (let k = 0; k < rSel.length; k++) {
        const want = ref[rSel[k]];
        const got = dig.signals[k];
        for (let t = 0; t < want.length; t++) if (got[t] !== want[t]) return done('violation', `reference mismatch: signal ${rSel[k]} frame ${rFrom + t}: ${got[t]} ≠ ${want[t]}`);
      }
    }
    return done('ok');
  } catch (e) {
    if (e instanceof BeatSslError) {
      // For an intact 16/212 header the reference must agree that the read was bad.
      const st = refState;
      if (st?.r) {
        refChecked = true;
        const m = e.message;
        const explained =
          (st.ref === null && /must hold \d+ frames/.test(m)) ||
          (st.rChecksumBad && /checksum/.test(m)) ||
          /opts\.(maxSamples|maxBytes|channels|from|to)/.test(m) ||
          (st.rSel.some((s) => s >= st.r!.nSig) && /channels/.test(m));
        if (!explained) return done('violation', `reader refused what the reference decodes: ${m}`);
      }
      return done('library-error', e.message);
    }
    return done('crash', `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack ?? ''}`);
  }
}
