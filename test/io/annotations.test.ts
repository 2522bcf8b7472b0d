import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { encodeAnnotations, parseAnnotations, wfdbAnnotationCode, WFDB_ANNOTATION_SYMBOLS } from '../../src/io/annotations';
import { readAnnotations, writeAnnotations } from '../../src/io/readAnnotations';
import { BeatSslError } from '../../src/core/errors';
import type { Annotation } from '../../src/core/types';
import { bytes, EXAMPLES, SHARED, sharedPresent } from './helpers';

const LEADS = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
const ann = (sample: number, symbol: string, extra: Partial<Annotation> = {}): Annotation => ({ sample, symbol, subtype: 0, chan: 0, num: 0, aux: '', ...extra });

describe('annotation symbol table', () => {
  it('maps WFDB ecgcodes to mnemonics and back', () => {
    const expected = 'N L R a V F J A S E j / Q ~ | s T * D " = p B ^ t + u ? ! [ ] e n @ x f ( ) r'.split(' ');
    for (const s of expected) expect(WFDB_ANNOTATION_SYMBOLS[wfdbAnnotationCode(s)]).toBe(s);
    expect(wfdbAnnotationCode('N')).toBe(1);
    expect(wfdbAnnotationCode('V')).toBe(5);
    expect(wfdbAnnotationCode('p')).toBe(24);
    expect(wfdbAnnotationCode('t')).toBe(27);
    expect(wfdbAnnotationCode('+')).toBe(28);
    expect(wfdbAnnotationCode('(')).toBe(39);
    expect(wfdbAnnotationCode(')')).toBe(40);
    expect(wfdbAnnotationCode('[42]')).toBe(42);
    expect(() => wfdbAnnotationCode('{')).toThrow(BeatSslError);
  });
});

