// Parity with the reference reader (issue 17, point 7): a small set of wfdb-python's sample
// records and the expected outputs of its tests/test_record.py and tests/test_annotation.py
// (made with the original WFDB software's rdsamp/rdann), committed under
// test/fixtures/io/wfdb-python/ (MIT license, see its README.md and NOTICE.md).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { readRecord, readHeader } from '../../src/io/readRecord';
import { parseRecord } from '../../src/io/record';
import { readAnnotations } from '../../src/io/readAnnotations';
import { parseAnnotations, encodeAnnotations } from '../../src/io/annotations';
import { FIXTURES } from './helpers';

const ROOT = join(FIXTURES, 'wfdb-python');
const SD = join(ROOT, 'sample-data');

/** rdsamp/rdann text output (gzipped), one row per line, columns split on white space. */
function target(name: string): string[][] {
  const text = gunzipSync(readFileSync(join(ROOT, 'target-output', name))).toString('latin1');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));
}

const num = (s: string) => (s === '-' ? NaN : Number(s));

/** Float32 physical values equal the 8-decimal rdsamp output to float32 precision. */
function closePhysical(got: number, want: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  return Math.abs(got - want) <= 2e-7 * Math.max(1, Math.abs(want)) + 5e-9;
}

/** Counts matches/mismatches of column `c` of `rows` against a signal. */
function compareColumn(rows: string[][], c: number, sig: ArrayLike<number>, physical: boolean): { n: number; bad: number; first?: string } {
  let bad = 0;
  let first: string | undefined;
  rows.forEach((r, t) => {
    const want = num(r[c]);
    const got = sig[t];
    const ok = physical ? closePhysical(got, want) : got === want;
    if (!ok) {
      bad++;
      first ??= `row ${t}: got ${got}, want ${want}`;
    }
  });
  return { n: rows.length, bad, first };
}

describe('wfdb-python parity: annotations (test_annotation.py)', () => {
  it('1003.atr: the definition notes ending in \\n are consumed; 957 annotations exactly as rdann (test_3)', async () => {
    const anns = await readAnnotations(join(SD, '1003'), 'atr');
    const rows = gunzipSync(readFileSync(join(ROOT, 'target-output/ann-3.gz')))
      .toString('latin1')
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(rows.length).toBe(957);
    expect(anns.length).toBe(957);
    rows.forEach((line, i) => {
      const [cols, aux = ''] = line.split('\t');
      const [, sample, symbol, subtype, chan, numv] = cols.trim().split(/\s+/);
      const a = anns[i];
      expect([a.sample, a.symbol, a.subtype, a.chan, a.num, a.aux], `annotation ${i}`).toEqual([Number(sample), symbol, Number(subtype), Number(chan), Number(numv), aux]); // rdann prints '\t<aux>'
    });
    expect(anns.some((a) => a.symbol === '"')).toBe(false);
  });

  it('custom mnemonics from notes ending in \\n are registered (1003.atr table applied to its codes)', () => {
    const bytes = readFileSync(join(SD, '1003.atr'));
    // Re-point the first beat (code 1, 'N') to code 15, which the file's table defines as 'c'.
    const b = new Uint8Array(bytes);
    const at = b.findIndex((_, i) => i % 2 === 0 && b[i] === 0x49 && b[i + 1] === 0x04); // word 0x0449: code 1, +73
    expect(at).toBeGreaterThan(0);
    b[at + 1] = (15 << 2) | 0; // code 15, same 10-bit interval (73 < 256)
    const anns = parseAnnotations(b, '1003-edited.atr');
    expect(anns[0]).toMatchObject({ sample: 73, symbol: 'c' });
    // Our own writer's table (no trailing newline) reads back too.
    const enc = encodeAnnotations([{ sample: 5, symbol: 'pop', subtype: 0, chan: 0, num: 0, aux: '' }]);
    expect(parseAnnotations(enc)[0].symbol).toBe('pop');
  });
});

