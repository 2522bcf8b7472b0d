/**
 * The per-record inputs of Beat-SSL pretraining that are computed once (DESIGN §5): signals,
 * R-peaks, record features (`ecgFeatures`), beat features (`beatFeatures`) and beat classes
 * (`classifyBeats`), all from `beat-ssl/beats`. `loadSslRecords` (`./precomputeSsl`) runs it over WFDB folders
 * (disk cache, worker threads); the training loop of `beat-ssl/train` never recomputes it per step.
 * @module
 */
import { check, checkFs } from '../core/errors';
import type { EcgRecord, Wave } from '../core/types';
import { processEcg } from '../beats/process';
import { interleaveLeads } from '../signal/preprocess';
import { standardizeSignal } from '../signal/normalize';
import { ecgFeatures } from '../beats/ecgFeatures';
import { beatFeatures } from '../beats/beatFeatures';
import { classifyBeats } from '../beats/classify';

/**
 * One record ready for pretraining. All sample indices are at `fs`.
 * @example
 * const rec: PrecomputedRecord = {
 *   name: 'ludb/1', fs: 100, leads: 12, signals,            // Float32Array [T × 12], time-major, band-passed mV
 *   rPeaks: Int32Array.of(52, 131, 210),                     // samples at 100 Hz
 *   recordFeatures: Float32Array.of(72, 0.04, 0.09),        // φ (raw; the loop z-scores them)
 *   beatFeatures: new Float32Array(3 * 4),                   // ψ, [beats × 4] row-major
 *   beatClasses: Int8Array.of(0, 0, 2),                      // AAMI N=0, S=1, V=2, Q=3; −1 unknown
 * };
 */
export interface PrecomputedRecord {
  /** Record name (for messages). */
  name?: string;
  /**
   * Signals `[T, leads]` flattened time-major (`signals[t * leads + l]`), band-passed. For Beat-SSL
   * pretraining keep them in mV (`standardize: false`): 3KG's VCG matrices are defined in mV, and the
   * loop standardises every view per lead after augmentation.
   */
  signals: Float32Array;
  /** Sampling rate in Hz. */
  fs: number;
  /** Number of leads (channels) in `signals`. */
  leads: number;
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
 * Computes the once-per-record inputs of pretraining (DESIGN §5): R-peaks and waves from the one
 * analysis chain (`processEcg` of `beat-ssl/beats`), record features φ, beat features ψ and beat
 * classes — measured on the record in millivolts — and the interleaved `[T × leads]` signals, kept
 * in the record's units (mV: 3KG needs them, and the pretraining loop standardises each view after
 * augmentation) or z-scored per lead with `standardize: true`.
 * @param record an `EcgRecord` at the working rate, filtered, in mV (e.g.
 *   `preprocessRecord(rec, { fs: 100, standardize: 'none' })` from `beat-ssl/signal`)
 * @param opts `standardize` (default false) and extractors overriding the `beat-ssl/beats` defaults
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
  const { rPeaks, waves } = processEcg(record, opts.detect ? { rPeaks: opts.detect(record) } : {});
  const recordFeatures = Float32Array.from(opts.recordFeatures ? opts.recordFeatures(record, rPeaks, waves) : ecgFeatures(record, rPeaks, waves).values);
  const beatFeat = Float32Array.from(opts.beatFeatures ? opts.beatFeatures(record, rPeaks, waves) : beatFeatures(record.signals, fs, rPeaks, waves).values);
  const beatClasses = opts.beatClasses
    ? Int8Array.from(opts.beatClasses(record, rPeaks, waves))
    : Int8Array.from(classifyBeats(record.signals, fs, rPeaks, { waves }), (c) => AAMI_INDEX[c] ?? -1);
  const leads = record.signals.length;
  const perLead = opts.standardize ? record.signals.map((s) => standardizeSignal(s)) : record.signals;
  const signals = interleaveLeads(perLead, { nanAsZero: true });
  return { name: record.name, fs, leads, signals, rPeaks, recordFeatures, beatFeatures: rPeaks.length > 0 ? beatFeat : null, beatClasses };
}
