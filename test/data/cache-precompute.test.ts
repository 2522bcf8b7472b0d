import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRecordCache, decodeCacheValue, encodeCacheValue } from '../../src/data/cache';
import { precomputeRecords } from '../../src/data/precompute';
import { listWfdbRecords } from '../../src/data/wfdbFolder';

const LUDB = resolve(__dirname, '../../examples/data/ludb');
const TASK = pathToFileURL(resolve(__dirname, '../fixtures/data/precomputeTask.ts')).href;

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String);
}

describe('record cache', () => {
  it('round-trips typed arrays and non-finite numbers exactly', () => {
    const v = { a: Float32Array.from([1.5, -2e-7]), b: new Int32Array([3, -4]), c: [1, NaN, Infinity], d: 'x', e: new Uint8Array([255]) };
    const back = decodeCacheValue<typeof v>(encodeCacheValue(v));
    expect(back.a).toBeInstanceOf(Float32Array);
    expect(Array.from(back.a)).toEqual(Array.from(v.a));
    expect(back.b).toBeInstanceOf(Int32Array);
    expect(back.c).toEqual([1, NaN, Infinity]);
    expect(back.e).toEqual(new Uint8Array([255]));
  });
  it('keys by file contents and config, computes once, writes atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-cache-'));
    try {
      const f = join(dir, 'r.dat');
      writeFileSync(f, 'abc');
      const cache = await createRecordCache(join(dir, 'cache'), 't');
      let calls = 0;
      const compute = () => ({ n: ++calls, x: new Float64Array([calls]) });
      const a = await cache.getOrCompute([f], { fs: 100 }, compute);
      const b = await cache.getOrCompute([f], { fs: 100 }, compute);
      expect(calls).toBe(1);
      expect(b.x[0]).toBe(a.x[0]);
      expect(await cache.key([f], { fs: 100, z: undefined })).toBe(await cache.key([f], { fs: 100 }));
      expect(await cache.key([f], { fs: 100 })).not.toBe(await cache.key([f], { fs: 250 }));
      const k1 = await cache.key([f], { fs: 100 });
      writeFileSync(f, 'abd');
      await new Promise((r) => setTimeout(r, 5));
      expect(await cache.key([f], { fs: 100 })).not.toBe(k1);
      expect(allFiles(join(dir, 'cache')).some((n) => n.endsWith('.tmp'))).toBe(false);
      // a corrupt entry is a miss
      const entry = allFiles(join(dir, 'cache')).find((n) => n.endsWith('.json'))!;
      writeFileSync(join(dir, 'cache', entry), '{"v":');
      expect(await cache.get(k1)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('precomputeRecords', () => {
  it('gives the same values in worker threads and in-process, and hits the cache the second time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-pre-'));
    try {
      const paths = (await listWfdbRecords(LUDB)).slice(0, 4);
      const task = { module: TASK, exportName: 'headerStats' };
      const serial = await precomputeRecords<{ lines: number; sizes: Float32Array }>(paths, { task, config: { scale: 2 }, workers: 0 });
      expect(serial.workers).toBe(0);
      expect(serial.values[0].lines).toBeGreaterThanOrEqual(13); // record line + 12 signal lines + comments
      const progress: number[] = [];
      const par = await precomputeRecords<{ lines: number; sizes: Float32Array }>(paths, {
        task,
        config: { scale: 2 },
        workers: 2,
        cache: join(dir, 'cache'),
        onProgress: (d) => progress.push(d),
      });
      expect(par.workers).toBe(2);
      expect(par.cacheHits).toBe(0);
      expect(progress).toEqual([1, 2, 3, 4]);
      par.values.forEach((v, i) => {
        expect(v.lines).toBe(serial.values[i].lines);
        expect(Array.from(v.sizes)).toEqual(Array.from(serial.values[i].sizes));
      });
      const again = await precomputeRecords<{ lines: number; sizes: Float32Array }>(paths, { task, config: { scale: 2 }, workers: 2, cache: join(dir, 'cache') });
      expect(again.cacheHits).toBe(4);
      expect(again.values[3].sizes).toBeInstanceOf(Float32Array);
      const other = await precomputeRecords(paths, { task, config: { scale: 3 }, workers: 0, cache: join(dir, 'cache') });
      expect(other.cacheHits).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('names the record when the task fails', async () => {
    const paths = (await listWfdbRecords(LUDB)).slice(0, 2);
    await expect(precomputeRecords(paths, { task: { module: TASK, exportName: 'failing' }, workers: 2 })).rejects.toThrow(/Error in precomputeRecords: record .*ludb\/[12] must be processed without error/);
    await expect(precomputeRecords(paths, { task: { module: TASK, exportName: 'failing' }, workers: 0 })).rejects.toThrow(/record .*ludb\/1 must be processed/);
  });
});
