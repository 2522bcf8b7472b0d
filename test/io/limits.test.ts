// Reliability of the readers on hostile headers (issue 17, points 2–4): budgets checked before
// allocation, file names confined to the record's folder, numeric header fields kept finite.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecord, readHeader } from '../../src/io/readRecord';
import { parseRecord, DEFAULT_MAX_SAMPLES } from '../../src/io/record';
import { parseHeader } from '../../src/io/header';
import { readAnnotations } from '../../src/io/readAnnotations';
import { BeatSslError } from '../../src/core/errors';
import { main } from '../../src/cli/main';
import { EXAMPLES } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

async function rejection(p: Promise<unknown>): Promise<BeatSslError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof BeatSslError)) throw new Error(`expected a BeatSslError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    return e;
  }
  throw new Error('expected a rejection');
}

/** Runs `f`, returning its duration and the growth of ArrayBuffer memory it caused. */
async function measured<T>(f: () => Promise<T>): Promise<{ ms: number; grewMB: number; value: T }> {
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, grewMB: (process.memoryUsage().arrayBuffers - before) / 2 ** 20, value };
}

describe('budgets: checked before allocation, every format and segment', () => {
  it("a 30-byte format-0 header claiming 2^28 samples is refused at once (issue repro 'z')", async () => {
    write('z.hea', 'z 1 500 268435456\nz.dat 0\n');
    const r = await measured(() => rejection(readRecord(join(dir, 'z'))));
    expect(r.value.message).toMatch(/^Error in readRecord: opts\.maxSamples must cover the samples returned for record 'z', but the result would hold 268435456 samples \(1 signals × 268435456 frames\) > 134217728; pass \{ maxSamples: 268435456 \} \(or more\) to raise the budget, or read a part with \{ from, to \} or \{ channels \}\.$/);
    expect(r.ms).toBeLessThan(3000); // was 2.9 s (1 signal) and 19 s (8 segments) before the budget; ~ms now
    expect(r.grewMB).toBeLessThan(64);
  });

  it('24 such signals: a library error, not RangeError: Array buffer allocation failed', async () => {
    write('z24.hea', `z24 24 500 268435456\n${'z24.dat 0\n'.repeat(24)}`);
    const e = await rejection(readRecord(join(dir, 'z24')));
    expect(e.message).toMatch(/opts\.maxSamples .* 6442450944 samples \(24 signals × 268435456 frames\)/);
  });

  it('a multi-segment header pointing 8× at a huge segment is refused before any segment is decoded', async () => {
    write('zseg.hea', 'zseg 1 500 33554432\nzseg.dat 0\n'); // 2^25 each: under the budget alone
    write('m8.hea', `m8/8 1 500 268435456\n${'zseg 33554432\n'.repeat(8)}`);
    const r = await measured(() => rejection(readRecord(join(dir, 'm8'))));
    expect(r.value.message).toMatch(/opts\.maxSamples must cover the samples .* record 'm8'/);
    expect(r.ms).toBeLessThan(3000); // was 2.9 s (1 signal) and 19 s (8 segments) before the budget; ~ms now
    expect(r.grewMB).toBeLessThan(64);
  });

  it('the budget is configurable and covers parseRecord too', () => {
    const header = 'n 2 100 1000\nn.dat 0\nn.dat 0\n';
    expect(() => parseRecord({ header, files: {} }, { maxSamples: 1999 })).toThrow(/maxSamples must cover .* 2000 samples .* pass \{ maxSamples: 2048 \}/);
    const rec = parseRecord({ header, files: {} }, { maxSamples: 2000 });
    expect(rec.signals.map((s) => s.length)).toEqual([1000, 1000]);
    expect(Number.isNaN(rec.signals[0][999])).toBe(true);
    expect(DEFAULT_MAX_SAMPLES).toBe(2 ** 27);
  });

  it('maxBytes bounds the bytes read (header and signal files), naming the option', async () => {
    const e = await rejection(readRecord(join(EXAMPLES, 'mitdb/100'), { maxBytes: 100_000 }));
    expect(e.message).toMatch(/^Error in readRecord: opts\.maxBytes must cover the bytes read for record '100', but reading 1950000 bytes of '.*100\.dat' after \d+ brings it to \d+ > 100000 bytes; pass \{ maxBytes: 2097152 \}/);
    // A part of the record fits a small budget: only its bytes are read.
    const part = await readRecord(join(EXAMPLES, 'mitdb/100'), { maxBytes: 100_000, from: 0, to: 3600 });
    expect(part.signals[0].length).toBe(3600);
  });

  it('samples per frame count in the decoded budget', () => {
    const header = 'f 1 10 100\nf.dat 16x1000\n';
    expect(() => parseRecord({ header, files: { 'f.dat': new Uint8Array(200_000) } }, { maxSamples: 50_000, checksum: 'ignore' })).toThrow(/opts\.maxSamples must cover the samples decoded .* 100000 > 50000/);
  });
});

describe('file names in headers stay inside the record folder', () => {
  it("refuses '../../../../etc/passwd' as a signal file (issue repro)", async () => {
    write('trav/t.hea', 't 1 250 16\n../../../../etc/passwd 16 1 16 0\n');
    const e = await rejection(readRecord(join(dir, 'trav/t')));
    expect(e.message).toMatch(/^Error in readRecord: header file '.*t\.hea': the file name of signal 0 must be a file name inside the record's folder \(relative, no '\.\.', no absolute path\), but got "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" \(it contains a '\.\.' component\)\.$/);
  });

  it('refuses absolute paths, drive letters, URLs and backslashes', () => {
    for (const [name, why] of [
      ['/etc/passwd', 'absolute path'],
      ['C:/x.dat', 'drive letter'],
      ['http://evil/x.dat', 'URL'],
      ['..\\x.dat', 'backslash'],
      ['a/./b.dat', "'.' component"],
    ]) {
      expect(() => parseRecord({ header: `r 1 250 2\n${name} 16\n`, files: { [name]: new Uint8Array(4) } }), name).toThrow(new RegExp(why));
    }
    // A sub-folder inside the record folder is fine.
    const rec = parseRecord({ header: 'r 1 250 2\nsub/r.dat 16\n', files: { 'sub/r.dat': new Uint8Array([1, 0, 2, 0]) } });
    expect(Array.from(rec.signals[0])).toEqual([0.005, 0.01].map(Math.fround));
  });

  it('refuses segment names that leave the folder', async () => {
    write('segs/m.hea', 'm/2 1 250 4\n../outside 2\n/abs 2\n');
    const e = await rejection(readRecord(join(dir, 'segs/m')));
    expect(e.message).toMatch(/segment '\.\.\/outside' must be a file name inside the record's folder/);
  });

  it('refuses annotator names that leave the folder', async () => {
    await expect(readAnnotations(join(EXAMPLES, 'mitdb/100'), '../../x')).rejects.toThrow(/annotator must be an annotation file extension/);
    await expect(readAnnotations(join(EXAMPLES, 'mitdb/100'), '/etc/passwd')).rejects.toThrow(BeatSslError);
    expect((await readAnnotations(join(EXAMPLES, 'mitdb/100'), 'atr')).length).toBe(2274);
  });
});

describe('numeric header fields stay where results are finite', () => {
  it('a gain of 1e-300 is an error, not ±Infinity (issue repro)', () => {
    expect(() => parseHeader('x 1 250 2\nx.dat 16 1e-300\n')).toThrow(/ADC gain \(non-zero\) must be a number whose magnitude is in \[1e-12, 1000000000000\] \(so that every derived value stays finite\), but got "1e-300"/);
    expect(() => parseHeader('x 1 250 2\nx.dat 16 1e300\n')).toThrow(/ADC gain/);
    expect(() => parseHeader('x 1 1e12 2\nx.dat 16\n')).toThrow(/sampling frequency \(Hz\) must be a number in \[0\.000001, 1000000000\]/);
    expect(() => parseHeader('x 1 250 2\nx.dat 16 200(99999999999)\n')).toThrow(/baseline must be an integer in \[-2147483648, 2147483647\]/);
    expect(() => parseHeader('x 1 250 2\nx.dat 16x9999999\n')).toThrow(/samples per frame must be an integer in \[1, 1048576\]/);
    expect(() => parseHeader('x 1 250 2\nx.dat 16 200 99\n')).toThrow(/ADC resolution must be an integer in \[0, 32\]/);
    expect(() => parseHeader('x 1 250/1e300 2\nx.dat 16\n')).toThrow(/counter frequency/);
    expect(() => parseHeader('x 999999999 250\n')).toThrow(/number of signals must be an integer in \[0, 100000\]/);
  });

  it('extreme in-range gains, baselines and units still give finite values', () => {
    for (const gain of ['1e-12', '-1e-12', '1e12']) {
      for (const units of ['V', 'nV', 'mV']) {
        const header = `x 1 250 2\nx.dat 32 ${gain}(-2147483648)/${units}\n`;
        const dat = new Uint8Array([0xff, 0xff, 0xff, 0x7f, 0x01, 0x00, 0x00, 0x80]); // 2^31−1, −2^31+1
        const rec = parseRecord({ header, files: { 'x.dat': dat } }, { checksum: 'ignore' });
        for (const v of rec.signals[0]) expect(Number.isFinite(v), `${gain} ${units} ${v}`).toBe(true);
      }
    }
  });

  it('header objects given to parseRecord are validated like text', () => {
    const h = parseHeader('x 1 250 2\nx.dat 16 200\n');
    h.signals[0].gain = 1e-300;
    expect(() => parseRecord({ header: h, files: { 'x.dat': new Uint8Array(4) } })).toThrow(/^Error in parseRecord: input\.header: .*ADC gain/);
  });
});

describe('beat-ssl info on a hostile header', () => {
  it('prints the library error (not a raw RangeError) and exits 1', async () => {
    write('zi.hea', `zi 24 500 268435456\n${'zi.dat 0\n'.repeat(24)}`);
    let out = '';
    let err = '';
    const code = await main(['info', join(dir, 'zi')], { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^beat-ssl info: (.*zi: )?Error in readRecord: opts\.maxSamples must cover/);
    expect(err).not.toMatch(/RangeError/);
  });

  it('readHeader still reads such a header (it allocates nothing)', async () => {
    expect((await readHeader(join(dir, 'zi'))).nSamples).toBe(268435456);
  });
});
