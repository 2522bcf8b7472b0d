import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Annotation } from '../../src/core/types';
import { collectDataset } from '../../src/data/dataset';
import { loadLudb, ludbLabels } from '../../src/data/ludb';
import { loadMitdb } from '../../src/data/mitdb';
import { loadPtbxl } from '../../src/data/ptbxl';
import { interleaveLeads, preprocessRecord } from '../../src/data/preprocess';
import { listWfdbRecords, loadWfdbFolder } from '../../src/data/wfdbFolder';

const EX = resolve(__dirname, '../../examples/data');
const SHARED = process.env.BEAT_SSL_DATA ?? resolve(__dirname, '../../../shared/data');

const ann = (sample: number, symbol: string): Annotation => ({ sample, symbol, subtype: 0, chan: 0, num: 0, aux: '' });

describe('ludbLabels', () => {
  it('builds waves, mask and span from ( peak ) triples', () => {
    const anns = [ann(10, '('), ann(12, 'p'), ann(14, ')'), ann(20, '('), ann(22, 'N'), ann(25, ')'), ann(30, '('), ann(33, 't'), ann(36, ')')];
    const { waves, mask, span } = ludbLabels(anns, 40);
    expect(waves).toEqual([
      { type: 'P', onset: 10, offset: 14, peak: 12 },
      { type: 'QRS', onset: 20, offset: 25, peak: 22 },
      { type: 'T', onset: 30, offset: 36, peak: 33 },
    ]);
    expect(span).toEqual([10, 36]);
    expect(Array.from(mask.slice(8, 38))).toEqual([0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 0]);
  });
  it('shrinks the span past waves cut at its edges', () => {
    const anns = [ann(5, 'N'), ann(8, ')'), ann(20, '('), ann(22, 't'), ann(25, ')'), ann(30, '('), ann(31, 'p')];
    const { waves, span, mask } = ludbLabels(anns, 40);
    expect(waves).toEqual([{ type: 'T', onset: 20, offset: 25, peak: 22 }]);
    expect(span).toEqual([9, 29]);
    expect(mask[6]).toBe(0);
    expect(ludbLabels([], 10).span).toEqual([0, -1]);
  });
});

