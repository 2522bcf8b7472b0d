import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScpCodes, PTBXL_SUPERCLASSES, readPtbxlLabels } from '../../src/data/ptbxl';

const EXAMPLE = resolve(__dirname, '../../examples/data/ptbxl');
const SHARED = resolve(process.env.BEAT_SSL_DATA ?? resolve(__dirname, '../../../shared/data'), 'ptbxl');

describe('PTB-XL labels', () => {
  it('parses scp_codes dict literals', () => {
    expect(parseScpCodes("{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}")).toEqual({ NORM: 100, LVOLT: 0, SR: 0 });
    expect(parseScpCodes('{}')).toEqual({});
    expect(() => parseScpCodes('NORM')).toThrow(/Error in parseScpCodes: text must be a dict literal/);
  });
  it('labels the embedded sample', async () => {
    const all = await readPtbxlLabels(EXAMPLE, { keepUnlabeled: true });
    expect(all.map((e) => e.ecgId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    const e1 = all[0];
    expect(e1.superclasses).toEqual(['NORM']); // {'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}
    expect(e1.patientId).toBe(15709);
    expect(e1.fold).toBe(3);
    expect(e1.filename).toBe('records100/00000/00001_lr');
    const f = await readPtbxlLabels(EXAMPLE, { folds: [3] });
    expect(f.every((e) => e.fold === 3 && e.superclasses.length > 0)).toBe(true);
  });
});

describe.skipIf(!existsSync(SHARED))('PTB-XL labels on ../shared/data', () => {
  if (!existsSync(SHARED)) console.warn(`skipped: ${SHARED} absent`);
  it('reproduces the superclass counts of DESIGN §6 over both label files', async () => {
    const all = await readPtbxlLabels(SHARED, { labelFiles: ['ptbxl_database.csv', 'ptbxl_labels_00501_01999.csv'] });
    const counts = Object.fromEntries(PTBXL_SUPERCLASSES.map((c, j) => [c, all.filter((e) => e.labels[j] === 1).length]));
    expect(counts).toEqual({ NORM: 916, MI: 323, STTC: 417, CD: 371, HYP: 191 });
    expect(all).toHaveLength(1744 - 20);
    const withNone = await readPtbxlLabels(SHARED, { keepUnlabeled: true });
    expect(withNone).toHaveLength(1744);
    expect(new Set(withNone.map((e) => e.fold))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });
});