describe('parseAnnotations / readAnnotations', () => {
  it('decodes MIT-BIH 100.atr (2274 annotations: 2239 N, 33 A, 1 V, 1 rhythm +(N)', async () => {
    const a = await readAnnotations(join(EXAMPLES, 'mitdb/100.atr'));
    expect(a).toHaveLength(2274);
    expect(a[0]).toEqual(ann(18, '+', { aux: '(N' }));
    expect(a[1]).toEqual(ann(77, 'N'));
    const counts: Record<string, number> = {};
    for (const x of a) counts[x.symbol] = (counts[x.symbol] ?? 0) + 1;
    expect(counts).toEqual({ '+': 1, N: 2239, A: 33, V: 1 });
    expect(a[a.length - 1].sample).toBeLessThan(650000);
    for (let i = 1; i < a.length; i++) expect(a[i].sample).toBeGreaterThanOrEqual(a[i - 1].sample);
  });

  it('decodes LUDB per-lead files: waves bracketed as ( peak ) with p, N, t peaks', async () => {
    for (const lead of LEADS) {
      const a = await readAnnotations(join(EXAMPLES, `ludb/1.${lead}`));
      expect(a.length).toBeGreaterThan(20);
      expect(new Set(a.map((x) => x.symbol))).toEqual(new Set(['(', ')', 'p', 'N', 't']));
      // Every peak is followed by an offset, and the wave between ( and ) has exactly one peak.
      for (let i = 0; i < a.length; i++) {
        if (a[i].symbol === '(') {
          expect(['p', 'N', 't']).toContain(a[i + 1].symbol);
          expect(a[i + 2].symbol).toBe(')');
        }
      }
    }
    const ii = await readAnnotations(join(EXAMPLES, 'ludb/1.ii'));
    expect(ii.slice(0, 3)).toEqual([ann(644, '('), ann(662, 'N'), ann(682, ')')]);
  });

  it('handles SKIP, NUM, SUB, CHN and AUX (chan/num carry over; subtype/aux reset)', () => {
    const list = [
      ann(5, 'N'),
      ann(5000, 'V', { subtype: -3, chan: 1, num: 7, aux: 'odd' }),
      ann(5001, 'N'),
      ann(3_000_000_000, '+', { chan: 0, aux: '(AFIB' }),
      ann(3_000_000_000, '~', { num: -2, subtype: 5 }),
    ];
    const bytesOut = encodeAnnotations(list);
    const back = parseAnnotations(bytesOut);
    expect(back).toEqual(list);
    // Hand-made: N at 10 with CHN 3, NUM 2, SUB 1; then V at 12 without modifiers → chan 3, num 2, subtype 0.
    const w = [(1 << 10) | 10, (62 << 10) | 3, (60 << 10) | 2, (61 << 10) | 1, (5 << 10) | 2, 0];
    const b = new Uint8Array(w.flatMap((x) => [x & 255, x >> 8]));
    expect(parseAnnotations(b)).toEqual([ann(10, 'N', { chan: 3, num: 2, subtype: 1 }), ann(12, 'V', { chan: 3, num: 2 })]);
  });

  it('custom mnemonics round-trip through a definition block; time-resolution notes and code 0 are skipped', () => {
    const list = [ann(0, 'N'), ann(10, 'Pon'), ann(20, 'QRSoff', { aux: 'x' }), ann(30, 'Pon'), ann(40, '[45]')];
    const b = encodeAnnotations(list);
    expect(parseAnnotations(b)).toEqual(list);
    // A '## time resolution' NOTE at sample 0, a code-0 word with a time step, then N.
    const aux = '## time resolution: 360';
    const w = [(22 << 10) | 0, (63 << 10) | aux.length];
    for (let k = 0; k < aux.length; k += 2) w.push(aux.charCodeAt(k) | ((aux.charCodeAt(k + 1) || 0) << 8));
    w.push(5, (1 << 10) | 7, 0);
    expect(parseAnnotations(new Uint8Array(w.flatMap((x) => [x & 255, x >> 8])))).toEqual([ann(12, 'N')]);
    expect(() => encodeAnnotations([ann(0, '"', { aux: '## end of definitions' })])).toThrow(/no definition-table note/);
    // WFDB C style table entry without markers: NOTE '42 CAL Calibration' at 0 names code 42.
    const c = [(22 << 10) | 0, (63 << 10) | 18, ...Array.from({ length: 9 }, (_, k) => '42 CAL Calibration'.charCodeAt(2 * k) | ('42 CAL Calibration'.charCodeAt(2 * k + 1) << 8)), (42 << 10) | 9, 0];
    expect(parseAnnotations(new Uint8Array(c.flatMap((x) => [x & 255, x >> 8])))).toEqual([ann(9, 'CAL')]);
    // Other NOTEs at sample 0 are ordinary annotations.
    expect(parseAnnotations(encodeAnnotations([ann(0, '"', { aux: 'gqrs -r 100' })]))).toEqual([ann(0, '"', { aux: 'gqrs -r 100' })]);
    expect(() => encodeAnnotations(Array.from({ length: 11 }, (_, k) => ann(k, `c${k}`)))).toThrow(/at most 10 custom mnemonics/);
  });

  it('re-encodes LUDB files byte for byte, and MIT-BIH files to the same annotations', () => {
    for (let r = 1; r <= 8; r++) {
      for (const lead of LEADS) {
        const b = bytes(join(EXAMPLES, `ludb/${r}.${lead}`));
        expect(Buffer.from(encodeAnnotations(parseAnnotations(b))).equals(Buffer.from(b)), `ludb/${r}.${lead}`).toBe(true);
      }
    }
    const atr = parseAnnotations(bytes(join(EXAMPLES, 'mitdb/100.atr')));
    expect(parseAnnotations(encodeAnnotations(atr))).toEqual(atr);
  });

  it('writeAnnotations → readAnnotations round-trips and leaves no temporary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-ann-'));
    try {
      const a = await readAnnotations(join(EXAMPLES, 'mitdb/100.atr'));
      await writeAnnotations(join(dir, '100.qrs'), a);
      expect(await readAnnotations(join(dir, '100.qrs'))).toEqual(a);
      expect(readdirSync(dir)).toEqual(['100.qrs']);
      await expect(writeAnnotations(join(dir, 'bad.qrs'), [ann(10, 'N'), ann(5, 'N')])).rejects.toThrow(/annotations\[1\].sample must be ≥ the previous annotation's sample 10/);
      expect(readdirSync(dir)).toEqual(['100.qrs']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad files with BeatSslError naming the file', async () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /'x.atr' must contain at least the end-of-file word, but it is empty/],
      [new Uint8Array([1, 4, 0]), /even number of bytes/],
      [new Uint8Array([1, 4]), /must end with the end-of-file word/],
      [new Uint8Array([0, 0xec, 0, 0]), /a SKIP word .* must be followed by a 4-byte interval/],
      [new Uint8Array([1, 4, 3, 0xfc, 0x41, 0]), /an AUX field .* must have 3 bytes of text, but the file ends/],
      [new Uint8Array([5, 0xf8, 0, 0]), /a CHN word at byte 0 must follow an annotation/],
      [new Uint8Array([0, 0xec, 0xff, 0xff, 0xff, 0xff, 0, 4, 0, 0]), /annotation times must be non-negative/],
    ];
    for (const [b, re] of cases) expect(() => parseAnnotations(b, 'x.atr')).toThrow(re);
    await expect(readAnnotations(join(EXAMPLES, 'mitdb/nope.atr'))).rejects.toThrow(/annotation file '.*nope.atr' must be a readable file, but it does not exist/);
    await expect(readAnnotations(join(EXAMPLES, 'mitdb/100.hea'))).rejects.toThrow(BeatSslError);
    expect(() => encodeAnnotations([ann(1, 'a b')])).toThrow(/annotations\[0\].symbol must be a WFDB mnemonic or a custom mnemonic without white space/);
    expect(() => encodeAnnotations([ann(1, 'N', { chan: 300 })])).toThrow(/chan must be an integer in \[0, 255\]/);
    expect(() => encodeAnnotations([ann(1, 'N', { aux: 'x'.repeat(256) })])).toThrow(/aux must be a string of at most 255/);
  });

  describe.skipIf(!sharedPresent('ludb'))('LUDB 1–160 in ../shared/data', () => {
    it('wave totals: every wave has one peak; counts per lead are consistent', async () => {
      const totals: Record<string, number> = { p: 0, N: 0, t: 0 };
      for (let r = 1; r <= 160; r++) {
        for (const lead of LEADS) {
          for (const a of await readAnnotations(join(SHARED, `ludb/${r}.${lead}`))) if (a.symbol in totals) totals[a.symbol]++;
        }
      }
      // README totals over all 200 records: 21,966 QRS, 19,666 T, 16,797 P; records 1–160 hold ~80%.
      expect(totals).toEqual({ p: 12889, N: 17477, t: 15617 });
      expect(totals.N / 21966).toBeGreaterThan(0.75);
      expect(totals.N / 21966).toBeLessThan(0.85);
    });
  });
});