describe('listWfdbRecords and multi-segment records (issue 17)', () => {
  const MS = resolve(__dirname, '../fixtures/io/wfdb-python/sample-data/multi-segment');
  const names = (l: string[]) => l.map((p) => p.slice(MS.length + 1));

  it('lists a multi-segment record once, by its master header, not its segments or layout', async () => {
    // 041s: master 041s/2 with segments 041s01, 041s02; p000878: a layout segment, a null (~)
    // segment and segments 3269321_0001/0002 that are present in the folder.
    expect(names(await listWfdbRecords(MS))).toEqual(['041s/041s', 'p000878/p000878-2137-10-26-16-57']);
  });

  it('still lists headers that cannot be parsed (reading them reports the error) and single records', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const d = mkdtempSync(resolve(tmpdir(), 'beat-ssl-list-'));
    try {
      writeFileSync(resolve(d, 'bad.hea'), 'bad/x 1 250\n');
      writeFileSync(resolve(d, 'one.hea'), 'one 1 250 10\none.dat 16 200 16 0 0 0 0 I\n');
      // a master whose long comment preamble pushes the record line past the first 512 bytes
      writeFileSync(resolve(d, 'm.hea'), `#${'c'.repeat(600)}\nm/2 1 250 20\none 10\nseg2 10\n`);
      writeFileSync(resolve(d, 'seg2.hea'), 'seg2 1 250 10\nseg2.dat 16 200 16 0 0 0 0 I\n');
      expect((await listWfdbRecords(d)).map((p) => p.slice(d.length + 1))).toEqual(['bad', 'm']);
      await expect(listWfdbRecords(d, { recursve: false } as never)).rejects.toThrow("Error in listWfdbRecords: opts must have only the keys 'recursive', but got unknown key 'recursve'.");
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('loaders on the embedded sample', () => {
  it('lists WFDB records recursively, numerically sorted', async () => {
    const l = await listWfdbRecords(resolve(EX, 'ludb'));
    expect(l.map((p) => p.split('/').pop())).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    const p = await listWfdbRecords(resolve(EX, 'ptbxl'));
    expect(p).toHaveLength(24);
    expect((await (await loadWfdbFolder(resolve(EX, 'mitdb'))).get(0)).fs).toBe(360);
    await expect(listWfdbRecords(resolve(EX, 'nope'))).rejects.toThrow(/Error in listWfdbRecords: dir must be a readable folder/);
  });
  it('loads LUDB with lead II masks and spans', async () => {
    const ds = await loadLudb(resolve(EX, 'ludb'), { lead: 'II', ids: [1, 2] });
    expect(ds.size).toBe(2);
    const s = await ds.get(0);
    expect(s.id).toBe(1);
    expect(s.record.fs).toBe(500);
    expect(s.mask.length).toBe(5000);
    expect(s.span).toEqual([644, 3996]); // first '(' of a QRS, last ')' (decoded with readAnnotations)
    expect(s.waves[0]).toEqual({ type: 'QRS', onset: 644, offset: 682, peak: 662 });
    expect(s.mask[662]).toBe(2);
    expect(s.mask[843]).toBe(3);
    expect(s.mask[1278]).toBe(1);
    const counts = { P: 0, QRS: 0, T: 0 };
    for (const w of s.waves) counts[w.type]++;
    expect(counts).toEqual({ P: 5, QRS: 6, T: 5 });
    const v1 = await (await loadLudb(resolve(EX, 'ludb'), { lead: 'V1', ids: [1] })).get(0);
    expect(v1.lead).toBe('v1');
    await expect(loadLudb(resolve(EX, 'ludb'), { lead: 'X' })).rejects.toThrow(/Error in loadLudb: opts.lead must be one of i, ii/);
    await expect(loadLudb(resolve(EX, 'ludb'), { ids: [99] })).rejects.toThrow(/opts.ids must be ids of records present/);
    const all = await collectDataset(await loadLudb(resolve(EX, 'ludb')));
    expect(all.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it('loads MIT-BIH with beat annotations', async () => {
    const ds = await loadMitdb(resolve(EX, 'mitdb'));
    const s = await ds.get(0);
    expect(s.name).toBe('100');
    expect(s.record.fs).toBe(360);
    expect(s.beats.length).toBe(2273); // record 100: 2239 N + 33 A + 1 V
    expect(s.annotations.length).toBeGreaterThan(s.beats.length);
  });
  it('loads PTB-XL records with labels', async () => {
    const ds = await loadPtbxl(resolve(EX, 'ptbxl'));
    const s = await ds.get(0);
    expect(s.ecgId).toBe(1);
    expect(s.record.fs).toBe(100);
    expect(s.record.signals).toHaveLength(12);
    expect(s.record.signals[0]).toHaveLength(1000);
    expect(Array.from(s.labels)).toEqual([1, 0, 0, 0, 0]);
  });
  it('preprocesses to the working rate, filters and standardises', async () => {
    const s = await (await loadLudb(resolve(EX, 'ludb'), { ids: [1] })).get(0);
    const x = preprocessRecord(s.record, { fs: 100 });
    expect(x.fs).toBe(100);
    expect(x.leads).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(x.signals[1]).toHaveLength(1000);
    let m = 0;
    let v = 0;
    for (const a of x.signals[1]) m += a / 1000;
    for (const a of x.signals[1]) v += (a - m) ** 2 / 1000;
    expect(Math.abs(m)).toBeLessThan(1e-5);
    expect(v).toBeCloseTo(1, 4);
    const raw = preprocessRecord(s.record, { fs: 500, bandpassHz: null, standardize: 'none', leads: ['II'] });
    expect(Array.from(raw.signals[0].slice(0, 5))).toEqual(Array.from(s.record.signals[1].slice(0, 5)));
    const ml = preprocessRecord(s.record, { fs: 500, bandpassHz: null, standardize: 'none', leads: ['MLII'] }); // MLII is lead II (core/leads)
    expect(ml.leads).toEqual(['II']);
    expect(Array.from(ml.signals[0].slice(0, 5))).toEqual(Array.from(s.record.signals[1].slice(0, 5)));
    expect(() => preprocessRecord(s.record, { fs: 100, leads: ['V7'] })).toThrow(/Error in preprocessRecord: record.leads must be to include lead V7/);
    const il = interleaveLeads([Float32Array.from([1, 2]), Float32Array.from([3, 4])]);
    expect(Array.from(il)).toEqual([1, 3, 2, 4]);
  });
});

describe.skipIf(!existsSync(resolve(SHARED, 'ludb')))('LUDB on ../shared/data', () => {
  if (!existsSync(resolve(SHARED, 'ludb'))) console.warn(`skipped: ${resolve(SHARED, 'ludb')} absent`);
  it('loads 160 records whose lead II spans match SOURCE.md', async () => {
    const all = await collectDataset(await loadLudb(resolve(SHARED, 'ludb')), 8);
    expect(all).toHaveLength(160);
    const firsts = all.map((s) => s.span[0]);
    const lasts = all.map((s) => s.span[1]);
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(187);
    expect(Math.max(...lasts)).toBeLessThanOrEqual(4814);
    expect(all.every((s) => s.waves.length > 0)).toBe(true);
  });
});
