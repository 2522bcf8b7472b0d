/**
 * The per-record inputs of Beat-SSL pretraining that are computed once (DESIGN §5): signals,
 * R-peaks, record features, beat features and beat classes. Data loaders (and their on-disk
 * cache) fill {@link PrecomputedRecord}s; the training loop never recomputes them per step.
 * @module
 */
import { check, checkFs, checkInt, fail } from '../core/errors';
import type { EcgRecord } from '../core/types';
import type { Wave } from '../core/types';
import { detectRPeaks } from '../beats/detect';
import { delineateBeats } from '../beats/delineate';
import { ecgFeatures } from '../beats/ecgFeatures';
import { beatFeatures } from '../beats/beatFeatures';
import { classifyBeats } from '../beats/classify';

/**
 * One record ready for pretraining. All sample indices are at `fs`.
 * @example
 * const rec: PrecomputedRecord = {
 *   name: 'ludb/1', fs: 100, leads: 12, signals,            // Float32Array [T × 12], time-major, standardised
 *   rPeaks: Int32Array.of(52, 131, 210),                     // samples at 100 Hz
 *   recordFeatures: Float32Array.of(72, 0.04, 0.09),        // φ (raw; the loop z-scores them)
 *   beatFeatures: new Float32Array(3 * 4),                   // ψ, [beats × 4] row-major
 *   beatClasses: Int8Array.of(0, 0, 2),                      // AAMI N=0, S=1, V=2, Q=3; −1 unknown
 * };
 */
export interface PrecomputedRecord {
  /** Record name (for messages). */
  name?: string;
  /** Signals `[T, leads]` flattened time-major (`signals[t * leads + l]`), filtered and standardised. */
  signals: Float32Array;
  /** Sampling rate in Hz. */
  fs: number;
  /** Number of leads (channels) in `signals`. Default 12. */
  leads?: number;
  /** R-peak sample indices (ascending). */
  rPeaks: Int32Array;
  /** Record features φ (any length, same for every record; NaN = unavailable). `null` when not computed. */
  recordFeatures: Float32Array | null;
  /** Beat features ψ `[rPeaks.length, D]` row-major (NaN = unavailable). `null` when not computed. */
  beatFeatures: Float32Array | null;
  /** Beat class per R-peak (0 N, 1 S, 2 V, 3 Q; −1 unknown). `null` when not computed. */
  beatClasses: Int8Array | Int32Array | null;
  /**
   * Optional group (patient) id, a non-negative integer; used by `rhythmTargets: 'patient'`, where
   * records of the same group are positives. Negative or absent = unknown (own views only).
   */
  groupId?: number;
}

/** Validates a list of {@link PrecomputedRecord}s (same lead count and rate; consistent feature sizes). */
export function checkPrecomputedRecords(data: readonly PrecomputedRecord[], fn: string): { fs: number; leads: number; minLength: number; recordFeatureDim: number; beatFeatureDim: number } {
  check(Array.isArray(data) && data.length >= 2, fn, 'data', 'an array of at least 2 PrecomputedRecords', data);
  const fs = checkFs(data[0]?.fs, fn, 'data[0].fs');
  const leads = checkInt(data[0].leads ?? 12, fn, 'data[0].leads', 1);
  let minLength = Infinity;
  let rfd = -1;
  let bfd = -1;
  data.forEach((r, i) => {
    const where = `data[${i}]${r?.name ? ` (${r.name})` : ''}`;
    check(r != null && r.signals instanceof Float32Array, fn, `${where}.signals`, 'a Float32Array [T × leads]', r?.signals);
    if (r.fs !== fs) fail(fn, `${where}.fs`, `${fs} Hz like data[0] (resample first)`, r.fs);
    if ((r.leads ?? 12) !== leads) fail(fn, `${where}.leads`, `${leads} like data[0]`, r.leads ?? 12);
    check(r.signals.length % leads === 0 && r.signals.length > 0, fn, `${where}.signals`, `a non-empty multiple of ${leads} samples`, r.signals.length);
    check(r.rPeaks instanceof Int32Array, fn, `${where}.rPeaks`, 'an Int32Array of sample indices', r.rPeaks);
    minLength = Math.min(minLength, r.signals.length / leads);
    if (r.recordFeatures) {
      if (rfd < 0) rfd = r.recordFeatures.length;
      else if (r.recordFeatures.length !== rfd) fail(fn, `${where}.recordFeatures`, `of length ${rfd} like the others`, r.recordFeatures.length);
    }
    if (r.beatFeatures) {
      const n = r.rPeaks.length;
      const d = n === 0 ? 0 : r.beatFeatures.length / n;
      check(Number.isInteger(d), fn, `${where}.beatFeatures`, `[${n} beats × D] values`, r.beatFeatures.length);
      if (n > 0) {
        if (bfd < 0) bfd = d;
        else if (d !== bfd) fail(fn, `${where}.beatFeatures`, `${bfd} features per beat like the others`, d);
      }
    }
    if (r.beatClasses) check(r.beatClasses.length === r.rPeaks.length, fn, `${where}.beatClasses`, `one class per R-peak (${r.rPeaks.length})`, r.beatClasses.length);
  });
  return { fs, leads, minLength, recordFeatureDim: rfd, beatFeatureDim: bfd };
}

