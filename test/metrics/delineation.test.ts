import { describe, expect, it } from 'vitest';
import { compareDelineation } from '../../src/metrics/delineation';

const w = (type: string, onset: number, offset: number, peak?: number) => ({ type, onset, offset, peak });

describe('compareDelineation', () => {
  it('scores each fiducial separately', () => {
    const ref = [w('P', 100, 150), w('QRS', 200, 250, 225), w('T', 350, 450)];
    const det = [w('QRS', 204, 249, 226), w('T', 360, 600)];
    const s = compareDelineation([ref], [det], 500);
    expect(s.records).toBe(1);
    expect(s.fiducials.QRS_onset).toMatchObject({ tp: 1, fp: 0, fn: 0, se: 1, ppv: 1 });
    expect(s.fiducials.QRS_onset.meanErrorMs).toBeCloseTo(8);
    expect(s.fiducials.QRS_offset.meanErrorMs).toBeCloseTo(-2);
    expect(s.fiducials.P_onset).toMatchObject({ tp: 0, fn: 1, fp: 0, se: 0 });
    expect(s.fiducials.P_onset.ppv).toBeNaN();
    expect(s.fiducials.T_onset.tp).toBe(1);
    // T offset 150 samples = 300 ms away: FN + FP
    expect(s.fiducials.T_offset).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(s.fiducials).not.toHaveProperty('QRS_peak');
    expect(compareDelineation([ref], [det], 500, { peaks: true }).fiducials.QRS_peak?.tp).toBe(1);
  });
  it('accepts a flat list as one record and respects the tolerance', () => {
    const s = compareDelineation([w('QRS', 100, 150)], [w('QRS', 110, 150)], 1000, { toleranceSec: 0.005 });
    expect(s.fiducials.QRS_onset).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(s.fiducials.QRS_offset.tp).toBe(1);
  });
  it('scores only inside the span', () => {
    const ref = [w('QRS', 100, 150), w('QRS', 1000, 1050)];
    const det = [w('QRS', 20, 60), w('QRS', 1003, 1052), w('QRS', 2000, 2040)];
    const s = compareDelineation([ref], [det], 500, { spans: [[90, 1100]] });
    // ref 100 unmatched (det 20 is 80 samples = 160 ms away) → FN; det 20 and 2000 are outside → not FP
    expect(s.fiducials.QRS_onset).toMatchObject({ tp: 1, fn: 1, fp: 0 });
  });
  it('pools several records and handles empty ones', () => {
    const s = compareDelineation([[w('T', 10, 20)], []], [[w('T', 10, 20)], [w('T', 5, 8)]], 100);
    expect(s.fiducials.T_onset).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(compareDelineation([], [], 100).meanF1).toBeNaN();
  });
  it('validates arguments', () => {
    expect(() => compareDelineation([[]], [], 100)).toThrow(/Error in compareDelineation: test must be one wave list per reference record/);
    expect(() => compareDelineation([], [], -1)).toThrow(/fs must be/);
  });
});
