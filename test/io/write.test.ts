import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readRecord, readHeader } from '../../src/io/readRecord';
import { writeRecord } from '../../src/io/writeRecord';
import { encodeRecord } from '../../src/io/encodeRecord';
import { parseRecord } from '../../src/io/record';
import { parseHeader } from '../../src/io/header';
import type { EcgRecord } from '../../src/core/types';
import { createRng } from '../../src/core/rng';
import { EXAMPLES } from './helpers';

/** Deep equality of two records; signals compared bitwise (fast, NaN-safe). */
function expectSameRecord(a: EcgRecord, b: EcgRecord) {
  expect({ ...a, signals: a.signals.length }).toEqual({ ...b, signals: b.signals.length });
  a.signals.forEach((s, i) => expect(Buffer.from(s.buffer, s.byteOffset, s.byteLength).equals(Buffer.from(b.signals[i].buffer, b.signals[i].byteOffset, b.signals[i].byteLength)), `signal ${i}`).toBe(true));
}

const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeRecord / encodeRecord', () => {
  it('LUDB 1 → format 16 with the original gains/baselines reproduces the .dat byte for byte', async () => {
    const src = join(EXAMPLES, 'ludb/1');
    const h = await readHeader(src);
    const rec = await readRecord(src);
    const out = await writeRecord(join(dir, '1'), rec, { format: 16, gain: h.signals.map((s) => s.gain), baseline: h.signals.map((s) => s.baseline) });
    expect(out.header).toBe(join(dir, '1.hea'));
    expect(readFileSync(join(dir, '1.dat')).equals(readFileSync(`${src}.dat`))).toBe(true);
    const h2 = await readHeader(join(dir, '1'));
    expect(h2.signals.map((s) => [s.checksum, s.initValue, s.gain, s.baseline])).toEqual(h.signals.map((s) => [s.checksum, s.initValue, s.gain, s.baseline]));
    const back = await readRecord(join(dir, '1'));
    expectSameRecord(back, rec);
  });

  it('MIT-BIH 100 → format 212 (gain 200, baseline 1024) reproduces the .dat byte for byte', async () => {
    const src = join(EXAMPLES, 'mitdb/100');
    const rec = await readRecord(src);
    await writeRecord(join(dir, '100.hea'), rec, { format: 212, gain: 200, baseline: 1024, adcZero: 1024 });
    expect(readFileSync(join(dir, '100.dat')).equals(readFileSync(`${src}.dat`))).toBe(true);
    const h = await readHeader(join(dir, '100'));
    expect(h.signals.map((s) => [s.checksum, s.initValue])).toEqual([[-22131, 995], [20052, 1011]]);
    expectSameRecord(await readRecord(join(dir, '100')), rec);
  });

  it('default gains round-trip within half an ADC step, for every format; NaN survives', () => {
    const rng = createRng(3);
    const n = 257;
    const sig = (amp: number) => Float32Array.from({ length: n }, (_, t) => amp * Math.sin(t / 9) + 0.01 * rng.normal());
    const rec: EcgRecord = { name: 'syn', fs: 250, leads: ['I', 'II', 'V1'], signals: [sig(1.2), sig(0.5), sig(0.9)], units: ['mV', 'mV', 'mV'], comments: ['made up', 'x: 1'] };
    rec.signals[1][7] = NaN;
    for (const format of [16, 212, 24, 32, 61, 160, 310, 311, 80] as const) {
      const enc = encodeRecord(rec, { format });
      const back = parseRecord(enc);
      const gain = enc.wfdbHeader.signals[0].gain;
      expect(back.leads).toEqual(rec.leads);
      expect(back.comments).toEqual(rec.comments);
      expect(back.fs).toBe(250);
      back.signals.forEach((s, i) =>
        s.forEach((v, t) => {
          if (Number.isNaN(rec.signals[i][t])) expect(v).toBeNaN();
          else expect(Math.abs(v - rec.signals[i][t])).toBeLessThanOrEqual(0.5 / gain + 1e-6);
        }),
      );
    }
    // Format 8 (first differences) needs slowly varying data at its default gain.
    const slow: EcgRecord = { ...rec, signals: rec.signals.map((s) => s.map((_, t) => 0.3 * Math.sin(t / 40))) };
    const back8 = parseRecord(encodeRecord(slow, { format: 8 }));
    back8.signals.forEach((s, i) => s.forEach((v, t) => expect(Math.abs(v - slow.signals[i][t])).toBeLessThanOrEqual(0.005 + 1e-6)));
  });

  it('read → write → read is the identity for every embedded PTB-XL record (format 16, gain 1000)', async () => {
    const d = join(EXAMPLES, 'ptbxl/records100/00000');
    for (const f of readdirSync(d).filter((x) => x.endsWith('.hea')).slice(0, 6)) {
      const rec = await readRecord(join(d, f));
      const name = f.slice(0, -4);
      await writeRecord(join(dir, name), rec, { gain: 1000 });
      expect(readFileSync(join(dir, `${name}.dat`)).equals(readFileSync(join(d, `${name}.dat`)))).toBe(true);
      expectSameRecord(await readRecord(join(dir, name)), rec);
    }
  });

  it('refuses values that do not fit, NaN in format 8, bad options; writes nothing then', async () => {
    const rec: EcgRecord = { name: 'r', fs: 100, leads: ['a'], signals: [Float32Array.from([0, 11, 0])], units: ['mV'], comments: [] };
    expect(() => encodeRecord(rec, { format: 212 })).toThrow(/record.signals\[0\] \('a'\) must fit format 212 at gain 200 and baseline 0 \(digital -2047…2047\), but sample 1 = 11 → 2200/);
    expect(() => encodeRecord({ ...rec, signals: [Float32Array.from([0, NaN])] }, { format: 8 })).toThrow(/must not contain NaN in format 8/);
    expect(() => encodeRecord(rec, { format: 99 as 16 })).toThrow(/opts.format must be one of '8', '16'/);
    expect(() => encodeRecord(rec, { gain: [1, 2] })).toThrow(/opts.gain must be a number or one number per lead \(1\)/);
    expect(() => encodeRecord({ ...rec, fs: 0 })).toThrow(/record.fs must be a finite positive number/);
    expect(() => encodeRecord({ ...rec, signals: [new Float32Array(3), new Float32Array(2)], leads: ['a', 'b'] })).toThrow(/record.signals\[1\] must have 3 samples/);
    const sub = mkdtempSync(join(dir, 'bad-'));
    await expect(writeRecord(join(sub, 'r'), rec, { format: 212 })).rejects.toThrow(/Error in writeRecord: record.signals\[0\]/);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('writes a header that parses to the full field set', () => {
    const rec: EcgRecord = { name: 'w', fs: 500, leads: ['lead one'], signals: [Float32Array.from([0.001, -0.002])], units: ['mV'], comments: [] };
    const enc = encodeRecord(rec, { baseTime: '12:00:00', baseDate: '01/01/2020' });
    expect(enc.header.split('\n')[0]).toBe('w 1 500 2 12:00:00 01/01/2020');
    expect(enc.header.split('\n')[1]).toBe('w.dat 16 1000(0)/mV 16 0 1 -1 0 lead one');
    expect(parseHeader(enc.header)).toEqual(enc.wfdbHeader);
  });
});

