import { describe, expect, it } from 'vitest';
import { checkFs, checkInt, checkKnownKeys, checkOneOf, checkSamples, describe as describeValue, fail } from '../../src/core/errors';

describe('errors', () => {
  it('formats messages as "Error in <fn>: <arg> must be <expected>, but got <actual>."', () => {
    expect(() => fail('detectRPeaks', 'fs', 'a positive number (Hz)', -1)).toThrow('Error in detectRPeaks: fs must be a positive number (Hz), but got -1.');
    expect(() => checkFs(undefined, 'bandpass')).toThrow('Error in bandpass: fs must be a finite positive number (Hz), but got undefined.');
    expect(() => checkInt(2.5, 'f', 'order', 1, 10)).toThrow('order must be an integer in [1, 10], but got 2.5.');
    expect(() => checkOneOf('x', ['kors', 'inverseDower'], 'ecgToVcg', 'method')).toThrow("method must be one of 'kors', 'inverseDower', but got \"x\".");
    expect(() => checkSamples(new Float32Array(0), 'f', 'signal')).toThrow('signal must be at least 1 sample long, but got Float32Array(0).');
    expect(() => checkSamples([1, 2], 'f', 'signal')).toThrow('signal must be a Float32Array or Float64Array, but got [1, 2].');
  });
  it('rejects unknown option keys, listing the valid ones; undefined values count as absent', () => {
    expect(() => checkKnownKeys({ std: 1 }, ['stdMv', 'seed'], 'gaussianNoise', 'opts')).toThrow(
      "Error in gaussianNoise: opts must have only the keys 'stdMv', 'seed', but got unknown key 'std'.",
    );
    expect(() => checkKnownKeys({ a: 1, b: 2 }, ['c'], 'f', 'opts')).toThrow("but got unknown keys 'a', 'b'.");
    expect(() => checkKnownKeys({ stdMv: 1, seed: undefined, other: undefined }, ['stdMv', 'seed'], 'f', 'opts')).not.toThrow();
  });
  it('describes tensors by shape', () => {
    expect(describeValue({ shape: [2, 3] })).toBe('tensor of shape [2, 3]');
  });
});
