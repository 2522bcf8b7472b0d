/**
 * Implementation of parseRecord/readRecord (single- and multi-segment decoding). Private; runtime-neutral.
 */
import type { EcgRecord } from '../../core/types';
import { BeatSslError, checkOneOf, describe } from '../../core/errors';
import { parseHeader, type WfdbHeader, type WfdbSignalSpec } from '../header';
import type { ReadRecordOptions, WfdbRecordInput } from '../record';
import { checksum16, decodeSignals, MAX_SAMPLES_PER_SIGNAL } from './decode';
import { unitToMillivolts } from './units';
import { decodeHeaderText } from './text';

/** parseRecord with the public function name used in errors (`readRecord` reuses it). */
export function parseRecordAs(input: WfdbRecordInput, opts: ReadRecordOptions, fn: string): EcgRecord {
  if (!input || typeof input !== 'object') throw new BeatSslError(fn, `input must be { header, files }, but got ${describe(input)}.`, 'input');
  if (!input.files || typeof input.files !== 'object') throw new BeatSslError(fn, `input.files must be an object of file name → Uint8Array, but got ${describe(input.files)}.`, 'input.files');
  const checksum = checkOneOf(opts.checksum ?? 'error', ['error', 'warn', 'ignore'] as const, fn, 'opts.checksum');
  const skew = checkOneOf(opts.skew ?? 'apply', ['apply', 'ignore'] as const, fn, 'opts.skew');
  const warn = opts.onWarning ?? ((m: string) => console.warn(m));
  const header = typeof input.header === 'string' ? parseHeaderAs(input.header, fn, 'header') : input.header;
  if (!header || typeof header !== 'object' || !Array.isArray(header.signals)) {
    throw new BeatSslError(fn, `input.header must be header text or a WfdbHeader, but got ${describe(input.header)}.`, 'input.header');
  }
  if (header.segments) return parseMultiSegment(header, input.files, { checksum, skew, warn }, fn);
  return parseSingle(header, input.files, { checksum, skew, warn }, fn);
}

interface Resolved {
  checksum: 'error' | 'warn' | 'ignore';
  skew: 'apply' | 'ignore';
  warn: (m: string) => void;
}

function parseHeaderAs(text: string, fn: string, what: string): WfdbHeader {
  try {
    return parseHeader(text);
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(fn, `${what}: ${e.message.replace(/^Error in parseHeader: /, '')}`, what);
    throw e;
  }
}

function parseSingle(header: WfdbHeader, files: Record<string, Uint8Array>, o: Resolved, fn: string): EcgRecord {
  const dec = decodeSignals(header, files, fn);
  const n = dec.nFrames;
  const sigs = header.signals;
  // Checksums over the stored (unskewed) samples of the record's length.
  const legacyUnspecified = sigs.length > 0 && sigs.every((s) => s.checksum === 0 && s.initValue === 0);
  if (o.checksum !== 'ignore' && !legacyUnspecified) {
    sigs.forEach((s, i) => {
      if (s.checksum === undefined || s.format === 0) return;
      const got = checksum16(dec.digital[i], n * s.samplesPerFrame);
      if (got !== ((s.checksum << 16) >> 16)) {
        const msg = `Error in ${fn}: signal ${i} ('${s.description}') in file '${s.fileName}' must have the header's checksum ${s.checksum}, but the data sum to ${got} (corrupt or mismatched file; pass { checksum: 'warn' | 'ignore' } to read anyway).`;
        if (o.checksum === 'error') throw new BeatSslError(fn, msg.replace(/^Error in [^:]+: /, ''), s.fileName);
        o.warn(msg);
      }
    });
  }
  const leads: string[] = [];
  const units: string[] = [];
  const signals: Float32Array[] = [];
  sigs.forEach((s, i) => {
    const scale = unitToMillivolts(s.units);
    leads.push(s.description);
    units.push(scale === null ? s.units : 'mV');
    signals.push(toPhysical(dec.digital[i], s, dec.invalid[i], n, o.skew === 'apply' ? s.skew : 0, scale ?? 1));
  });
  return { name: header.name, fs: header.fs, leads, signals, units, comments: [...header.comments] };
}

