/**
 * The "silently wrong results for bad input" of issue 17 (point 5), one test each: every case
 * returned a result (or threw a raw RangeError) before; each now throws a BeatSslError naming the
 * public function, the argument and what it must be — or, for `classTargets`, returns the
 * documented result of its documented design.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../_backend';
import { MAX_FS, MIN_FS, checkFs } from '../../src/core/errors';
import { resampleRecord, bandpass, lowpass, highpass, notch, removeBaselineWander, resample } from '../../src/signal';
import { beatWindows, createRPeakStream, detectRPeaks, hrvTime } from '../../src/beats';
import { classTargets } from '../../src/losses/targets';
import { f1Score, auroc, macroF1, matchEvents, compareBeats } from '../../src/metrics';
import { amplitudeScale, gaussianNoise } from '../../src/augment';
import type { EcgRecord } from '../../src/core/types';

const sine = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7));

beforeAll(async () => {
  await useTestBackend();
});

describe('issue 17.5: bad input gives a clear error, not a wrong result', () => {
  it('resampleRecord refuses leads of unequal length (was: leads of 1000, 2, 1000, … samples)', () => {
    const rec = { name: 'r', fs: 500, leads: ['I', 'II', 'III'], signals: [sine(5000), sine(10), sine(5000)], units: ['mV', 'mV', 'mV'], comments: [] } as EcgRecord;
    expect(() => resampleRecord(rec, 100)).toThrow(
      'Error in resampleRecord: record.signals[1] (II) must be 5000 samples like record.signals[0] (every lead of a record has the same length), but got "10 samples".',
    );
  });

  it('beatWindows refuses peaks outside the signal (was: peaks at −5 and 1e9 accepted, zero-filled windows)', () => {
    const x = sine(1000);
    expect(() => beatWindows(x, 250, [-5])).toThrow('Error in beatWindows: rPeaks[0] must be an integer sample index in [0, 999] (inside the signal), but got -5.');
    expect(() => beatWindows(x, 250, [100, 1e9])).toThrow('Error in beatWindows: rPeaks[1] must be an integer sample index in [0, 999] (inside the signal), but got 1000000000.');
    expect(beatWindows(x, 250, [100, 999]).shape).toEqual([2, 176, 1]); // round(62.5) + round(112.5) samples
  });

  it('classTargets: a negative label means "unknown class" by documented design; non-integers and unknown options are errors', () => {
    // labels [-1, 2]: neither row has a same-class partner, so each row's positives are itself and its other view
    const t = classTargets([-1, 2]);
    expect(t.arraySync()).toEqual([
      [1, 0, 1, 0],
      [0, 1, 0, 1],
      [1, 0, 1, 0],
      [0, 1, 0, 1],
    ]);
    t.dispose();
    // two unknowns are not each other's positives (unknown ≠ a shared class)
    const u = classTargets([-1, -1]);
    expect(u.arraySync()[0]).toEqual([1, 0, 1, 0]);
    u.dispose();
    expect(() => classTargets([0, 1.5])).toThrow('Error in classTargets: labels[1] must be an integer class label ≤ 2147483647 (negative: unknown class), but got 1.5.');
    expect(() => classTargets([0, NaN])).toThrow('Error in classTargets: labels[1] must be an integer class label ≤ 2147483647 (negative: unknown class), but got NaN.');
    expect(() => classTargets([0, 1], { stacks: true } as never)).toThrow("Error in classTargets: opts must have only the keys 'stacked', but got unknown key 'stacks'.");
  });

  it('f1Score, auroc and macroF1 refuse a label outside [0, 1] (was: a label of 2 counted as a positive)', () => {
    expect(() => f1Score([0.9, 0.2], [2, 0])).toThrow('Error in f1Score: labels[0] must be a label in [0, 1] (0 = negative, 1 = positive), but got 2.');
    expect(() => auroc([0.9, 0.2], [1, -1])).toThrow('Error in auroc: labels[1] must be a label in [0, 1]');
    expect(() => macroF1([[0.9, 0.1]], [[1, 2]])).toThrow('Error in macroF1: labels[0] (class 1) must be a label in [0, 1]');
    expect(f1Score([0.9, 0.2], [1, 0]).f1).toBe(1);
  });

  it('matchEvents and compareBeats refuse NaN / ±Infinity times (was: [NaN] accepted and never matched)', () => {
    expect(() => matchEvents([NaN], [1], 5)).toThrow('Error in matchEvents: reference[0] must be a finite event time (drop missing events before matching), but got NaN.');
    expect(() => matchEvents([1], [2, Infinity], 5)).toThrow('Error in matchEvents: test[1] must be a finite event time');
    expect(() => compareBeats([360, NaN], [360], 360)).toThrow('Error in compareBeats: reference[1] must be a finite event time');
  });

  it('misspelled option keys are errors listing the valid keys (was: silently ignored, defaults used)', () => {
    expect(() => gaussianNoise({ std: -1 } as never)).toThrow("Error in gaussianNoise: opts must have only the keys 'stdMv', 'prob', but got unknown key 'std'.");
    expect(() => amplitudeScale({ min: 2, max: 0.5 } as never)).toThrow("Error in amplitudeScale: opts must have only the keys 'range', 'perLead', 'prob', but got unknown keys 'min', 'max'.");
    expect(() => amplitudeScale({ range: [2, 0.5] })).toThrow('Error in amplitudeScale: opts.range must be a pair [min, max] of positive finite numbers with min ≤ max');
  });

  it(`sampling rates are bounded to [${MIN_FS}, ${MAX_FS}] Hz (was: filters all-NaN at 1e12 Hz, detectRPeaks a raw RangeError)`, () => {
    const x = sine(2000);
    const range = 'must be a sampling rate in [0.001, 1000000] Hz (MIN_FS, MAX_FS), but got 1000000000000.';
    expect(() => bandpass(x, 1e12, 0.5, 40)).toThrow(`Error in bandpass: fs ${range}`);
    expect(() => lowpass(x, 1e12, 40)).toThrow(`Error in lowpass: fs ${range}`);
    expect(() => highpass(x, 1e12, 0.5)).toThrow(`Error in highpass: fs ${range}`);
    expect(() => notch(x, 1e12, 50)).toThrow(`Error in notch: fs ${range}`);
    expect(() => removeBaselineWander(x, 1e12)).toThrow(`Error in removeBaselineWander: fs ${range}`);
    expect(() => detectRPeaks(x, 1e12)).toThrow(`Error in detectRPeaks: fs ${range}`);
    expect(() => createRPeakStream(1e12)).toThrow(`Error in createRPeakStream: fs ${range}`);
    expect(() => resample(x, 1e12, 100)).toThrow(`Error in resample: fsIn ${range}`);
    // below MIN_FS, RR intervals in ms overflow to Infinity
    expect(() => hrvTime([0, 1e6], 1e-300)).toThrow('Error in hrvTime: fs must be a sampling rate in [0.001, 1000000] Hz (MIN_FS, MAX_FS), but got 1e-300.');
    // at the bounds, results stay finite
    for (const fs of [MAX_FS]) {
      const y = bandpass(x, fs, 0.5, 40);
      expect(y.every(Number.isFinite)).toBe(true);
    }
    expect(checkFs(MIN_FS, 'f')).toBe(MIN_FS);
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });
});
