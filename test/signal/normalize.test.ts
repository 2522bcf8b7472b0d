import { describe, expect, it } from 'vitest';
import { signalStats, standardizeRecord, standardizeSignal } from '../../src/signal';

describe('standardizeSignal', () => {
  it('z-score gives mean 0 and std 1', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => 3 + 2 * Math.sin(i / 7));
    const z = standardizeSignal(x);
    const s = signalStats(z);
    expect(s.center).toBeCloseTo(0, 10);
    expect(s.scale).toBeCloseTo(1, 10);
  });
  it('robust uses median and 1.4826·MAD and ignores spikes', () => {
    const x = Float64Array.from([1, 2, 3, 4, 100]);
    const s = signalStats(x, { method: 'robust' });
    expect(s.center).toBe(3);
    expect(s.scale).toBeCloseTo(1.482602218505602, 12); // MAD = median(|x − 3|) = median(2,1,0,1,97) = 1
    const z = standardizeSignal(x, { method: 'robust' });
    [-1.3489795, -0.6744898, 0, 0.6744898].forEach((v, i) => expect(z[i]!).toBeCloseTo(v, 6));
  });
  it('NaN policy: statistics over finite samples, NaN kept in place', () => {
    const x = Float32Array.from([1, NaN, 3]);
    const z = standardizeSignal(x);
    expect(z).toBeInstanceOf(Float32Array);
    expect(Array.from(z)).toEqual([-1, NaN, 1]);
    expect(signalStats(Float64Array.from([NaN])).count).toBe(0);
  });
  it('flat leads become zeros, not NaN', () => {
    expect(Array.from(standardizeSignal(new Float64Array(4).fill(2)))).toEqual([0, 0, 0, 0]);
  });
  it('validates', () => {
    expect(() => standardizeSignal([1, 2] as unknown as Float64Array)).toThrow(/x must be a Float32Array or Float64Array/);
    expect(() => standardizeSignal(new Float64Array(2), { method: 'minmax' as never })).toThrow(/options.method must be one of 'zscore', 'robust'/);
  });
});

describe('standardizeRecord', () => {
  it('standardises each lead independently', () => {
    const r = standardizeRecord({ name: 'r', fs: 100, leads: ['I', 'II'], units: ['mV', 'mV'], comments: [], signals: [Float32Array.from([0, 2]), Float32Array.from([10, 30])] });
    expect(r.signals.map((s) => Array.from(s))).toEqual([[-1, 1], [-1, 1]]);
    expect(r.units).toEqual(['z', 'z']);
  });
});