describe('wfdb-python parity: records (test_record.py, test_multi_record)', () => {
  it('test_1f: every binary format (8, 16, 61, 80, 160, 212, 310, 311, 24, 32), digital, and partial reads', async () => {
    const rows = target('record-1f.gz');
    const rec = await readRecord(join(SD, 'binformats'), { digital: true });
    expect(rec.signals.every((s) => s instanceof Int32Array && s.length === 499)).toBe(true);
    for (let c = 0; c < 10; c++) expect(compareColumn(rows, c, rec.signals[c], false), rec.leads[c]).toMatchObject({ n: 499, bad: 0 });
    // 32-bit samples are exact (a Float32 could not hold −2147483638).
    expect(rec.signals[9][0]).toBe(-2147483638);
    for (const from of [0, 1, 2]) {
      for (const to of [496, 497, 498]) {
        const part = await readRecord(join(SD, 'binformats'), { digital: true, from, to });
        for (let c = 0; c < 10; c++) expect(compareColumn(rows.slice(from, to), c, part.signals[c], false).bad, `${rec.leads[c]} ${from}-${to}`).toBe(0);
      }
    }
  });

  it('test_read_write_flac: FLAC formats 508, 516, 524 through @wasm-audio-decoders/flac', async () => {
    const rows = target('record-flac.gz');
    const rec = await readRecord(join(SD, 'flacformats'), { digital: true });
    for (let c = 0; c < 3; c++) expect(compareColumn(rows, c, rec.signals[c], false), rec.leads[c]).toMatchObject({ n: 499, bad: 0 });
    const phys = await readRecord(join(SD, 'flacformats'));
    expect(closePhysical(phys.signals[2][0], -8388605 / 200)).toBe(true);
  });

  it('test_1d: format 80, a range of one channel, physical', async () => {
    const rec = await readRecord(join(SD, '3000003_0003'), { from: 125, to: 1000, channels: [1] });
    expect(rec.leads).toEqual(['V']);
    expect(compareColumn(target('record-1d.gz'), 0, rec.signals[0], true)).toMatchObject({ n: 875, bad: 0 });
  });

  it('test_2c: format 212 with an odd number of samples per file, physical', async () => {
    const rec = await readRecord(join(SD, '100_3chan'));
    const rows = target('record-2c.gz');
    for (let c = 0; c < 3; c++) expect(compareColumn(rows, c, rec.signals[c], true), rec.leads[c]).toMatchObject({ n: 999, bad: 0 });
  });

  it('test_2d / test_2e: formats 310 and 311 from a start sample (digital / physical)', async () => {
    const d = await readRecord(join(SD, '310derive'), { digital: true, from: 2 });
    const r2d = target('record-2d.gz');
    for (let c = 0; c < 2; c++) expect(compareColumn(r2d, c, d.signals[c], false)).toMatchObject({ n: 1024, bad: 0 });
    const p = await readRecord(join(SD, '311derive'), { from: 1, to: 978 });
    expect(compareColumn(target('record-2e.gz'), 0, p.signals[0], true)).toMatchObject({ n: 977, bad: 0 });
  });

  it('test_4a: skew and 2 samples per frame, getvec frame means (digital)', async () => {
    const rows = target('record-4a.gz'); // rdsamp stops 3 frames early (the skew); we return NaN-coded samples there
    const rec = await readRecord(join(SD, 'test01_00s_skewframe'), { digital: true });
    expect(rec.signals[0].length).toBe(4000);
    for (let c = 0; c < 3; c++) expect(compareColumn(rows, c, rec.signals[c], false), rec.leads[c]).toMatchObject({ n: 3997, bad: 0 });
    expect(Array.from(rec.signals[0].subarray(3997))).toEqual([-32768, -32768, -32768]);
  });

  it('test_4b / test_4c: 212x4 with skew (03700181), getvec means truncated toward zero; ranges and channels', async () => {
    // The committed 03700181.dat holds the first 2100 frames of 75000: a range read needs no more.
    const rows = target('record-4b-first2000.gz');
    const d = await readRecord(join(SD, '03700181'), { digital: true, to: 2000 });
    for (let c = 0; c < 3; c++) expect(compareColumn(rows, c, d.signals[c], false), d.leads[c]).toMatchObject({ n: 2000, bad: 0 });
    const p = await readRecord(join(SD, '03700181'), { channels: [0, 2], from: 1000, to: 2000 });
    const rows4c = target('record-4c-first1000.gz');
    for (let c = 0; c < 2; c++) expect(compareColumn(rows4c, c, p.signals[c], true), p.leads[c]).toMatchObject({ n: 1000, bad: 0 });
    // The exact mean differs from getvec by up to (spf − 1)/spf digital units, never more.
    const exact = await readRecord(join(SD, '03700181'), { to: 2000, frames: 'mean' });
    const gv = await readRecord(join(SD, '03700181'), { to: 2000 });
    let differ = 0;
    for (let t = 0; t < 2000; t++) {
      const du = Math.abs(exact.signals[0][t] - gv.signals[0][t]) * 2963.77;
      expect(du).toBeLessThan(0.75 + 1e-3);
      if (du > 1e-3) differ++;
    }
    expect(differ).toBeGreaterThan(100); // the default really is getvec's truncation, not the mean
  });

  it('test_4d: expanded (all samples per frame) physical, like rdsamp -H', async () => {
    const rows = target('record-4d.gz'); // 2 rows per frame; 1-sample-per-frame signals repeated
    const rec = await readRecord(join(SD, 'test01_00s_skewframe'), { frames: 'expanded' });
    expect(rec.samplesPerFrame).toEqual([1, 2, 1]);
    expect(rec.signals.map((s) => s.length)).toEqual([4000, 8000, 4000]);
    const rep = (s: Float32Array) => Float32Array.from({ length: s.length * 2 }, (_, i) => s[i >> 1]);
    expect(compareColumn(rows, 0, rep(rec.signals[0]), true)).toMatchObject({ n: 7994, bad: 0 });
    expect(compareColumn(rows, 1, rec.signals[1], true)).toMatchObject({ n: 7994, bad: 0 });
    expect(compareColumn(rows, 2, rep(rec.signals[2]), true)).toMatchObject({ n: 7994, bad: 0 });
    // Expanded digital output holds the same samples as integers.
    const dig = await readRecord(join(SD, 'test01_00s_skewframe'), { frames: 'expanded', digital: true });
    expect(dig.signals[1].length).toBe(8000);
    expect(dig.signals[1][1]).toBe(Math.round(rec.signals[1][1] * 100));
  });

  it('test_multi_fixed_d: fixed-layout multi-segment, expanded digital, channels by index and by name', async () => {
    const rows = target('record-multi-fixed-d.gz');
    const base = join(SD, 'multi-segment/041s/041s');
    const rec = await readRecord(base, { channels: [3, 2, 1], digital: true, frames: 'expanded' });
    const named = await readRecord(base, { channels: ['ABP', 'V', 'I'], digital: true, frames: 'expanded' });
    expect(named).toEqual(rec);
    expect(rec.samplesPerFrame).toEqual([1, 4, 4]);
    const up = (s: Int32Array, spf: number) => Int32Array.from({ length: 8000 }, (_, i) => s[Math.floor(i / (4 / spf))]);
    for (let c = 0; c < 3; c++) expect(compareColumn(rows, c, up(rec.signals[c], rec.samplesPerFrame[c]), false), rec.leads[c]).toMatchObject({ n: 8000, bad: 0 });
  });

  it('test_multi_variable_d: variable-layout multi-segment, range over null and real segments, digital', async () => {
    const rows = target('record-multi-variable-d.gz');
    const base = join(SD, 'multi-segment/p000878/p000878-2137-10-26-16-57');
    // Only the layout and the segments overlapping 3550…7500 are read (the fixture omits the other 33).
    const rec = await readRecord(base, { from: 3550, to: 7500, channels: [0, 1], digital: true });
    const named = await readRecord(base, { from: 3550, to: 7500, channels: ['PLETH', 'II'], digital: true });
    expect(named).toEqual(rec);
    expect(rec.leads).toEqual(['PLETH', 'II']);
    for (let c = 0; c < 2; c++) expect(compareColumn(rows, c, rec.signals[c], false), rec.leads[c]).toMatchObject({ n: 3950, bad: 0 });
  });

  it('test_header_with_non_utf8: the 0xB0 unit byte is kept as Latin-1 "°" (documented choice)', async () => {
    const h = await readHeader(join(SD, 'test_generator_2'));
    expect(h.signals.map((s) => s.units)).toEqual(['uV', 'uV', 'uV', 'uV', 'uV', 'uV', 'uV', 'uV', '°', '°', 'uV', 'mV']);
    // Reading converts uV to mV and keeps '°' (not a voltage) as written; wfdb-python drops the byte and says 'mV'.
    const frame = 11 * 200 + 51;
    const rec = parseRecord(
      { header: readFileSync(join(SD, 'test_generator_2.hea'), 'latin1'), files: { 'test_generator_2.dat': new Uint8Array(2 * frame * 2) } },
      { to: 2, checksum: 'ignore' },
    );
    expect(rec.units).toEqual(['mV', 'mV', 'mV', 'mV', 'mV', 'mV', 'mV', 'mV', '°', '°', 'mV', 'mV']);
  });
});
