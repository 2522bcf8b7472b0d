import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { pairedTTest, regularizedIncompleteBeta, tCritical } from '../../src/metrics/pairedTTest';

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
  it('gives t-interval confidence bounds (values from scipy.stats.t.ppf)', () => {
    expect(tCritical(0.95, 7)).toBeCloseTo(2.364624251592784, 9);
    expect(tCritical(0.95, 2)).toBeCloseTo(4.302652729749462, 9);
    expect(tCritical(0.9, 14)).toBeCloseTo(1.761310135774891, 9);
    expect(tCritical(0.99, 3)).toBeCloseTo(5.840909309733355, 8);
    const r = pairedTTest([0.91, 0.93, 0.92], [0.88, 0.9, 0.9]);
    expect(r.level).toBe(0.95);
    expect(r.ci[0]).toBeCloseTo(0.012324490900835136, 9);
    expect(r.ci[1]).toBeCloseTo(0.04100884243249824, 9);
    expect(pairedTTest([2, 3, 4], [1, 2, 3]).ci).toEqual([1, 1]);
    expect(() => pairedTTest([1, 2], [1, 2], { level: 95 })).toThrow('Error in pairedTTest: opts.level must be a number in (0, 1), but got 95.');
  });
  it('handles constant differences and rejects bad input', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).p).toBe(1);
    expect(pairedTTest([2, 3, 4], [1, 2, 3]).p).toBe(0);
    expect(() => pairedTTest([1], [1])).toThrow('Error in pairedTTest: a must be an array of at least 2 numbers, but got [1].');
    expect(() => pairedTTest([1, 2], [1])).toThrow(/b must be an array of 2 numbers/);
    expect(() => pairedTTest([1, NaN], [1, 2])).toThrow('a[1] must be a finite number, but got NaN.');
  });
});
