import { describe, expect, it } from 'vitest';
import { parseCsvObjects, parseCsvRows } from '../../src/data/_internal/csv';
import { batches, collectDataset, createDataset, sampleFraction } from '../../src/data/dataset';

describe('CSV parser', () => {
  it('handles quotes, commas, escaped quotes, CRLF and a missing final newline', () => {
    const text = 'a,b,c\r\n1,"x, y",3\r\n"he said ""hi""",,\n"multi\nline",2,z';
    expect(parseCsvRows(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', '3'],
      ['he said "hi"', '', ''],
      ['multi\nline', '2', 'z'],
    ]);
    const { header, rows } = parseCsvObjects(',code,n\nA,"{\'NORM\': 100.0, \'SR\': 0.0}",1\n');
    expect(header).toEqual(['', 'code', 'n']);
    expect(rows[0].code).toBe("{'NORM': 100.0, 'SR': 0.0}");
  });
  it('rejects unbalanced quotes and ragged rows', () => {
    expect(() => parseCsvRows('a,"b\n')).toThrow(/unterminated quoted field/);
    expect(() => parseCsvObjects('a,b\n1,2,3\n')).toThrow(/row 2 must be 2 fields like the header, but got 3/);
  });
});

describe('datasets and batches', () => {
  const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
  let loads = 0;
  const ds = createDataset(keys, async (k, i) => {
    loads++;
    return { k, i };
  });
  it('loads lazily, maps and subsets', async () => {
    loads = 0;
    expect(ds.size).toBe(10);
    expect(loads).toBe(0);
    expect(await ds.get(3)).toEqual({ k: 'k3', i: 3 });
    expect(loads).toBe(1);
    const sub = ds.subset([5, 1]).map((x) => x.k.toUpperCase());
    expect(sub.keys).toEqual(['k5', 'k1']);
    expect(await collectDataset(sub)).toEqual(['K5', 'K1']);
    await expect(ds.get(10)).rejects.toThrow(/Error in Dataset.get: index must be an integer in \[0, 9\], but got 10\./);
  });
  it('streams seeded shuffled batches; same seed, same order; every item once per epoch', async () => {
    const run = async (seed: number) => {
      const out: number[][] = [];
      for await (const b of batches(ds, { batchSize: 4, seed, epochs: 2 })) {
        expect(b.items.map((x) => x.i)).toEqual(b.indices);
        out.push(b.indices);
      }
      return out;
    };
    const a = await run(1);
    expect(a.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2]);
    expect(a.slice(0, 3).flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.slice(0, 3).flat()).not.toEqual(a.slice(3).flat());
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
    const ordered: number[] = [];
    for await (const b of batches(ds, { batchSize: 3, shuffle: false, dropLast: true })) ordered.push(...b.indices);
    expect(ordered).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it('checks options', async () => {
    await expect(batches(ds, { batchSize: 0, seed: 1 }).next()).rejects.toThrow(/Error in batches: opts.batchSize must be an integer ≥ 1, but got 0\./);
    await expect(batches(ds, { batchSize: 2 }).next()).rejects.toThrow(/opts.seed must be a seed/);
  });
  it('samples a seeded fraction', () => {
    const s = sampleFraction(140, 0.1, 0);
    expect(s).toHaveLength(14);
    expect(new Set(s).size).toBe(14);
    expect(sampleFraction(140, 0.1, 0)).toEqual(s);
    expect(sampleFraction(5, 0.01, 0)).toHaveLength(1);
  });
});
