/**
 * One lead-name rule everywhere (issue 15): every module that finds leads by name uses
 * `core/leads`, so an MIT-BIH `MLII` signal is lead II in signal, data, beats, plot and the CLI.
 */
import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeRecord } from '../../src/io/writeRecord';
import { CANONICAL_LEADS, canonicalLeadName, findLead, missingLeads, normalizeLeadName } from '../../src/core/leads';
import { CANONICAL_LEADS as SIGNAL_CANONICAL, selectLeads, toTwelveLead } from '../../src/signal/leads';
import { preprocessRecord } from '../../src/data/preprocess';
import { ecgFeatures, ECG_FEATURE_NAMES } from '../../src/beats/ecgFeatures';
import { detectRPeaks } from '../../src/beats/detect';
import { delineateBeats } from '../../src/beats/delineate';
import { plotEcg12 } from '../../src/plot/ecg12';
import { readRecord } from '../../src/io/readRecord';
import { main } from '../../src/cli/main';
import type { EcgRecord } from '../../src/core/types';

const MITDB100 = resolve(__dirname, '../../examples/data/mitdb/100');

describe('core/leads', () => {
  it('has one canonical list and one name rule', () => {
    expect(CANONICAL_LEADS).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(SIGNAL_CANONICAL).toBe(CANONICAL_LEADS);
    expect(Object.isFrozen(CANONICAL_LEADS)).toBe(true);
    expect(['MLII', 'ML2', 'dii', 'Lead II', 'ii'].map(normalizeLeadName)).toEqual(['II', 'II', 'II', 'II', 'II']);
    expect(findLead(['MLII', 'V5'], 'II')).toBe(0);
    expect(findLead(['MLII', 'V5'], 'v5')).toBe(1);
    expect(findLead(['vx', 'VY'], 'vy')).toBe(1);
    expect(findLead(['I'], 'aVF')).toBe(-1);
    expect(missingLeads(['MLII', 'V5'], ['II', 'V1'])).toEqual(['V1']);
    expect(missingLeads(CANONICAL_LEADS.map((l) => l.toLowerCase()))).toEqual([]);
    expect(canonicalLeadName(' avl ')).toBe('aVL');
    expect(canonicalLeadName('MV5')).toBe('MV5');
  });

  it('an MLII record is lead II in signal, data, beats, plot and the CLI', async () => {
    const rec: EcgRecord = await readRecord(MITDB100);
    expect(rec.leads).toEqual(['MLII', 'V5']);
    // signal
    expect(selectLeads(rec, ['II']).signals[0]).toEqual(rec.signals[0]);
    expect(() => toTwelveLead(rec)).toThrow(/lead "I"/);
    // data (the preprocessing every model uses)
    const pre = preprocessRecord(rec, { fs: 360, bandpassHz: null, standardize: 'none', leads: ['II', 'V5'] });
    expect(pre.leads).toEqual(['II', 'V5']);
    expect(pre.signals[0]).toEqual(rec.signals[0]);
    // beats: ST/P/T amplitudes are measured in lead II when present
    const short = { ...rec, signals: rec.signals.map((s) => s.slice(0, 3600)) };
    const peaks = detectRPeaks(short.signals, short.fs);
    const waves = delineateBeats(short.signals, short.fs, peaks);
    const asII = ecgFeatures(short, peaks, waves);
    const swapped = ecgFeatures({ ...short, leads: ['V5', 'MLII'], signals: [short.signals[1], short.signals[0]] }, peaks, waves);
    const st = ECG_FEATURE_NAMES.indexOf('st_mv');
    expect(swapped.values[st]).toBeCloseTo(asII.values[st], 12);
    // plot
    expect(plotEcg12(rec, { layout: '12x1', leads: ['II'], durationSec: 2 })).toContain('>II<');
    // CLI: --lead II finds MLII (on the first minute, written as a WFDB record)
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-leads-'));
    try {
      await writeRecord(join(dir, 'm100'), { ...rec, name: 'm100', signals: rec.signals.map((x) => x.slice(0, 21600)) });
      let out = '';
      const code = await main(['peaks', join(dir, 'm100'), '--lead', 'II', '--json'], { stdout: (t) => (out += t), stderr: () => undefined, isTTY: false });
      expect(code).toBe(0);
      const record = out.trim().split('\n').map((l) => JSON.parse(l)).find((e) => Array.isArray(e.peaks));
      expect(record.peaks.length).toBeGreaterThan(60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lead lists must hold strings', () => {
  it('findLead and missingLeads name the first entry that is not a lead name', () => {
    const leads = ['I', null, 'II'] as unknown as string[];
    expect(() => findLead(leads, 'II')).toThrow("Error in findLead: leads[1] must be a lead name (string; use the record header's names), but got null");
    expect(() => missingLeads(['I', 'II', 3] as unknown as string[], ['II'])).toThrow('Error in missingLeads: leads[2] must be a lead name');
    expect(findLead(['I', 'II'], 'II')).toBe(1);
  });
});
