/**
 * The analysis chain (issue 15): `processEcg` composes peaks → delineation / a model's segment step
 * → intervals, and is what `segmentRecord` runs.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { readRecord } from '../../src/io/readRecord';
import { processEcg } from '../../src/beats/process';
import { detectRPeaks } from '../../src/beats/detect';
import { delineateBeats } from '../../src/beats/delineate';
import { wavesToIntervals } from '../../src/beats/intervals';
import { selectLeads } from '../../src/signal/leads';
import type { Wave } from '../../src/core/types';

const LUDB1 = resolve(__dirname, '../../examples/data/ludb/1');
const MITDB100 = resolve(__dirname, '../../examples/data/mitdb/100');

describe('processEcg', () => {
  it('without a model: detectRPeaks → delineateBeats → wavesToIntervals on the chosen leads', async () => {
    const rec = await readRecord(LUDB1);
    const r = processEcg(rec, { leads: ['II', 'V2'] });
    const sub = selectLeads(rec, ['II', 'V2']);
    const peaks = detectRPeaks(sub.signals, rec.fs);
    const waves = delineateBeats(sub.signals, rec.fs, peaks);
    expect(Array.from(r.rPeaks)).toEqual(Array.from(peaks));
    expect(r.waves).toEqual(waves);
    expect(r.intervals).toEqual(wavesToIntervals(waves, rec.fs));
    expect(r.sources).toEqual({ P: 'rules', QRS: 'rules', T: 'rules' });
    expect(r.leads).toEqual(['ii', 'v2']);
  });

  it('with a segment step: model waves, rule-based types by waveSources, sorted', async () => {
    const rec = await readRecord(LUDB1);
    const fake: Wave[] = [{ type: 'T', onset: 300, offset: 360 }, { type: 'P', onset: 100, offset: 140 }, { type: 'QRS', onset: 200, offset: 240 }];
    const r = processEcg(rec, { segment: () => fake, waveSources: { QRS: 'rules' } });
    const rules = delineateBeats(rec.signals, rec.fs, detectRPeaks(rec.signals, rec.fs));
    expect(r.waves.filter((w) => w.type === 'QRS')).toEqual(rules.filter((w) => w.type === 'QRS'));
    expect(r.waves.filter((w) => w.type !== 'QRS')).toEqual([fake[1], fake[0]]);
    expect(r.waves.map((w) => w.onset)).toEqual([...r.waves.map((w) => w.onset)].sort((a, b) => a - b));
    expect(r.sources).toEqual({ P: 'model', QRS: 'rules', T: 'model' });
  });

  it('falls back to the model for every type when the rule-based steps fail, and reports it', () => {
    // below detectRPeaks' minimum rate the rule-based steps throw
    const flat = { name: 'slow', fs: 20, leads: ['II'], signals: [new Float32Array(200)], units: ['mV'], comments: [] };
    const model: Wave[] = [{ type: 'QRS', onset: 2, offset: 4 }];
    const r = processEcg(flat, { segment: () => model, waveSources: { QRS: 'rules' } });
    expect(r.waves).toEqual(model);
    expect(r.rPeaks).toHaveLength(0);
    expect(r.sources.QRS).toBe('model');
    expect(() => processEcg(flat)).toThrow(/^Error in detectRPeaks/);
  });

  it('names a missing lead, an unknown option and a bad wave source', async () => {
    const rec = await readRecord(MITDB100);
    const short = { ...rec, signals: rec.signals.map((s) => s.slice(0, 3600)) };
    expect(processEcg(short, { leads: ['II'] }).rPeaks.length).toBeGreaterThan(5); // MLII is lead II
    expect(() => processEcg(short, { leads: ['V1'] })).toThrow('Error in processEcg: record.leads must be to include lead V1, but got ["MLII", "V5"].');
    expect(() => processEcg(short, { lead: 'II' } as never)).toThrow(/opts must have only the keys 'leads', 'rPeaks', 'delineate', 'segment', 'waveSources', but got unknown key 'lead'/);
    expect(() => processEcg(short, { segment: () => [], waveSources: { QRS: 'rule' as 'rules' } })).toThrow("Error in processEcg: opts.waveSources.QRS must be 'model' or 'rules', but got \"rule\".");
  });
});
