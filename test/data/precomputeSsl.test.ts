import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSslRecords, precomputeSslRecord } from '../../src/data/precomputeSsl';
import { listWfdbRecords } from '../../src/data/wfdbFolder';

const PTBXL = resolve(__dirname, '../../examples/data/ptbxl');

describe('SSL precomputation', () => {
  it('preprocesses a record and finds its R-peaks at the working rate', async () => {
    const r = await precomputeSslRecord(resolve(__dirname, '../../examples/data/ludb/1'), { fs: 100 });
    expect(r.fs).toBe(100);
    expect(r.leads).toBe(12);
    expect(r.signals).toHaveLength(12000);
    // lead II QRS peaks (500 Hz) of record 1 include 662, 1342, 2000 → 100 Hz ≈ 132, 268, 400
    for (const p of [132, 268, 400]) expect(Math.min(...Array.from(r.rPeaks, (q) => Math.abs(q - p)))).toBeLessThanOrEqual(3);
  });
  it('gives identical results in workers, in-process and from the cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-ssl-'));
    try {
      const paths = (await listWfdbRecords(PTBXL)).slice(0, 6);
      const a = await loadSslRecords(paths, { workers: 0 });
      const b = await loadSslRecords(paths, { workers: 2, cache: join(dir, 'c') });
      const c = await loadSslRecords(paths, { workers: 2, cache: join(dir, 'c') });
      for (let i = 0; i < paths.length; i++) {
        expect(Array.from(b[i].rPeaks)).toEqual(Array.from(a[i].rPeaks));
        expect(b[i].signals).toEqual(a[i].signals);
        expect(c[i].signals).toEqual(a[i].signals);
        expect(c[i].rPeaks).toBeInstanceOf(Int32Array);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
