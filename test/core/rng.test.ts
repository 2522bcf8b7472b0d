import { describe, expect, it } from 'vitest';
import { createRng, toRng, Rng } from '../../src/core/rng';
import { BeatSslError } from '../../src/core/errors';

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 100 }, () => a.next());
    const sb = Array.from({ length: 100 }, () => b.next());
    const sc = Array.from({ length: 100 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
  });

  it('produces roughly uniform and normal variates', () => {
    const r = createRng(7);
    const n = 20000;
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    for (let i = 0; i < n; i++) {
      sum += r.next();
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('saves and restores its state exactly', () => {
    const r = createRng(1);
    r.next();
    r.normal();
    const state = r.getState();
    const expected = [r.next(), r.normal(), r.int(10)];
    const r2 = createRng(999);
    r2.setState(JSON.parse(JSON.stringify(state.map((v) => (Number.isNaN(v) ? null : v)))).map((v: number | null) => (v === null ? NaN : v)));
    expect([r2.next(), r2.normal(), r2.int(10)]).toEqual(expected);
  });

  it('permutation is a permutation and shuffle is seeded', () => {
    const p = Array.from(createRng(3).permutation(50)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(createRng(5).shuffle([1, 2, 3, 4, 5, 6])).toEqual(createRng(5).shuffle([1, 2, 3, 4, 5, 6]));
  });

  it('rejects bad seeds with a clear message', () => {
    expect(() => createRng(NaN)).toThrow(BeatSslError);
    expect(() => createRng(NaN)).toThrow('Error in createRng: seed must be a finite number, but got NaN.');
    expect(() => toRng(undefined, 'threeKG')).toThrow(/Error in threeKG: seed must be/);
    expect(toRng(createRng(1), 'x')).toBeInstanceOf(Rng);
    expect(() => createRng(1).int(0)).toThrow(/n must be a positive integer/);
  });
});
