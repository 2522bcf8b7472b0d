import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { pairedTTest, regularizedIncompleteBeta } from '../../src/metrics/pairedTTest';

const ref = JSON.parse(readFileSync(new URL('../fixtures/metrics-ttest.json', import.meta.url), 'utf8')) as {
  cases: { a: number[]; b: number[]; t: number; p: number }[];
  betas: { x: number; a: number; b: number; value: number }[];
};

describe('pairedTTest', () => {
  it('matches scipy.stats.ttest_rel', () => {
    for (const c of ref.cases) {
      const r = pairedTTest(c.a, c.b);
      expect(r.t).toBeCloseTo(c.t, 8);
      expect(r.p).toBeCloseTo(c.p, 8);
      expect(r.df).toBe(c.a.length - 1);
    }
  });
  it('matches scipy.special.betainc', () => {
    for (const c of ref.betas) expect(regularizedIncompleteBeta(c.x, c.a, c.b)).toBeCloseTo(c.value, 10);
  });
  it('handles constant differences and rejects bad input', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).p).toBe(1);
    expect(pairedTTest([2, 3, 4], [1, 2, 3]).p).toBe(0);
    expect(() => pairedTTest([1], [1])).toThrow('Error in pairedTTest: a must be an array of at least 2 numbers, but got [1].');
    expect(() => pairedTTest([1, 2], [1])).toThrow(/b must be an array of 2 numbers/);
    expect(() => pairedTTest([1, NaN], [1, 2])).toThrow('a[1] must be a finite number, but got NaN.');
  });
});