describe('multi-segment records on disk', () => {
  it('readRecord concatenates segments written by writeRecord (fixed layout, with a null segment)', async () => {
    const seg = (name: string, vals: number[][]): EcgRecord => ({ name, fs: 200, leads: ['I', 'II'], signals: vals.map((v) => Float32Array.from(v)), units: ['mV', 'mV'], comments: [] });
    await writeRecord(join(dir, 'part_1'), seg('part_1', [[0.1, 0.2], [1, 2]]), { format: 212 });
    await writeRecord(join(dir, 'part_2'), seg('part_2', [[0.3, 0.4, 0.5], [3, 4, 5]]), { format: 16 });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'whole.hea'), 'whole/3 2 200 6\npart_1 2\n~ 1\npart_2 3\n');
    const rec = await readRecord(join(dir, 'whole'));
    expect(rec.leads).toEqual(['I', 'II']);
    expect(rec.fs).toBe(200);
    const r = (x: Float32Array) => Array.from(x, (v) => (Number.isNaN(v) ? 'NaN' : Math.round(v * 1000) / 1000));
    expect(r(rec.signals[0])).toEqual([0.1, 0.2, 'NaN', 0.3, 0.4, 0.5]);
    expect(r(rec.signals[1])).toEqual([1, 2, 'NaN', 3, 4, 5]);
  });
});

describe('browser safety', () => {
  it('no file of src/io imports node: built-ins statically', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = join(EXAMPLES, '../../src/io');
    const files = [...readdirSync(root).map((f) => join(root, f)), ...readdirSync(join(root, '_internal')).map((f) => join(root, '_internal', f))].filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/^\s*import[^;]*from\s+['"]node:/m);
  });
});
