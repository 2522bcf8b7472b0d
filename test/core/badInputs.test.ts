import { describe, expect, it } from 'vitest';
import { BeatSslError, checkInt, checkSamples } from '../../src/core/errors';
import { createRng } from '../../src/core/rng';

describe('Rng rejects bad input', () => {
  it('setState refuses a state that is not from getState (would freeze the stream at 0)', () => {
    const r = createRng(1);
    expect(() => r.setState([0, 0, 0, 0])).toThrow(/Error in Rng.setState: state must be an array of 4 or 5 numbers from Rng.getState/);
    expect(() => r.setState([NaN, 1, 2, 3])).toThrow(BeatSslError);
    expect(() => r.setState([1.5, 1, 2, 3])).toThrow(BeatSslError);
    expect(() => r.setState([2 ** 32, 1, 2, 3])).toThrow(BeatSslError);
    // a rejected state leaves the generator untouched
    expect(r.next()).toBe(createRng(1).next());
  });

  it('shuffle names a non-array argument', () => {
    expect(() => createRng(1).shuffle('abc' as unknown as string[])).toThrow(/Error in Rng.shuffle: array must be an array, but got "abc"\./);
    const t = createRng(2).shuffle(Int32Array.from([1, 2, 3, 4]) as unknown as number[]);
    expect(Array.from(t).sort()).toEqual([1, 2, 3, 4]);
  });

  it('checkInt states an upper bound given alone', () => {
    expect(() => checkInt(5, 'f', 'k', -Infinity, 3)).toThrow('Error in f: k must be an integer ≤ 3, but got 5.');
  });

  it('checkSamples uses the singular for one sample', () => {
    expect(() => checkSamples(new Float64Array(1), 'f', 'x', { minLength: 2 })).toThrow('x must be at least 2 samples long, but got Float64Array(1).');
  });
});
