/**
 * The one argument check of an {@link EcgRecord}: what `EcgRecord` promises (one lead name per
 * signal, Float32Array/Float64Array signals all of one length, a sampling rate in range) is what
 * every public function taking a record relies on.
 * @internal
 * @module
 */
import { check, checkFs, fail } from '../errors';
import type { EcgRecord } from '../types';

/** Options of {@link checkEcgRecord}. */
export interface CheckEcgRecordOptions {
  /** Fewest leads accepted (default 1). */
  minLeads?: number;
  /** Fewest samples per lead accepted (default 0). */
  minSamples?: number;
}

/**
 * Asserts an EcgRecord: an object with `leads` (strings, one per signal), `signals`
 * (Float32Array/Float64Array, all of one length) and `fs` (see `checkFs`).
 * @returns the number of samples per lead
 */
export function checkEcgRecord(record: unknown, fn: string, arg = 'record', opts: CheckEcgRecordOptions = {}): number {
  const r = record as EcgRecord;
  if (!r || typeof r !== 'object' || !Array.isArray(r.signals) || !Array.isArray(r.leads)) fail(fn, arg, 'an EcgRecord { name, fs, leads, signals, units, comments }', record);
  checkFs(r.fs, fn, `${arg}.fs`);
  const minLeads = opts.minLeads ?? 1;
  check(r.signals.length >= minLeads, fn, `${arg}.signals`, `at least ${minLeads} lead${minLeads === 1 ? '' : 's'}`, r.signals);
  check(r.leads.length === r.signals.length, fn, `${arg}.leads`, `one name per signal (${r.signals.length})`, r.leads);
  r.leads.forEach((l, i) => check(typeof l === 'string', fn, `${arg}.leads[${i}]`, 'a lead name (string)', l));
  const n = (r.signals[0] as unknown as { length?: number } | undefined)?.length ?? 0;
  (r.signals as unknown[]).forEach((s, i) => {
    if (!(s instanceof Float32Array || s instanceof Float64Array)) fail(fn, `${arg}.signals[${i}]`, 'a Float32Array (or Float64Array) of samples', s);
    check(s.length === n, fn, `${arg}.signals[${i}] (${r.leads[i]})`, `${n} samples like ${arg}.signals[0] (every lead of a record has the same length)`, `${s.length} samples`);
  });
  const minSamples = opts.minSamples ?? 0;
  check(n >= minSamples, fn, `${arg}.signals`, `at least ${minSamples} samples per lead`, `${n} samples`);
  return n;
}
