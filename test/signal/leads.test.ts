import { describe, expect, it } from 'vitest';
import type { EcgRecord } from '../../src/core/types';
import { readRecord } from '../../src/io/readRecord';
import { CANONICAL_LEADS, deriveLimbLeads, mapLeads, normalizeLeadName, selectLeads, toTwelveLead } from '../../src/signal';

const ludb = (n: number) => new URL(`../../examples/data/ludb/${n}`, import.meta.url).pathname;

describe('normalizeLeadName', () => {
  it('maps common spellings to canonical names', () => {
    const cases: [string, string][] = [
      ['i', 'I'], ['II', 'II'], ['iii', 'III'], ['avr', 'aVR'], ['AVR', 'aVR'], ['aVL', 'aVL'], ['AVF', 'aVF'],
      ['v1', 'V1'], ['V6', 'V6'], ['MLII', 'II'], ['mli', 'I'], ['Lead II', 'II'], ['ECG_avf', 'aVF'], [' v3 ', 'V3'], ['DII', 'II'],
    ];
    for (const [input, want] of cases) expect(normalizeLeadName(input), input).toBe(want);
  });
  it('returns null for non-standard or ambiguous names', () => {
    for (const s of ['vx', 'vy', 'V7', 'MV5', '-aVR', '', 'ABP', 'lead', 'x']) expect(normalizeLeadName(s), s).toBeNull();
    expect(normalizeLeadName(undefined as unknown as string)).toBeNull();
  });
  it('CANONICAL_LEADS has the 12 leads in order', () => {
    expect(CANONICAL_LEADS).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
  });
});

describe('deriveLimbLeads (Einthoven and Goldberger)', () => {
  it('computes III, aVR, aVL, aVF from I and II', () => {
    const I = Float64Array.from([1, 0, 0.5, -2]);
    const II = Float64Array.from([0, 1, 1.5, 4]);
    const d = deriveLimbLeads(I, II);
    expect(Array.from(d.III)).toEqual([-1, 1, 1, 6]);
    expect(Array.from(d.aVR)).toEqual([-0.5, -0.5, -1, -1]);
    expect(Array.from(d.aVL)).toEqual([1, -0.5, -0.25, -4]);
    expect(Array.from(d.aVF)).toEqual([-0.5, 1, 1.25, 5]);
    for (let t = 0; t < 4; t++) {
      expect(I[t]! + d.III[t]!).toBeCloseTo(II[t]!, 12); // Einthoven: I + III = II
      expect(d.aVR[t]! + d.aVL[t]! + d.aVF[t]!).toBeCloseTo(0, 12); // Goldberger
    }
    expect(d.III).toBeInstanceOf(Float64Array);
  });
  it('approximately matches the recorded limb leads of a real LUDB record', async () => {
    // LUDB's recorded III/aVR/aVL/aVF are separately calibrated channels, so they satisfy the
    // identities only approximately (median |error| 0.002–0.021 mV over records 1–8, measured
    // with numpy); the derived leads must be that close, not exact.
    const r = toTwelveLead(await readRecord(ludb(1)));
    const d = deriveLimbLeads(r.signals[0]!, r.signals[1]!);
    const names = ['III', 'aVR', 'aVL', 'aVF'] as const;
    names.forEach((l, k) => {
      const err = Float64Array.from({ length: 5000 }, (_, t) => Math.abs(d[l][t]! - r.signals[2 + k]![t]!)).sort();
      expect(err[2500]!, l).toBeLessThan(0.015);
    });
  });
  it('rejects unequal lengths', () => {
    expect(() => deriveLimbLeads(new Float32Array(3), new Float32Array(4))).toThrow(/leadII must be the same length as leadI \(3\)/);
  });
});

describe('selectLeads / toTwelveLead / mapLeads', () => {
  const rec = (leads: string[]): EcgRecord => ({
    name: 'r',
    fs: 500,
    leads,
    signals: leads.map((_, i) => Float32Array.from([i, i + 0.5])),
    units: leads.map(() => 'mV'),
    comments: [],
  });
  it('reorders by name and copies', () => {
    const r = rec(['v1', 'ii', 'i']);
    const s = selectLeads(r, ['I', 'II', 'V1']);
    expect(s.leads).toEqual(['I', 'II', 'V1']);
    expect(Array.from(s.signals[0]!)).toEqual([2, 2.5]);
    expect(s.signals[2]).not.toBe(r.signals[0]);
  });
  it('fails naming the missing lead', () => {
    expect(() => selectLeads(rec(['i', 'ii']), ['I', 'V3'])).toThrow(/record must be a record with lead "V3" \(has \["i","ii"\]\)/);
  });
  it('toTwelveLead puts a real record in canonical order', async () => {
    const r = await readRecord(ludb(2));
    const t = toTwelveLead(r);
    expect(t.leads).toEqual([...CANONICAL_LEADS]);
    expect(t.signals[3]).toEqual(r.signals[r.leads.indexOf('avr')]);
  });
  it('toTwelveLead derives missing limb leads from I and II, or names what is missing', () => {
    const eight = rec(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    const t = toTwelveLead(eight);
    expect(t.leads.length).toBe(12);
    expect(Array.from(t.signals[2]!)).toEqual([1, 1]); // III = II − I
    expect(() => toTwelveLead(eight, { derive: false })).toThrow(/lead "III"/);
    expect(() => toTwelveLead(rec(['I', 'II', 'V1']))).toThrow(/lead "V2"/);
    expect(() => toTwelveLead(rec(['II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']))).toThrow(/lead "I"/);
  });
  it('mapLeads applies a function per lead', () => {
    const r = mapLeads(rec(['I', 'II']), (x) => Float64Array.from(x, (v) => v * 2));
    expect(r.signals[1]).toBeInstanceOf(Float32Array);
    expect(Array.from(r.signals[1]!)).toEqual([2, 3]);
  });
});
