import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSslRecords, precomputeSslRecord, sslRecordFrom } from '../../src/data/precomputeSsl';
import { precomputeRecord } from '../../src/data/precomputeRecord';
import { precomputeRecords } from '../../src/data/precompute';
import { preprocessRecord } from '../../src/data/preprocess';
import { listWfdbRecords } from '../../src/data/wfdbFolder';
import { readRecord } from '../../src/io/readRecord';
import { ECG_FEATURE_NAMES } from '../../src/beats/ecgFeatures';
import { BEAT_FEATURE_NAMES } from '../../src/beats/beatFeatures';

const PTBXL = resolve(__dirname, '../../examples/data/ptbxl');
const LUDB1 = resolve(__dirname, '../../examples/data/ludb/1');

describe('SSL precomputation', () => {
  it('preprocesses a record and finds its R-peaks at the working rate', async () => {
    const r = await precomputeSslRecord(LUDB1, { fs: 100 });
    expect(r.fs).toBe(100);
    expect(r.leads).toBe(12);
    expect(r.signals).toHaveLength(12000);
    // lead II QRS peaks (500 Hz) of record 1 include 662, 1342, 2000 → 100 Hz ≈ 132, 268, 400
    for (const p of [132, 268, 400]) expect(Math.min(...Array.from(r.rPeaks, (q) => Math.abs(q - p)))).toBeLessThanOrEqual(3);
  });

  it('is precomputeRecord (beat-ssl/beats features and classes) on the preprocessed record, signals kept in mV', async () => {
    const rec = await readRecord(LUDB1);
    const r = sslRecordFrom(rec, { fs: 100 });
    const ref = precomputeRecord(preprocessRecord(rec, { fs: 100, standardize: 'none' }), { standardize: false });
    expect(r.name).toBe(rec.name);
    expect(Array.from(r.rPeaks)).toEqual(Array.from(ref.rPeaks));
    expect(r.signals).toEqual(ref.signals);
    expect(r.recordFeatures).toEqual(ref.recordFeatures);
    expect(r.recordFeatures).toHaveLength(ECG_FEATURE_NAMES.length);
    expect(r.beatFeatures).toEqual(ref.beatFeatures);
    expect(r.beatFeatures!.length).toBe(r.rPeaks.length * BEAT_FEATURE_NAMES.length);
    expect(r.beatClasses).toEqual(ref.beatClasses);
    expect(Array.from(r.beatClasses!).every((c) => c >= -1 && c <= 3)).toBe(true);
  });

  it('crops and zero-pads to the configured length without changing the peaks inside it', async () => {
    const rec = await readRecord(LUDB1);
    const short = sslRecordFrom(rec, { fs: 100, lengthSamples: 600 });
    expect(short.signals).toHaveLength(600 * 12);
    expect(Math.max(...short.rPeaks)).toBeLessThan(600);
    const long = sslRecordFrom(rec, { fs: 100, lengthSamples: 1200 });
    expect(long.signals).toHaveLength(1200 * 12);
    expect(long.signals.subarray(1000 * 12).every((v) => v === 0)).toBe(true);
    expect(Array.from(long.rPeaks)).toEqual(Array.from(sslRecordFrom(rec, { fs: 100 }).rPeaks));
  });

  it('gives identical results in workers, in-process and from the cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-ssl-'));
    try {
      const paths = (await listWfdbRecords(PTBXL)).slice(0, 6);
      const a = await loadSslRecords(paths, { config: { fs: 100 }, workers: 0 });
      const b = await loadSslRecords(paths, { config: { fs: 100 }, workers: 2, cache: join(dir, 'c') });
      const c = await loadSslRecords(paths, { config: { fs: 100 }, workers: 2, cache: join(dir, 'c') });
      for (let i = 0; i < paths.length; i++) {
        for (const x of [b[i], c[i]]) {
          expect(Array.from(x.rPeaks)).toEqual(Array.from(a[i].rPeaks));
          expect(x.signals).toEqual(a[i].signals);
          expect(x.recordFeatures).toEqual(a[i].recordFeatures);
          expect(x.beatFeatures).toEqual(a[i].beatFeatures);
          expect(x.beatClasses).toEqual(a[i].beatClasses);
        }
        expect(c[i].rPeaks).toBeInstanceOf(Int32Array);
        expect(a[i].recordFeatures).toHaveLength(ECG_FEATURE_NAMES.length);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs its task on worker threads (the .ts module is loaded through tsx)', async () => {
    const paths = (await listWfdbRecords(PTBXL)).slice(0, 2);
    const module = pathToFileURL(resolve(__dirname, '../../src/data/precomputeSsl.ts')).href;
    const res = await precomputeRecords<{ recordFeatures: Float32Array }>(paths, { task: { module, exportName: 'precomputeSslRecord' }, config: { fs: 100 }, workers: 2 });
    expect(res.workers).toBe(2);
    expect(res.values[0].recordFeatures).toHaveLength(ECG_FEATURE_NAMES.length);
  });
});
