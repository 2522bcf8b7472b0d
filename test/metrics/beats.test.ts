import { describe, expect, it } from 'vitest';
import { beatAnnotationSamples, compareBeats, ec57Summary, matchEvents } from '../../src/metrics/beats';

describe('matchEvents', () => {
  it('matches closest pairs one-to-one', () => {
    expect(matchEvents([100, 200], [103, 260], 10)).toEqual([{ ref: 0, test: 0 }]);
    // one test event between two refs: goes to the closer one
    expect(matchEvents([100, 110], [108], 10)).toEqual([{ ref: 1, test: 0 }]);
  });
  it('breaks ties by the earlier reference', () => {
    expect(matchEvents([100, 110], [105], 10)).toEqual([{ ref: 0, test: 0 }]);
  });
  it('includes the window edge and accepts unsorted input', () => {
    expect(matchEvents([200, 100], [110, 190], 10)).toEqual([
      { ref: 1, test: 0 },
      { ref: 0, test: 1 },
    ]);
    expect(matchEvents([100], [111], 10)).toEqual([]);
  });
  it('handles empty lists and rejects a negative window', () => {
    expect(matchEvents([], [1, 2], 5)).toEqual([]);
    expect(matchEvents([1], [], 5)).toEqual([]);
    expect(() => matchEvents([1], [1], -1)).toThrow(/Error in matchEvents: maxDistance must be/);
  });
});

describe('compareBeats', () => {
  it('counts TP, FP, FN and timing error', () => {
    const r = compareBeats([360, 720, 1080], [362, 725, 900], 360);
    expect(r.tp).toBe(2);
    expect(r.fp).toBe(1);
    expect(r.fn).toBe(1);
    expect(r.se).toBeCloseTo(2 / 3);
    expect(r.ppv).toBeCloseTo(2 / 3);
    expect(r.f1).toBeCloseTo(2 / 3);
    expect(r.meanErrorMs).toBeCloseTo(((2 + 5) / 2 / 360) * 1000);
    expect(r.sdErrorMs).toBeCloseTo(Math.sqrt(2 * ((1.5 / 360) * 1000) ** 2), 5);
  });
  it('uses a 150 ms window by default (inclusive)', () => {
    expect(compareBeats([1000], [1000 + 0.15 * 1000], 1000).tp).toBe(1);
    expect(compareBeats([1000], [1000 + 151], 1000).tp).toBe(0);
    expect(compareBeats([1000], [1100], 1000, { windowSec: 0.05 }).tp).toBe(0);
  });
  it('scores only from startSec and before endSec', () => {
    // ref at 0.5 s (outside), 1.05 s and 2.5 s; test at 0.5 s, 0.98 s (outside but matches 1.05 s), 3.5 s (after end)
    const r = compareBeats([500, 1050, 2500], [500, 980, 3500], 1000, { startSec: 1, endSec: 3 });
    expect(r.tp).toBe(1); // 1050 ↔ 980 counts although the test beat precedes the start
    expect(r.fn).toBe(1); // 2500
    expect(r.fp).toBe(0); // 3500 is after the end, 500 before the start
  });
  it('returns NaN ratios for empty inputs, never throws', () => {
    const r = compareBeats([], [], 360);
    expect([r.tp, r.fp, r.fn]).toEqual([0, 0, 0]);
    expect(r.se).toBeNaN();
    expect(r.ppv).toBeNaN();
    expect(r.f1).toBeNaN();
    const onlyRef = compareBeats([10, 20], [], 360);
    expect(onlyRef.se).toBe(0);
    expect(onlyRef.ppv).toBeNaN();
    expect(onlyRef.f1).toBe(0);
    expect(onlyRef.meanErrorMs).toBeNaN();
  });
  it('does not double count duplicate detections', () => {
    const r = compareBeats([100], [100, 101], 360);
    expect(r).toMatchObject({ tp: 1, fp: 1, fn: 0 });
  });
  it('validates arguments', () => {
    expect(() => compareBeats([1], [1], 0)).toThrow(/Error in compareBeats: fs must be/);
    expect(() => compareBeats([1], [1], 360, { startSec: 5, endSec: 2 })).toThrow(/endSec must be greater/);
  });
});

describe('ec57Summary', () => {
  it('computes gross and average statistics', () => {
    const a = compareBeats([100, 200, 300, 400], [100, 200, 300, 400], 100); // 4 TP
    const b = compareBeats([100, 200], [100, 250, 260], 100, { windowSec: 0.1 }); // 1 TP, 1 FN, 2 FP
    const s = ec57Summary([a, b]);
    expect(s.records).toBe(2);
    expect(s.gross).toMatchObject({ tp: 5, fn: 1, fp: 2 });
    expect(s.gross.se).toBeCloseTo(5 / 6);
    expect(s.gross.ppv).toBeCloseTo(5 / 7);
    expect(s.average.se).toBeCloseTo((1 + 0.5) / 2);
    expect(s.average.ppv).toBeCloseTo((1 + 1 / 3) / 2);
    expect(s.meanErrorMs).toBe(0);
  });
  it('handles an empty list', () => {
    const s = ec57Summary([]);
    expect(s.gross.se).toBeNaN();
    expect(s.records).toBe(0);
  });
  it('pools timing errors exactly', () => {
    const a = compareBeats([0, 100, 200], [1, 102, 203], 1000);
    const b = compareBeats([10, 110], [8, 114], 1000);
    const all = [1, 2, 3, -2, 4];
    const m = all.reduce((x, y) => x + y) / all.length;
    const sd = Math.sqrt(all.reduce((x, y) => x + (y - m) ** 2, 0) / (all.length - 1));
    const s = ec57Summary([a, b]);
    expect(s.meanErrorMs).toBeCloseTo(m);
    expect(s.sdErrorMs).toBeCloseTo(sd);
  });
});

describe('beatAnnotationSamples', () => {
  it('keeps beat symbols only', () => {
    const anns = [
      { sample: 5, symbol: '+' },
      { sample: 10, symbol: 'N' },
      { sample: 20, symbol: 'V' },
      { sample: 25, symbol: '~' },
      { sample: 30, symbol: '/' },
      { sample: 40, symbol: '|' },
    ];
    expect(Array.from(beatAnnotationSamples(anns))).toEqual([10, 20, 30]);
  });
});
