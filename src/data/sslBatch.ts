/**
 * Two crops per record for contrastive pretraining: each view takes its own crop offset, so the
 * two views of a record do not share R-peak positions (a rhythm task solvable from timing alone
 * teaches nothing), and every R-peak is mapped into each view with its identity, so the beat loss
 * can match the same beat across views.
 * @module
 */
import { check, checkInt, checkKnownKeys, fail } from '../core/errors';
import { toRng, type Rng } from '../core/rng';
import type { PrecomputedRecord } from './precomputeRecord';

/** The R-peaks of one record in one view (same shape as `ViewPeaks` of `beat-ssl/models`). */
export interface CropPeaks {
  /** R-peak positions in the crop (samples from the crop's start). */
  samples: Int32Array;
  /** Index of each of these peaks in the record's `rPeaks`. */
  ids: Int32Array;
}

/** A batch of view pairs from {@link sampleViewPairs}. */
export interface ViewPairBatch {
  /**
   * Signals `[2B, length, leads]` flattened (time-major per record): the view-1 crops of the B records,
   * then their view-2 crops, in the records' own units (mV for Beat-SSL records).
   */
  x: Float32Array;
  /** B, records in the batch. */
  records: number;
  /** Crop length L in samples. */
  length: number;
  /** Leads per sample. */
  leads: number;
  /** Crop start (samples) per row of `x` (2B). */
  offsets: Int32Array;
  /** R-peaks per row of `x` (2B): positions in the crop and identities. */
  peaks: CropPeaks[];
  /** Index into `data` of each of the B records. */
  indices: number[];
}

/**
 * Cuts two crops of `length` samples from each selected record, with independent seeded offsets
 * (view 1's offset is drawn before view 2's, record by record), and maps the R-peaks into each crop.
 * @param data precomputed records (`signals` time-major `[T × leads]`; all with the same lead count)
 * @param indices records of the batch (indices into `data`)
 * @param opts `length` (crop samples, ≤ every selected record's length), `seed` or `rng`, and
 *   `sharedCrop` (default false; true cuts both views at view 1's offset — an ablation: the views then
 *   share R-peak positions, which makes the rhythm task solvable from timing alone)
 * @returns a {@link ViewPairBatch}
 * @throws {BeatSslError} on bad indices, a record shorter than `length`, or a missing seed
 * @example
 * const batch = sampleViewPairs(records, [0, 1, 2, 3], { length: 800, seed: 7 });
 * batch.x.length; // 2 · 4 · 800 · 12
 * batch.peaks[0].ids; // indices into records[0].rPeaks of the peaks in view 1 of record 0
 */
export function sampleViewPairs(data: readonly PrecomputedRecord[], indices: readonly number[], opts: { length: number; seed?: number; rng?: Rng; sharedCrop?: boolean }): ViewPairBatch {
  const FN = 'sampleViewPairs';
  check(Array.isArray(data) && data.length >= 1, FN, 'data', 'a non-empty array of PrecomputedRecords', data);
  data.forEach((r, i) => check(r !== null && typeof r === 'object' && r.signals instanceof Float32Array, FN, `data[${i}]`, 'a PrecomputedRecord { signals, leads, fs, ... }', r));
  check(Array.isArray(indices) && indices.length >= 1, FN, 'indices', 'a non-empty array of record indices', indices);
  check(opts != null && typeof opts === 'object', FN, 'opts', '{ length, seed | rng, sharedCrop? }', opts);
  checkKnownKeys(opts, ['length', 'seed', 'rng', 'sharedCrop'], FN, 'opts');
  const L = checkInt(opts.length, FN, 'opts.length', 1);
  const rng = toRng(opts.rng ?? opts.seed, FN, opts.rng === undefined ? 'opts.seed' : 'opts.rng');
  indices.forEach((r, b) => checkInt(r, FN, `indices[${b}]`, 0, data.length - 1));
  const leads = checkInt(data[indices[0]].leads, FN, `data[${indices[0]}].leads`, 1);
  const B = indices.length;
  const x = new Float32Array(2 * B * L * leads);
  const offsets = new Int32Array(2 * B);
  const peaks: CropPeaks[] = new Array(2 * B);
  indices.forEach((r, b) => {
    const rec = data[r];
    if (rec.leads !== leads) fail(FN, `data[${r}].leads`, `${leads} like the first record of the batch`, rec.leads);
    const T = rec.signals.length / leads;
    if (T < L) fail(FN, 'opts.length', `at most the length of every record (data[${r}] has ${T} samples)`, L);
    for (let v = 0; v < 2; v++) {
      const row = v * B + b;
      const off = v === 1 && opts.sharedCrop ? offsets[b] : T > L ? rng.int(T - L + 1) : 0;
      offsets[row] = off;
      x.set(rec.signals.subarray(off * leads, (off + L) * leads), row * L * leads);
      const s: number[] = [];
      const ids: number[] = [];
      for (let k = 0; k < rec.rPeaks.length; k++) {
        const p = rec.rPeaks[k];
        if (p >= off && p < off + L) {
          s.push(p - off);
          ids.push(k);
        }
      }
      peaks[row] = { samples: Int32Array.from(s), ids: Int32Array.from(ids) };
    }
  });
  return { x, records: B, length: L, leads, offsets, peaks, indices: [...indices] };
}
