import { describe, expect, it } from 'vitest';
import { createDiceAccumulator, diceScores, maskToWaves, scoreSegmentation, wavesToMask } from '../../src/metrics/segmentation';

describe('diceScores', () => {
  it('matches hand computations', () => {
    const r = diceScores([0, 2, 2, 0], [0, 2, 2, 2]);
    expect(r.perClass[0]).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[1]).toBeNaN();
    expect(r.perClass[2]).toBeCloseTo(0.8, 12);
    expect(r.perClass[3]).toBeNaN();
    expect(r.meanWaves).toBeCloseTo(0.8, 12);
  });
  it('scores only the span and pools counts over records', () => {
    const r = diceScores([1, 1, 0, 0], [0, 1, 0, 0], { span: [1, 3] });
    expect(r.perClass[1]).toBe(1);
    const acc = createDiceAccumulator();
    acc.add([3, 3, 0], [3, 0, 0]); // T: tp 1, fp 1
    acc.add([0, 3, 3], [0, 3, 3]); // T: tp 2
    expect(acc.result().perClass[3]).toBeCloseTo((2 * 3) / (2 * 3 + 1), 12);
  });
  it('rejects bad masks', () => {
    expect(() => diceScores([0, 5], [0, 1])).toThrow(/Error in diceScores: pred\[1\] must be a class index in \[0, 3\], but got 5\./);
    expect(() => diceScores([0], [0, 1])).toThrow(/Error in diceScores/);
  });
});

describe('waves and masks', () => {
  it('round-trips', () => {
    const mask = wavesToMask([{ type: 'P', onset: 1, offset: 2 }, { type: 'QRS', onset: 4, offset: 6 }], 8);
    expect(Array.from(mask)).toEqual([0, 1, 1, 0, 2, 2, 2, 0]);
    expect(maskToWaves(mask)).toEqual([{ type: 'P', onset: 1, offset: 2 }, { type: 'QRS', onset: 4, offset: 6 }]);
    expect(Array.from(wavesToMask([{ type: 'T', onset: -3, offset: 20 }], 3))).toEqual([3, 3, 3]);
  });
});


describe('scoreSegmentation', () => {
  it('scores fiducials and Dice inside the span only', () => {
    const reference = [
      { type: 'P' as const, onset: 100, offset: 150 },
      { type: 'QRS' as const, onset: 200, offset: 250 },
      { type: 'T' as const, onset: 900, offset: 950 }, // outside the span
    ];
    const predicted = [
      { type: 'P' as const, onset: 105, offset: 150 },
      { type: 'QRS' as const, onset: 200, offset: 245 },
      { type: 'QRS' as const, onset: 400, offset: 450 }, // false positive
    ];
    const s = scoreSegmentation([{ reference, predicted, span: [50, 500], length: 1000 }], 500);
    expect(s.delineation.fiducials.P_onset).toMatchObject({ tp: 1, fp: 0, fn: 0, meanErrorMs: 10 });
    expect(s.delineation.fiducials.QRS_onset).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(s.delineation.fiducials.T_onset).toMatchObject({ tp: 0, fp: 0, fn: 0 });
    // P Dice: ref 51 samples, pred 46 inside → 2·46/(51+46)
    expect(s.dice.perClass[1]).toBeCloseTo((2 * 46) / 97, 10);
    expect(s.dice.perClass[3]).toBeNaN();
  });
});
