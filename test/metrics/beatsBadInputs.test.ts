import { describe, expect, it } from 'vitest';
import { beatAnnotationSamples, compareBeats, matchEvents } from '../../src/metrics/beats';
import { compareDelineation } from '../../src/metrics/delineation';

describe('beat and delineation metrics reject bad inputs with BeatSslError', () => {
  it('matchEvents / compareBeats name a missing event list', () => {
    expect(() => matchEvents(null as unknown as number[], [1], 5)).toThrow(/Error in matchEvents: reference must be an array or typed array of event times/);
    expect(() => compareBeats([1], 'abc' as unknown as number[], 360)).toThrow(/Error in compareBeats: test must be an array or typed array/);
    expect(() => compareBeats([1, '2'] as unknown as number[], [1], 360)).toThrow(/reference must be/);
  });

  it('non-finite times are errors (issue 17: they were silently never matched), typed arrays are accepted', () => {
    expect(() => matchEvents([NaN, 100], Int32Array.from([100]), 5)).toThrow('Error in matchEvents: reference[0] must be a finite event time');
    expect(matchEvents([50, 100], Int32Array.from([100]), 5)).toEqual([{ ref: 1, test: 0 }]);
  });

  it('beatAnnotationSamples rejects a non-array and a beat with a non-integer sample', () => {
    expect(() => beatAnnotationSamples(null as unknown as [])).toThrow(/Error in beatAnnotationSamples: annotations must be an array/);
    expect(() => beatAnnotationSamples([{ sample: 10, symbol: 'N' }, { sample: NaN, symbol: 'V' }])).toThrow(/beat 1, symbol 'V'\) sample must be an integer sample index ≥ 0, but got NaN\./);
    // non-beat annotations are not checked: they are dropped
    expect(Array.from(beatAnnotationSamples([{ sample: NaN, symbol: '+' }, { sample: 7, symbol: 'N' }]))).toEqual([7]);
  });

  it('compareDelineation rejects a reversed span', () => {
    const w = [{ type: 'QRS', onset: 10, offset: 20 }];
    expect(() => compareDelineation([w], [w], 500, { spans: [[50, 10]] })).toThrow(/Error in compareDelineation: opts.spans\[0\] must be null or a \[first, last\] pair/);
    expect(compareDelineation([w], [w], 500, { spans: [[0, 30]] }).fiducials.QRS_onset.tp).toBe(1);
  });

  it('compareDelineation and compareBeats count a shared example the same way', () => {
    // QRS onsets as "beats": ref 100, 300, 500; test 104 and 520 match, 900 is a FP, 300 is missed
    const ref = [100, 300, 500].map((o) => ({ type: 'QRS', onset: o, offset: o + 40 }));
    const det = [104, 520, 900].map((o) => ({ type: 'QRS', onset: o, offset: o + 40 }));
    const d = compareDelineation([ref], [det], 500, { toleranceSec: 0.05 }).fiducials.QRS_onset;
    const b = compareBeats([100, 300, 500], [104, 520, 900], 500, { windowSec: 0.05 });
    expect(d).toEqual(b);
    expect([b.tp, b.fp, b.fn]).toEqual([2, 1, 1]);
    expect(b.meanErrorMs).toBeCloseTo(24, 10); // (8 + 40) / 2 ms
  });
});
