/** Implementation of encodeRecord/writeRecord. Private; runtime-neutral. */
import type { EcgRecord } from '../../core/types';
import { BeatSslError, checkOneOf, describe } from '../../core/errors';
import { formatHeader, type WfdbHeader, type WfdbSignalSpec } from '../header';
import type { EncodedRecord, WriteRecordOptions } from '../encodeRecord';
import { defaultAdcResolution, encodeStream, FORMAT_RANGE, isFlacFormat, WFDB_FORMATS, type FlacFormat, type WfdbFormat } from './formats';
import { checksum16 } from './decode';

const DEFAULT_GAIN: Record<WritableFormat, number> = { 8: 100, 16: 1000, 24: 100000, 32: 100000, 61: 1000, 80: 100, 160: 1000, 212: 200, 310: 100, 311: 100 };

/** Formats encodeRecord writes (not null, not FLAC). */
type WritableFormat = Exclude<WfdbFormat, 0 | FlacFormat>;
const WRITABLE: readonly WritableFormat[] = WFDB_FORMATS.filter((f): f is WritableFormat => f !== 0 && !isFlacFormat(f));

function perLead(v: number | readonly number[] | undefined, n: number, def: number, fn: string, arg: string, integer: boolean): number[] {
  const arr = v === undefined ? new Array<number>(n).fill(def) : typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (arr.length !== n) throw new BeatSslError(fn, `opts.${arg} must be a number or one number per lead (${n}), but got ${describe(v)}.`, arg);
  arr.forEach((x) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
      throw new BeatSslError(fn, `opts.${arg} must hold finite ${integer ? 'integers' : 'numbers'}, but got ${describe(v)}.`, arg);
    }
  });
  return arr;
}

/** encodeRecord with the caller's function name in errors. */
export function encodeRecordAs(record: EcgRecord, opts: WriteRecordOptions, fn: string): EncodedRecord {
  if (!record || typeof record !== 'object' || !Array.isArray(record.signals) || !Array.isArray(record.leads)) {
    throw new BeatSslError(fn, `record must be an EcgRecord { name, fs, leads, signals, units, comments }, but got ${describe(record)}.`, 'record');
  }
  const format = Number(checkOneOf(String(opts.format ?? 16), WRITABLE.map(String), fn, 'opts.format')) as WritableFormat;
  const nSig = record.signals.length;
  if (record.leads.length !== nSig) throw new BeatSslError(fn, `record.leads must have one name per signal (${nSig}), but got ${record.leads.length}.`, 'record.leads');
  if (typeof record.fs !== 'number' || !Number.isFinite(record.fs) || record.fs <= 0) throw new BeatSslError(fn, `record.fs must be a finite positive number (Hz), but got ${describe(record.fs)}.`, 'record.fs');
  const n = nSig > 0 ? record.signals[0].length : 0;
  (record.signals as unknown[]).forEach((s, i) => {
    if (!(s instanceof Float32Array || s instanceof Float64Array)) throw new BeatSslError(fn, `record.signals[${i}] must be a Float32Array or Float64Array, but got ${describe(s)}.`, 'record.signals');
    if (s.length !== n) throw new BeatSslError(fn, `record.signals[${i}] must have ${n} samples like signal 0, but got ${s.length}.`, 'record.signals');
  });
  const name = opts.name ?? record.name;
  if (typeof name !== 'string' || !/^[^\s/\\]+$/.test(name)) throw new BeatSslError(fn, `record name must be non-empty without white space or slashes, but got ${describe(name)}.`, 'name');
  const fileName = opts.fileName ?? `${name}.dat`;
  if (!/^[^\s]+$/.test(fileName)) throw new BeatSslError(fn, `opts.fileName must contain no white space, but got ${describe(fileName)}.`, 'fileName');
  const gains = perLead(opts.gain, nSig, DEFAULT_GAIN[format], fn, 'gain', false);
  gains.forEach((g) => {
    if (g === 0) throw new BeatSslError(fn, `opts.gain must be non-zero, but got ${describe(opts.gain)}.`, 'gain');
  });
  const baselines = perLead(opts.baseline, nSig, 0, fn, 'baseline', true);
  const zeros = perLead(opts.adcZero, nSig, 0, fn, 'adcZero', true);
  const range = FORMAT_RANGE[format];
  const lo = range.invalid === null ? range.min : range.invalid + 1;
  const hi = range.max;
  const digital: Int32Array[] = record.signals.map((s, i) => {
    const d = new Int32Array(n);
    const g = gains[i];
    const b = baselines[i];
    for (let t = 0; t < n; t++) {
      const x = s[t];
      if (Number.isNaN(x)) {
        if (range.invalid === null) throw new BeatSslError(fn, `record.signals[${i}] ('${record.leads[i]}') must not contain NaN in format 8 (no invalid-sample code), but sample ${t} is NaN.`, 'record.signals');
        d[t] = range.invalid;
        continue;
      }
      const v = Math.round(x * g + b);
      if (!(v >= lo && v <= hi)) {
        throw new BeatSslError(fn, `record.signals[${i}] ('${record.leads[i]}') must fit format ${format} at gain ${g} and baseline ${b} (digital ${lo}…${hi}), but sample ${t} = ${x} → ${v} (use a smaller gain or another format).`, 'record.signals');
      }
      d[t] = v;
    }
    return d;
  });
  // Interleave into one stream (format 8 stores first differences from the initial value).
  const stream = new Int32Array(n * nSig);
  for (let i = 0; i < nSig; i++) {
    const d = digital[i];
    let prev = n > 0 ? d[0] : 0;
    for (let t = 0; t < n; t++) {
      let v = d[t];
      if (format === 8) {
        const diff = d[t] - prev;
        if (diff < -128 || diff > 127) {
          throw new BeatSslError(fn, `record.signals[${i}] ('${record.leads[i]}') must change by at most 127 ADC units per sample in format 8, but sample ${t} changes by ${diff} (use a smaller gain or another format).`, 'record.signals');
        }
        prev = d[t];
        v = diff;
      }
      stream[t * nSig + i] = v;
    }
  }
  const signals: WfdbSignalSpec[] = record.signals.map((_, i) => ({
    fileName,
    format,
    samplesPerFrame: 1,
    skew: 0,
    byteOffset: 0,
    gain: gains[i],
    gainGiven: true,
    baseline: baselines[i],
    units: record.units?.[i] && !/\s/.test(record.units[i]) ? record.units[i] : 'mV',
    adcResolution: defaultAdcResolution(format),
    adcZero: zeros[i],
    initValue: n > 0 ? digital[i][0] : zeros[i],
    checksum: checksum16(digital[i]),
    blockSize: 0,
    description: String(record.leads[i] ?? '').replace(/[\r\n]+/g, ' ').trim() || `signal ${i}`,
  }));
  const wfdbHeader: WfdbHeader = {
    name,
    nSignals: nSig,
    fs: record.fs,
    counterFreq: undefined,
    baseCounter: undefined,
    nSamples: n,
    baseTime: opts.baseTime,
    baseDate: opts.baseDate,
    signals,
    segments: undefined,
    comments: Array.isArray(record.comments) ? record.comments.map(String) : [],
  };
  const header = formatHeader(wfdbHeader);
  const files: Record<string, Uint8Array> = nSig > 0 ? { [fileName]: encodeStream(format, stream) } : {};
  return { header, wfdbHeader, files };
}
