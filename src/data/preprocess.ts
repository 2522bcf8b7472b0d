/**
 * The documented preprocessing pipeline of beat-ssl, applied to every record before training,
 * evaluation and inference (see docs/data.md):
 *
 * 1. select and order leads by name (default: the 12 standard leads, canonical order),
 * 2. fill missing (`NaN`) samples by linear interpolation,
 * 3. band-pass filter at the record's native rate (Butterworth, zero-phase, default 0.5–40 Hz),
 * 4. resample to the working rate `fs` (polyphase, anti-aliased),
 * 5. standardise each lead (zero mean, unit SD over the record; `'none'` keeps mV).
 * @module
 */
import type { EcgRecord } from '../core/types';
import { CANONICAL_LEADS, canonicalLeadName, findLead } from '../core/leads';
import { check, checkFs, fail } from '../core/errors';
import { bandpass } from '../signal/filter';
import { interpolateNaN } from '../signal/missing';
import { resample } from '../signal/resample';

/** Options of {@link preprocessRecord}. */
export interface PreprocessOptions {
  /** Working sampling rate in Hz (required; e.g. 100). */
  fs: number;
  /** Band-pass cutoffs in Hz at the native rate; `null` skips filtering. Default `[0.5, 40]`. */
  bandpassHz?: readonly [number, number] | null;
  /** `'lead'` (default): z-score each lead over the record; `'none'`: keep millivolts. */
  standardize?: 'lead' | 'none';
  /**
   * Leads to keep, in this order, matched by the one lead-name rule of `beat-ssl/core` `findLead`
   * (`'avr'` = `'aVR'`, `'MLII'` = `'II'`). Default: the 12 standard leads; `'all'` keeps the
   * record's leads as they are.
   */
  leads?: readonly string[] | 'all';
}

/**
 * Runs the preprocessing pipeline (lead selection → NaN fill → band-pass → resample →
 * standardise) on one record.
 * @param record input record (any rate, mV)
 * @param opts working rate `fs` (Hz), band-pass, standardisation, leads; see {@link PreprocessOptions}
 * @returns a new record at `opts.fs` with the selected leads (unit `'z'` when standardised)
 * @throws when `fs` is invalid, a requested lead is missing (named), or a lead is all-NaN
 * @example
 * const x = preprocessRecord(await readRecord('examples/data/ludb/1'), { fs: 100 });
 * x.signals.length; // 12, each 1000 samples
 */
export function preprocessRecord(record: EcgRecord, opts: PreprocessOptions): EcgRecord {
  const fn = 'preprocessRecord';
  check(record != null && Array.isArray(record.signals), fn, 'record', 'an EcgRecord', record);
  checkFs(record.fs, fn, 'record.fs');
  check(opts != null && typeof opts === 'object', fn, 'opts', 'an options object with fs', opts);
  const fs = checkFs(opts.fs, fn, 'opts.fs');
  const band = opts.bandpassHz === undefined ? ([0.5, 40] as const) : opts.bandpassHz;
  const standardize = opts.standardize ?? 'lead';
  if (standardize !== 'lead' && standardize !== 'none') fail(fn, 'opts.standardize', "'lead' or 'none'", standardize);
  let idx: number[];
  let names: string[];
  const want = opts.leads ?? CANONICAL_LEADS;
  if (want === 'all') {
    idx = record.leads.map((_, i) => i);
    names = [...record.leads];
  } else {
    idx = want.map((l) => {
      const i = findLead(record.leads, l);
      if (i < 0) fail(fn, 'record.leads', `to include lead ${l}`, record.leads);
      return i;
    });
    names = want.map(canonicalLeadName);
  }
  const signals = idx.map((i) => {
    let x: Float32Array | Float64Array = record.signals[i];
    let hasNaN = false;
    for (let k = 0; k < x.length; k++) if (!Number.isFinite(x[k])) { hasNaN = true; break; }
    if (hasNaN) x = interpolateNaN(Float64Array.from(x));
    else x = Float64Array.from(x);
    if (band) {
      const hi = Math.min(band[1], 0.45 * record.fs);
      x = bandpass(x, record.fs, band[0], hi);
    }
    if (fs !== record.fs) x = resample(x, record.fs, fs);
    const out = new Float32Array(x.length);
    if (standardize === 'lead') {
      let m = 0;
      for (let k = 0; k < x.length; k++) m += x[k];
      m /= x.length || 1;
      let v = 0;
      for (let k = 0; k < x.length; k++) v += (x[k] - m) ** 2;
      const sd = Math.sqrt(v / (x.length || 1));
      const inv = sd > 1e-8 ? 1 / sd : 0;
      for (let k = 0; k < x.length; k++) out[k] = (x[k] - m) * inv;
    } else out.set(x);
    return out;
  });
  return {
    ...record,
    fs,
    leads: names,
    signals,
    units: names.map((_, j) => (standardize === 'lead' ? 'z' : record.units[idx[j]] ?? 'mV')),
    comments: [...record.comments],
  };
}

/**
 * Interleaves per-lead signals into one channels-last buffer `[time, leads]` (row-major), the
 * layout of a tfjs tensor `[time, leads]`; the inverse of reading `signals[lead][t]`.
 * @param signals one array per lead, equal lengths T
 * @returns `Float32Array(T · leads)` with element `[t, l]` at `t · leads + l`
 * @throws when leads differ in length
 * @example
 * tf.tensor3d(interleaveLeads(rec.signals), [1, rec.signals[0].length, rec.signals.length]);
 */
export function interleaveLeads(signals: readonly ArrayLike<number>[]): Float32Array {
  check(Array.isArray(signals) && signals.length > 0, 'interleaveLeads', 'signals', 'a non-empty array of per-lead arrays', signals);
  const L = signals.length;
  const T = signals[0].length;
  for (let l = 0; l < L; l++) if (signals[l].length !== T) fail('interleaveLeads', `signals[${l}]`, `${T} samples like lead 0`, signals[l].length);
  const out = new Float32Array(T * L);
  for (let l = 0; l < L; l++) {
    const s = signals[l];
    for (let t = 0; t < T; t++) out[t * L + l] = s[t];
  }
  return out;
}
