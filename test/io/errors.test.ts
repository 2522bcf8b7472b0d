import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readRecord } from '../../src/io/readRecord';
import { BeatSslError } from '../../src/core/errors';
import { EXAMPLES } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Copies MIT-BIH 100 into the temp dir under `name`, optionally rewriting header and data. */
function make(name: string, edit: { hea?: (t: string) => string; dat?: (b: Buffer) => Buffer } = {}): string {
  const hea = readFileSync(join(EXAMPLES, 'mitdb/100.hea'), 'utf8').replace(/^100 /, `${name} `).replace(/100\.dat/g, `${name}.dat`);
  writeFileSync(join(dir, `${name}.hea`), edit.hea ? edit.hea(hea) : hea);
  const dat = readFileSync(join(EXAMPLES, 'mitdb/100.dat'));
  writeFileSync(join(dir, `${name}.dat`), edit.dat ? edit.dat(dat) : dat);
  return join(dir, name);
}

async function errorOf(p: Promise<unknown>): Promise<BeatSslError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BeatSslError);
    return e as BeatSslError;
  }
  throw new Error('expected a BeatSslError');
}

describe('readRecord on bad input', () => {
  it('reads the untouched copy', async () => {
    expect((await readRecord(make('ok'))).signals[0].length).toBe(650000);
  });
  it('truncated .dat → names the file and the shortfall', async () => {
    const e = await errorOf(readRecord(make('trunc', { dat: (b) => b.subarray(0, 1_000_000) })));
    expect(e.message).toMatch(/^Error in readRecord: signal file '.*trunc.dat' must hold 650000 frames of 2 format-212 samples \(1950000 bytes\), but it ends after 1000000 bytes \(truncated file, or the header overstates the number of samples\)\.$/);
  });
  it('header lying about the length → same error', async () => {
    const e = await errorOf(readRecord(make('liar', { hea: (t) => t.replace('650000', '650001') })));
    expect(e.message).toMatch(/liar.dat' must hold 650001 frames/);
  });
  it('header understating the length → checksum mismatch (never silently wrong)', async () => {
    const e = await errorOf(readRecord(make('short', { hea: (t) => t.replace('650000', '600000') })));
    expect(e.message).toMatch(/signal 0 \('MLII'\) in file '.*short.dat' must have the header's checksum -22131, but the data sum to/);
  });
  it('corrupted bytes → checksum mismatch naming the file', async () => {
    const e = await errorOf(readRecord(make('flip', { dat: (b) => { const c = Buffer.from(b); c[12345] ^= 0x5a; return c; } })));
    expect(e.message).toMatch(/in file '.*flip.dat' must have the header's checksum/);
  });
  it('unknown format → names the header file and the format', async () => {
    const e = await errorOf(readRecord(make('fmt', { hea: (t) => t.replace(/ 212 /g, ' 213 ') })));
    expect(e.message).toMatch(/^Error in readRecord: header file '.*fmt.hea': line 2 \(signal 0\): format must be one of 0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311, 508, 516, 524 \(unsupported WFDB format\), but got "213"\.$/);
  });
  it('missing header / missing signal file', async () => {
    const e1 = await errorOf(readRecord(join(dir, 'nothing')));
    expect(e1.message).toMatch(/^Error in readRecord: header file '.*nothing.hea' must be a readable file, but it does not exist\.$/);
    const p = make('nodat');
    rmSync(`${p}.dat`);
    const e2 = await errorOf(readRecord(p));
    expect(e2.message).toMatch(/signal file '.*nodat.dat' must be a readable file, but it does not exist/);
  });
  it('empty header, garbage header, empty .dat', async () => {
    writeFileSync(join(dir, 'empty.hea'), '');
    expect((await errorOf(readRecord(join(dir, 'empty')))).message).toMatch(/header file '.*empty.hea' must contain a record line, but it is empty/);
    copyFileSync(join(EXAMPLES, 'mitdb/100.dat'), join(dir, 'garbage.hea'));
    expect((await errorOf(readRecord(join(dir, 'garbage')))).message).toMatch(/header file '.*garbage.hea'/);
    const e = await errorOf(readRecord(make('emptydat', { dat: () => Buffer.alloc(0) })));
    expect(e.message).toMatch(/emptydat.dat' must hold 650000 frames .* but it ends after 0 bytes/);
  });
  it('bad options and arguments', async () => {
    await expect(readRecord('')).rejects.toThrow(/base must be a record path/);
    await expect(readRecord(make('opt'), { checksum: 'no' as 'warn' })).rejects.toThrow(/opts.checksum must be one of/);
  });
  it('a lying null-segment length is refused before allocating', async () => {
    writeFileSync(join(dir, 'ms.hea'), 'ms/1 1 100 999999999999\n~ 999999999999\n');
    expect((await errorOf(readRecord(join(dir, 'ms')))).message).toMatch(/opts.maxSamples must cover the samples returned for record 'ms', but the result would hold 999999999999 samples/);
  });
});