/** Converts one signal's digital samples (frames × spf, possibly with extra frames) to physical units. */
function toPhysical(d: Int32Array, s: WfdbSignalSpec, invalid: number | null, n: number, skew: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  const spf = s.samplesPerFrame;
  const availFrames = Math.floor(d.length / spf);
  const k = scale / s.gain;
  const base = s.baseline;
  for (let t = 0; t < n; t++) {
    const f = t + skew;
    if (f >= availFrames) {
      out[t] = NaN;
      continue;
    }
    if (spf === 1) {
      const v = d[f];
      out[t] = v === invalid ? NaN : (v - base) * k;
    } else {
      let sum = 0;
      let bad = false;
      for (let j = f * spf; j < (f + 1) * spf; j++) {
        if (d[j] === invalid) bad = true;
        sum += d[j];
      }
      out[t] = bad ? NaN : (sum / spf - base) * k;
    }
  }
  return out;
}


function parseMultiSegment(master: WfdbHeader, files: Record<string, Uint8Array>, o: Resolved, fn: string): EcgRecord {
  const segs = master.segments ?? [];
  let layout: WfdbHeader | undefined;
  const parts: { rec: EcgRecord | null; n: number }[] = [];
  segs.forEach((seg, si) => {
    if (seg.name === '~') {
      parts.push({ rec: null, n: seg.nSamples });
      return;
    }
    const key = `${seg.name}.hea`;
    const hb = files[key];
    if (!(hb instanceof Uint8Array)) {
      throw new BeatSslError(fn, `segment header '${key}' of multi-segment record '${master.name}' must be provided, but it is missing.`, key);
    }
    const h = parseHeaderAs(decodeHeaderText(hb), fn, `segment header '${key}'`);
    if (h.segments) throw new BeatSslError(fn, `segment header '${key}' must describe a single-segment record, but it is itself multi-segment.`, key);
    if (si === 0 && seg.nSamples === 0) {
      layout = h;
      return;
    }
    const rec = parseSingle(h, files, o, fn);
    const len = rec.signals[0]?.length ?? seg.nSamples;
    if (len < seg.nSamples) {
      throw new BeatSslError(fn, `segment '${seg.name}' must have ${seg.nSamples} samples as the master header '${master.name}' says, but its files hold ${len}.`, key);
    }
    if (h.fs !== master.fs) {
      throw new BeatSslError(fn, `segment '${seg.name}' must have the record's sampling frequency ${master.fs} Hz, but got ${h.fs} Hz.`, key);
    }
    parts.push({ rec, n: seg.nSamples });
  });
  let leads: string[];
  let units: string[];
  if (layout) {
    leads = layout.signals.map((s) => s.description);
    units = layout.signals.map((s) => (unitToMillivolts(s.units) === null ? s.units : 'mV'));
  } else {
    const first = parts.find((p) => p.rec)?.rec;
    leads = first ? [...first.leads] : [];
    units = first ? [...first.units] : [];
    for (const p of parts) {
      if (p.rec && p.rec.leads.length !== leads.length) {
        throw new BeatSslError(fn, `every segment of fixed-layout record '${master.name}' must have ${leads.length} signals, but segment '${p.rec.name}' has ${p.rec.leads.length}.`, master.name);
      }
    }
  }
  const total = parts.reduce((a, p) => a + p.n, 0);
  if (total > MAX_SAMPLES_PER_SIGNAL) {
    throw new BeatSslError(fn, `multi-segment record '${master.name}' must have at most ${MAX_SAMPLES_PER_SIGNAL} samples per signal, but its segments add up to ${total}.`, master.name);
  }
  const signals = leads.map(() => new Float32Array(total).fill(NaN));
  let at = 0;
  for (const p of parts) {
    if (p.rec) {
      const rec = p.rec;
      leads.forEach((lead, li) => {
        const src = layout ? rec.leads.indexOf(lead) : li;
        if (src < 0) return;
        signals[li].set(rec.signals[src].subarray(0, p.n), at);
      });
    }
    at += p.n;
  }
  return { name: master.name, fs: master.fs, leads, signals, units, comments: [...master.comments] };
}
