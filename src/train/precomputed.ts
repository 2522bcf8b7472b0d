/**
 * Checks and statistics over the {@link PrecomputedRecord}s that `pretrainBeatSsl` takes. The
 * records themselves are computed in `beat-ssl/data` (`precomputeRecord`, `loadSslRecords`);
 * the type is re-exported here so `import type { PrecomputedRecord } from 'beat-ssl/train'` keeps working.
 * @module
 */
import { check, checkFs, checkInt, fail } from '../core/errors';
import type { PrecomputedRecord } from '../data/precomputeRecord';

export type { PrecomputedRecord } from '../data/precomputeRecord';

/** Validates a list of {@link PrecomputedRecord}s (same lead count and rate; consistent feature sizes). */
export function checkPrecomputedRecords(data: readonly PrecomputedRecord[], fn: string): { fs: number; leads: number; minLength: number; recordFeatureDim: number; beatFeatureDim: number } {
  check(Array.isArray(data) && data.length >= 2, fn, 'data', 'an array of at least 2 PrecomputedRecords', data);
  const fs = checkFs(data[0]?.fs, fn, 'data[0].fs');
  const leads = checkInt(data[0]?.leads, fn, 'data[0].leads', 1);
  let minLength = Infinity;
  let rfd = -1;
  let bfd = -1;
  data.forEach((r, i) => {
    const where = `data[${i}]${r?.name ? ` (${r.name})` : ''}`;
    check(r != null && r.signals instanceof Float32Array, fn, `${where}.signals`, 'a Float32Array [T × leads]', r?.signals);
    if (r.fs !== fs) fail(fn, `${where}.fs`, `${fs} Hz like data[0] (resample first)`, r.fs);
    if (r.leads !== leads) fail(fn, `${where}.leads`, `${leads} like data[0]`, r.leads);
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
  const fn = 'columnStats';
  checkInt(dim, fn, 'dim', 1, 1e6);
  check(rows !== null && typeof rows === 'object' && typeof (rows as Iterable<unknown>)[Symbol.iterator] === 'function', fn, 'rows', 'an iterable of rows (arrays of numbers)', rows);
  const list = [...rows];
  list.forEach((r, i) => check((Array.isArray(r) || (ArrayBuffer.isView(r) && !(r instanceof DataView))) && r.length === dim, fn, `rows[${i}]`, `an array of ${dim} numbers`, r));
  rows = list;
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

