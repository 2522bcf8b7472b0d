import { describe, expect, it } from 'vitest';
import { sampleViewPairs } from '../../src/data/sslBatch';
import { syntheticRecords } from '../train/_synthetic';

describe('sampleViewPairs', () => {
  const data = syntheticRecords(6, 300, 100, 2);
  it('crops each view at its own seeded offset and maps every R-peak into it with its identity', () => {
    const b = sampleViewPairs(data, [0, 3, 5], { length: 200, seed: 4 });
    expect(b.x.length).toBe(2 * 3 * 200 * 12);
    expect(b.offsets.length).toBe(6);
    // independent offsets: across the batch, the two views of a record do not all start at the same sample
    expect([0, 1, 2].some((i) => b.offsets[i] !== b.offsets[3 + i])).toBe(true);
    [0, 3, 5].forEach((r, i) => {
      for (const row of [i, 3 + i]) {
        const off = b.offsets[row];
        const { samples, ids } = b.peaks[row];
        expect(Array.from(ids, (k) => data[r].rPeaks[k] - off)).toEqual(Array.from(samples));
        const inCrop = Array.from(data[r].rPeaks).filter((p) => p >= off && p < off + 200);
        expect(samples.length).toBe(inCrop.length);
        // the signal rows are the record's samples from the offset on
        expect(Array.from(b.x.subarray(row * 200 * 12, row * 200 * 12 + 24))).toEqual(Array.from(data[r].signals.subarray(off * 12, off * 12 + 24)));
      }
    });
    expect(sampleViewPairs(data, [0, 3, 5], { length: 200, seed: 4 }).offsets).toEqual(b.offsets);
    expect(sampleViewPairs(data, [0, 3, 5], { length: 200, seed: 5 }).offsets).not.toEqual(b.offsets);
  });
  it('refuses crops longer than a record and unseeded calls', () => {
    expect(() => sampleViewPairs(data, [0], { length: 301, seed: 1 })).toThrow('Error in sampleViewPairs: opts.length must be at most the length of every record (data[0] has 300 samples), but got 301.');
    expect(() => sampleViewPairs(data, [0], { length: 100 })).toThrow('opts.seed must be a seed (a finite number) or an Rng');
    expect(() => sampleViewPairs(data, [9], { length: 100, seed: 1 })).toThrow('indices[0] must be an integer in [0, 5]');
  });
});
