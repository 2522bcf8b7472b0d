import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { parseRecord } from '../../src/io/record';
import { readRecord } from '../../src/io/readRecord';
import { encodeStream } from '../../src/io/_internal/formats';
import { BeatSslError } from '../../src/core/errors';
import { bytes, EXAMPLES, text } from './helpers';

const i32 = (a: number[]) => Int32Array.from(a);
const arr = (x: Float32Array) => Array.from(x);
const close = (a: Float32Array, b: number[]) => arr(a).forEach((v, i) => (Number.isNaN(b[i]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(b[i], 5)));
const sum16 = (a: number[]) => ((a.reduce((s, v) => (s + v) & 0xffff, 0) << 16) >> 16);

describe('parseRecord / readRecord on embedded records', () => {
  it('reads MIT-BIH 100 (format 212, 2 signals interleaved) with checksums verified', async () => {
    const rec = await readRecord(join(EXAMPLES, 'mitdb/100'));
    expect(rec.name).toBe('100');
    expect(rec.fs).toBe(360);
    expect(rec.leads).toEqual(['MLII', 'V5']);
    expect(rec.units).toEqual(['mV', 'mV']);
    expect(rec.signals).toHaveLength(2);
    expect(rec.signals[0]).toBeInstanceOf(Float32Array);
    expect(rec.signals[0].length).toBe(650000);
    // initial values 995 and 1011 from the header: (995 − 1024)/200 and (1011 − 1024)/200 mV.
    expect(rec.signals[0][0]).toBeCloseTo(-0.145, 6);
    expect(rec.signals[1][0]).toBeCloseTo(-0.065, 6);
    expect(rec.comments).toEqual(['69 M 1085 1629 x1', 'Aldomet, Inderal']);
  });

  it('accepts a path with or without .hea, and parseRecord gives the same record', async () => {
    const a = await readRecord(join(EXAMPLES, 'ludb/1'));
    const b = await readRecord(join(EXAMPLES, 'ludb/1.hea'));
    const c = parseRecord({ header: text(join(EXAMPLES, 'ludb/1.hea')), files: { '1.dat': bytes(join(EXAMPLES, 'ludb/1.dat')) } });
    for (const x of [b, c]) {
      expect({ ...x, signals: null }).toEqual({ ...a, signals: null });
      x.signals.forEach((s, i) => expect(Buffer.from(s.buffer).equals(Buffer.from(a.signals[i].buffer))).toBe(true));
    }
    expect(a.fs).toBe(500);
    expect(a.leads).toHaveLength(12);
    expect(a.signals.every((s) => s.length === 5000)).toBe(true);
    // LUDB lead i: gain 1716, baseline 6, initial value −120.
    expect(a.signals[0][0]).toBeCloseTo((-120 - 6) / 1716, 6);
  });

  it('reads every embedded PTB-XL 100 Hz record', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = join(EXAMPLES, 'ptbxl/records100/00000');
    const heas = readdirSync(dir).filter((f) => f.endsWith('.hea'));
    expect(heas.length).toBeGreaterThanOrEqual(20);
    for (const f of heas) {
      const r = await readRecord(join(dir, f));
      expect(r.fs).toBe(100);
      expect(r.leads).toEqual(['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
      expect(r.signals.every((s) => s.length === 1000 && s.every(Number.isFinite))).toBe(true);
    }
  });
});

describe('parseRecord on synthetic records', () => {
  it('converts µV and V to mV, keeps other units, and maps invalid samples to NaN', () => {
    const s0 = [10, 1000, -32768, 4];
    const s1 = [10, 30, 5, -32768];
    const s2 = [10, 20, 7, 5];
    const dat = encodeStream(16, i32(s0.flatMap((v, i) => [v, s1[i], s2[i]])));
    const hea = `r 3 100 4\nr.dat 16 2(0)/uV 16 0\nr.dat 16 0.5(10)/V 16 0\nr.dat 16 10/mmHg 16 0 10\n`;
    const rec = parseRecord({ header: hea, files: { 'r.dat': dat } });
    expect(rec.units).toEqual(['mV', 'mV', 'mmHg']);
    close(rec.signals[0], [0.005, 0.5, NaN, 0.002]); // 10 adu / (2 adu/µV) = 5 µV = 0.005 mV
    close(rec.signals[1], [0, 40000, -10000, NaN]); // (30 − 10) / 0.5 V = 40 V = 40000 mV
    close(rec.signals[2], [1, 2, 0.7, 0.5]);
  });

  it('reads several files per record, byte offsets and every format', () => {
    const a = [1, -2, 3, -4, 5, -6];
    const b = [100, 20, -30, 40, -50, 51];
    const inter = (x: number[], y: number[]) => x.flatMap((v, i) => [v, y[i]]);
    for (const fmt of [16, 24, 32, 61, 80, 160, 212, 310, 311] as const) {
      const pre = new Uint8Array(7).fill(0xaa);
      const other = encodeStream(fmt, i32(inter(a, b)));
      const body = new Uint8Array(pre.length + other.length);
      body.set(pre);
      body.set(other, pre.length);
      const ax = fmt === 80 ? a.map((v) => v) : a;
      const hea = `rec 4 250 6\nx.dat ${fmt}+7 1(0)/mV 0 0 ${a[0]} ${sum16(a)}\nx.dat ${fmt}+7 1 0 0 ${b[0]} ${sum16(b)}\ny.dat 16 4(2) 16 2 0 ${sum16(a)} 0 third\ny.dat 16 1 16 0 0 ${sum16(b)}\n`;
      const rec = parseRecord({ header: hea, files: { 'x.dat': body, 'y.dat': encodeStream(16, i32(inter(a, b))) } });
      close(rec.signals[0], ax);
      close(rec.signals[1], fmt === 80 ? b.map((v) => v) : b);
      close(rec.signals[2], a.map((v) => (v - 2) / 4));
      close(rec.signals[3], b);
      expect(rec.leads[2]).toBe('third');
    }
  });

  it('integrates format 8 first differences from the initial value', () => {
    const values = [50, 52, 49, 49, 60];
    const diffs = values.map((v, i) => v - (i === 0 ? 47 : values[i - 1]));
    const rec = parseRecord({ header: `r 1 100 5\nr.dat 8 1 8 0 47 ${sum16(values)}\n`, files: { 'r.dat': encodeStream(8, i32(diffs)) } });
    close(rec.signals[0], values);
  });

  it('averages signals with several samples per frame (fs = frame rate)', () => {
    // Signal 0: 2 samples/frame, signal 1: 1 sample/frame; 3 frames.
    const s0 = [1, 3, 5, 7, 10, 20];
    const s1 = [4, 5, 6];
    const stream = [1, 3, 4, 5, 7, 5, 10, 20, 6];
    const rec = parseRecord({ header: `r 2 50 3\nr.dat 16x2 1 16 0 1 ${sum16(s0)}\nr.dat 16 1 16 0 4 ${sum16(s1)}\n`, files: { 'r.dat': encodeStream(16, i32(stream)) } });
    expect(rec.fs).toBe(50);
    close(rec.signals[0], [2, 6, 15]);
    close(rec.signals[1], s1);
  });

  it('applies skew by default (NaN past the end) or ignores it on request', () => {
    const s0 = [1, 2, 3, 4];
    const s1 = [10, 20, 30, 40];
    const dat = encodeStream(16, i32(s0.flatMap((v, i) => [v, s1[i]])));
    const hea = `r 2 100 4\nr.dat 16 1 16 0 1 ${sum16(s0)}\nr.dat 16:1 1 16 0 10 ${sum16(s1)}\n`;
    close(parseRecord({ header: hea, files: { 'r.dat': dat } }).signals[1], [20, 30, 40, NaN]);
    close(parseRecord({ header: hea, files: { 'r.dat': dat } }, { skew: 'ignore' }).signals[1], s1);
    // With an extra frame in the file, the skewed signal uses it.
    const dat5 = encodeStream(16, i32([...s0, 5].flatMap((v, i) => [v, [...s1, 50][i]])));
    close(parseRecord({ header: hea, files: { 'r.dat': dat5 } }).signals[1], [20, 30, 40, 50]);
  });

  it('derives the sample count from the file size when the header has none', () => {
    const rec = parseRecord({ header: 'r 2 100\nr.dat 212\nr.dat 212\n', files: { 'r.dat': encodeStream(212, i32([1, 2, 3, 4, 5, 6])) } });
    expect(rec.signals[0].length).toBe(3);
    close(rec.signals[1], [2, 4, 6].map((v) => v / 200));
  });

  it('checksum policy: error (default), warn, ignore; legacy all-zero headers are unspecified', () => {
    const dat = encodeStream(16, i32([1, 2, 3]));
    const hea = 'r 1 100 3\nr.dat 16 1 16 0 1 7\n';
    expect(() => parseRecord({ header: hea, files: { 'r.dat': dat } })).toThrow(/signal 0 \('record r, signal 0'\) in file 'r.dat' must have the header's checksum 7, but the data sum to 6/);
    const warn = vi.fn();
    expect(parseRecord({ header: hea, files: { 'r.dat': dat } }, { checksum: 'warn', onWarning: warn }).signals[0].length).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(parseRecord({ header: hea, files: { 'r.dat': dat } }, { checksum: 'ignore' }).signals[0].length).toBe(3);
    expect(parseRecord({ header: 'r 1 100 3\nr.dat 16 1 16 0 0 0 0 v1\n', files: { 'r.dat': dat } }).signals[0].length).toBe(3);
    expect(() => parseRecord({ header: hea, files: { 'r.dat': dat } }, { checksum: 'maybe' as 'warn' })).toThrow(/opts.checksum must be one of 'error', 'warn', 'ignore'/);
  });

  it('reads a fixed-layout multi-segment record (null segment → NaN)', () => {
    const files: Record<string, Uint8Array> = {
      's1.hea': new TextEncoder().encode('s1 2 100 2\ns1.dat 16 1 16 0 1 3 0 A\ns1.dat 16 1 16 0 5 11 0 B\n'),
      's1.dat': encodeStream(16, i32([1, 5, 2, 6])),
      's2.hea': new TextEncoder().encode('s2 2 100 3\ns2.dat 212 2 12 0 2 12 0 A\ns2.dat 212 2 12 0 8 24 0 B\n'),
      's2.dat': encodeStream(212, i32([2, 8, 4, 8, 6, 8])),
    };
    const rec = parseRecord({ header: 'm/3 2 100 7\ns1 2\n~ 2\ns2 3\n', files });
    expect(rec.name).toBe('m');
    expect(rec.leads).toEqual(['A', 'B']);
    close(rec.signals[0], [1, 2, NaN, NaN, 1, 2, 3]);
    close(rec.signals[1], [5, 6, NaN, NaN, 4, 4, 4]);
  });

  it('reads a variable-layout multi-segment record, mapping signals by name', () => {
    const enc = (t: string) => new TextEncoder().encode(t);
    const files: Record<string, Uint8Array> = {
      'lay.hea': enc('lay 2 100 0\n~ 0 1/mV 16 0 0 0 0 II\n~ 0 1/mV 16 0 0 0 0 V\n'),
      'a.hea': enc('a 1 100 2\na.dat 16 1 16 0 3 7 0 V\n'),
      'a.dat': encodeStream(16, i32([3, 4])),
      'b.hea': enc('b 2 100 1\nb.dat 16 1000/uV 16 0 9 9 0 II\nb.dat 16 1 16 0 1 1 0 V\n'),
      'b.dat': encodeStream(16, i32([9, 1])),
    };
    const rec = parseRecord({ header: 'm/3 2 100 3\nlay 0\na 2\nb 1\n', files });
    expect(rec.leads).toEqual(['II', 'V']);
    close(rec.signals[0], [NaN, NaN, 9e-6]); // 9 adu / (1000 adu/µV) = 0.009 µV
    close(rec.signals[1], [3, 4, 1]);
  });

  it('refuses a multi-segment record whose segment header is missing', () => {
    expect(() => parseRecord({ header: 'm/1 1 100 2\ns1 2\n', files: {} })).toThrow(/segment header 's1.hea' must be provided in input.files, but it is missing/);
  });

  it('returns an empty record for a header without signals', () => {
    const rec = parseRecord({ header: 'ann_only 0 360\n', files: {} });
    expect(rec).toMatchObject({ name: 'ann_only', fs: 360, leads: [], signals: [] });
  });

  it('errors are BeatSslError naming the file', () => {
    const e = (() => {
      try {
        parseRecord({ header: 'r 1 100 3\nr.dat 16\n', files: {} });
      } catch (err) {
        return err as BeatSslError;
      }
    })();
    expect(e).toBeInstanceOf(BeatSslError);
    expect(e?.message).toBe("Error in parseRecord: signal file 'r.dat' must be provided in input.files, but it is missing.");
  });
});