/** Mean and standard deviation per column, ignoring NaN (sd 1 where degenerate). */
export function columnStats(rows: Iterable<ArrayLike<number>>, dim: number): { mean: Float64Array; sd: Float64Array } {
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  const n = new Float64Array(dim);
  for (const r of rows) {
    for (let j = 0; j < dim; j++) {
      const v = r[j];
      if (Number.isFinite(v)) {
        sum[j] += v;
        sq[j] += v * v;
        n[j]++;
      }
    }
  }
  const mean = new Float64Array(dim);
  const sd = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    mean[j] = n[j] > 0 ? sum[j] / n[j] : 0;
    const v = n[j] > 1 ? sq[j] / n[j] - mean[j] * mean[j] : 0;
    sd[j] = v > 1e-12 ? Math.sqrt(v) : 1;
  }
  return { mean, sd };
}

/** Functions that fill a {@link PrecomputedRecord} from a record (see {@link precomputeRecord}). Defaults: `beat-ssl/beats`. */
export interface PrecomputeExtractors {
  /** R-peak detector. Default: `detectRPeaks` on all leads. */
  detect?: (record: EcgRecord) => Int32Array;
  /** Record features φ. Default: `ecgFeatures` (rhythm, intervals, axis, amplitudes; delineation by `delineateBeats`). */
  recordFeatures?: (record: EcgRecord, rPeaks: Int32Array, waves: readonly Wave[]) => ArrayLike<number>;
  /** Beat features ψ `[beats × D]` row-major. Default: `beatFeatures` (RR, prematurity, QRS width, R amplitude, median-beat correlation, amplitude ratio). */
  beatFeatures?: (record: EcgRecord, rPeaks: Int32Array, waves: readonly Wave[]) => ArrayLike<number>;
  /** Beat classes (0 N, 1 S, 2 V, 3 Q). Default: `classifyBeats`. */
  beatClasses?: (record: EcgRecord, rPeaks: Int32Array, waves: readonly Wave[]) => ArrayLike<number>;
}

const AAMI_INDEX: Record<string, number> = { N: 0, S: 1, V: 2, Q: 3 };

/**
 * Computes the once-per-record inputs of pretraining (DESIGN §5): R-peaks, delineation, record
 * features φ, beat features ψ and beat classes — measured on the record in millivolts — and the
 * interleaved `[T × leads]` signals, standardised per lead (z-score) unless `standardize: false`.
 * @param record an `EcgRecord` at the working rate, filtered, in mV (e.g.
 *   `preprocessRecord(rec, { fs: 100, standardize: 'none' })` from `beat-ssl/data`)
 * @param opts `standardize` (default true) and extractors overriding the `beat-ssl/beats` defaults
 * @returns a {@link PrecomputedRecord}
 * @throws if the record has no samples or leads of unequal length (and as the extractors)
 * @example
 * const pre = precomputeRecord(preprocessRecord(await readRecord('data/ludb/1'), { fs: 100, standardize: 'none' }));
 * pre.rPeaks.length; // ≈ beats in 10 s
 */
export function precomputeRecord(record: EcgRecord, opts: PrecomputeExtractors & { standardize?: boolean } = {}): PrecomputedRecord {
  const FN = 'precomputeRecord';
  check(record != null && Array.isArray(record.signals) && record.signals.length > 0, FN, 'record', 'an EcgRecord with signals', record);
  const fs = checkFs(record.fs, FN, 'record.fs');
  const T = record.signals[0].length;
  record.signals.forEach((s, i) => check(s instanceof Float32Array && s.length === T && T > 0, FN, `record.signals[${i}]`, `a Float32Array of ${T} samples`, s));
  const leads = record.signals.length;
  const rPeaks = opts.detect ? opts.detect(record) : detectRPeaks(record.signals, fs);
  const waves = delineateBeats(record.signals, fs, rPeaks);
  const recordFeatures = Float32Array.from(opts.recordFeatures ? opts.recordFeatures(record, rPeaks, waves) : ecgFeatures(record, rPeaks, waves).values);
  const beatFeat = Float32Array.from(opts.beatFeatures ? opts.beatFeatures(record, rPeaks, waves) : beatFeatures(record.signals, fs, rPeaks, waves).values);
  const beatClasses = opts.beatClasses
    ? Int8Array.from(opts.beatClasses(record, rPeaks, waves))
    : Int8Array.from(classifyBeats(record.signals, fs, rPeaks, { waves }), (c) => AAMI_INDEX[c] ?? -1);
  const signals = new Float32Array(T * leads);
  const standardize = opts.standardize ?? true;
  for (let l = 0; l < leads; l++) {
    const s = record.signals[l];
    let m = 0;
    let n = 0;
    for (let t = 0; t < T; t++) if (Number.isFinite(s[t])) { m += s[t]; n++; }
    m = n > 0 ? m / n : 0;
    let v = 0;
    for (let t = 0; t < T; t++) if (Number.isFinite(s[t])) v += (s[t] - m) ** 2;
    const sd = n > 1 && v > 0 ? Math.sqrt(v / n) : 1;
    for (let t = 0; t < T; t++) signals[t * leads + l] = Number.isFinite(s[t]) ? (standardize ? (s[t] - m) / sd : s[t]) : 0;
  }
  return { name: record.name, fs, leads, signals, rPeaks, recordFeatures, beatFeatures: rPeaks.length > 0 ? beatFeat : null, beatClasses };
}
