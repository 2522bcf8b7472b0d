import { describe, expect, it } from 'vitest';
import { ecgToVcg, mapLeads, resampleRecord, standardizeRecord } from '../../src/signal';
import { ecgFeatures } from '../../src/beats/ecgFeatures';
import type { EcgRecord } from '../../src/core/types';

const sine = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7));

describe('record functions check the record the same way', () => {
  it('a record with more lead names than signals is a BeatSslError naming the function', () => {
    const bad = { name: 'r', fs: 500, leads: ['I', 'II', 'III'], signals: [sine(100)], units: ['mV'], comments: [] } as unknown as EcgRecord;
    const msg = (fn: string) => new RegExp(`^Error in ${fn}: record.leads must be one name per signal \\(1\\), but got \\["I", "II", "III"\\]\\.$`);
    expect(() => standardizeRecord(bad)).toThrow(msg('standardizeRecord'));
    expect(() => resampleRecord(bad, 250)).toThrow(msg('resampleRecord'));
    expect(() => ecgFeatures(bad, [], [])).toThrow(msg('ecgFeatures'));
    expect(() => ecgToVcg(bad)).toThrow(msg('ecgToVcg'));
  });

  it('ecgToVcg names itself (not selectLeads) when a lead is missing', () => {
    const twoLeads = { name: 'r', fs: 500, leads: ['I', 'II'], signals: [sine(10), sine(10)], units: ['mV', 'mV'], comments: [] } as EcgRecord;
    expect(() => ecgToVcg(twoLeads)).toThrow(/^Error in ecgToVcg: record must be a record with lead "V1"/);
  });

  it('records built by hand without comments/units work (they used to throw a TypeError)', () => {
    const plain = { name: 'r', fs: 500, leads: ['I', 'II'], signals: [sine(100), sine(100)] } as unknown as EcgRecord;
    const r = resampleRecord(plain, 250);
    expect(r.signals[0]!.length).toBe(50);
    expect(r.units).toEqual(['mV', 'mV']);
    expect(r.comments).toEqual([]);
    const m = mapLeads(plain, (s) => s.map((v) => 2 * v));
    expect(m.signals[1]![3]).toBeCloseTo(2 * plain.signals[1]![3]!, 6);
    expect(m.comments).toEqual([]);
  });
});
