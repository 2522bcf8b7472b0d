// Sample ranges, channel selection and digital output read only what they need (issue 16 point 9,
// issue 17 point 7).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRecord } from '../../src/io/readRecord';
import { parseRecord } from '../../src/io/record';
import { PARSE_RECORD_KEYS, recordSteps, resolveReadOptions, runAsync, type ByteSource } from '../../src/io/_internal/engine';
import { folderSource } from '../../src/io/_internal/nodeFiles';
import { BeatSslError } from '../../src/core/errors';
import type { ReadRecordOptions } from '../../src/io/record';
import { EXAMPLES, SHARED } from './helpers';

const MITDB = existsSync(join(SHARED, 'mitdb/100.hea')) ? join(SHARED, 'mitdb') : join(EXAMPLES, 'mitdb');

/** Reads a record through the real disk source, counting the bytes of every read request. */
async function countedRead(dir: string, rec: string, opts: ReadRecordOptions): Promise<{ bytes: Record<string, number>; reads: number }> {
  const inner = await folderSource(dir, 'test');
  const bytes: Record<string, number> = {};
  let reads = 0;
  const src: ByteSource = {
    label: inner.label,
    size: inner.size,
    async read(name, start, end, what) {
      const b = await inner.read(name, start, end, what);
      bytes[name] = (bytes[name] ?? 0) + b.length;
      reads++;
      return b;
    },
  };
  await runAsync(recordSteps({ kind: 'file', name: `${rec}.hea` }, resolveReadOptions(opts, PARSE_RECORD_KEYS, 'test'), 'test', src), src);
  return { bytes, reads };
}

/** Bytes read by this process so far (Linux /proc/self/io `rchar`), or null elsewhere. */
function rchar(): number | null {
  try {
    const m = /rchar:\s*(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

describe('from/to and channels on the 30-minute MIT-BIH record 100', () => {
  it('a range equals the same samples of the whole record (212 byte groups split at odd starts)', async () => {
    const full = await readRecord(join(MITDB, '100'));
    for (const [from, to] of [[0, 1], [1, 2], [1, 4], [3, 1000], [12345, 23456], [649999, 650000], [650000, 650000]]) {
      const part = await readRecord(join(MITDB, '100'), { from, to });
      part.signals.forEach((s, i) => expect(Array.from(s), `${from}-${to} lead ${i}`).toEqual(Array.from(full.signals[i].subarray(from, to))));
    }
    const sec = await readRecord(join(MITDB, '100'), { fromSec: 60, toSec: 120 });
    expect(sec.signals[0].length).toBe(21600);
    expect(Array.from(sec.signals[1])).toEqual(Array.from(full.signals[1].subarray(21600, 43200)));
    const v5 = await readRecord(join(MITDB, '100'), { channels: ['V5'], from: 100, to: 200 });
    expect(v5.leads).toEqual(['V5']);
    expect(Array.from(v5.signals[0])).toEqual(Array.from(full.signals[1].subarray(100, 200)));
    const swapped = await readRecord(join(MITDB, '100'), { channels: [1, 0], to: 10 });
    expect(swapped.leads).toEqual(['V5', 'MLII']);
  });

  it('reads only the byte range of the signal file (one minute: 64,800 of 1,950,000 bytes)', async () => {
    const whole = await countedRead(MITDB, '100', {});
    expect(whole.bytes['100.dat']).toBe(1_950_000);
    const minute = await countedRead(MITDB, '100', { fromSec: 60, toSec: 120 });
    expect(minute.bytes['100.dat']).toBe(21600 * 2 * 1.5);
    const odd = await countedRead(MITDB, '100', { from: 1001, to: 1002 });
    expect(odd.bytes['100.dat']).toBe(3); // frame 1001 = stream samples 2002–2003: one 3-byte 212 group
  });

  it.skipIf(rchar() === null)('the process really reads less from disk (/proc/self/io rchar)', async () => {
    const r0 = rchar() as number;
    await readRecord(join(MITDB, '100'), { fromSec: 60, toSec: 120 });
    const r1 = rchar() as number;
    await readRecord(join(MITDB, '100'));
    const r2 = rchar() as number;
    expect(r1 - r0).toBeLessThan(300_000);
    expect(r2 - r1).toBeGreaterThanOrEqual(1_950_000);
  });

  it('digital output is exact Int32 with gain and baseline; physical = (d − baseline)/gain', async () => {
    const d = await readRecord(join(MITDB, '100'), { digital: true, to: 1000 });
    const p = await readRecord(join(MITDB, '100'), { to: 1000 });
    expect(d.signals[0]).toBeInstanceOf(Int32Array);
    expect(d).toMatchObject({ gain: [200, 200], baseline: [1024, 1024], invalid: [-2048, -2048], samplesPerFrame: [1, 1], units: ['mV', 'mV'] });
    for (let t = 0; t < 1000; t++) expect(p.signals[0][t]).toBe(Math.fround((d.signals[0][t] - 1024) / 200));
  });

  it('bad ranges and channels are clear errors', async () => {
    const base = join(MITDB, '100');
    const err = async (o: object) => {
      try {
        await readRecord(base, o);
      } catch (e) {
        expect(e).toBeInstanceOf(BeatSslError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(await err({ to: 650001 })).toMatch(/opts\.to must be at most the record's length 650000 samples \(1805\.556 s at 360 Hz\)/);
    expect(await err({ toSec: 3600 })).toMatch(/opts\.toSec must be at most the record's length/);
    expect(await err({ from: 10, to: 5 })).toMatch(/opts\.to must be ≥ the start \(sample 10\), but got sample 5/);
    expect(await err({ from: 1, fromSec: 1 })).toMatch(/opts must give the start once/);
    expect(await err({ from: -1 })).toMatch(/opts\.from must be an integer ≥ 0/);
    expect(await err({ channels: ['II'] })).toMatch(/opts\.channels must name signals of record '100' \('MLII', 'V5'\), but got "II"/);
    expect(await err({ channels: [0, 0] })).toMatch(/appears twice/);
    expect(await err({ channels: [2] })).toMatch(/indices below 2/);
    expect(await err({ frames: 'mean', digital: true })).toMatch(/opts\.frames must be 'getvec' or 'expanded' with digital: true/);
    expect(await err({ sampfrom: 3 })).toMatch(/opts must have only the keys .* but got unknown key 'sampfrom'/);
  });
});

describe('parseRecord parts', () => {
  it('skew with a range reads frames past the range (and past the end when present)', () => {
    // 2 signals, one skewed by 2 frames; 6 frames stored, header says 4.
    const header = 'k 2 10 4\nk.dat 16:2\nk.dat 16\n';
    const v = [10, 20, 11, 21, 12, 22, 13, 23, 14, 24, 15, 25];
    const dat = new Uint8Array(new Int16Array(v).buffer);
    const full = parseRecord({ header, files: { 'k.dat': dat } }, { digital: true, checksum: 'ignore' });
    expect(Array.from(full.signals[0])).toEqual([12, 13, 14, 15]);
    expect(Array.from(full.signals[1])).toEqual([20, 21, 22, 23]);
    const part = parseRecord({ header, files: { 'k.dat': dat } }, { digital: true, from: 1, to: 3 });
    expect(Array.from(part.signals[0])).toEqual([13, 14]);
    expect(Array.from(part.signals[1])).toEqual([21, 22]);
    // Without the extra frames in the file, the skewed tail is invalid.
    const short = parseRecord({ header, files: { 'k.dat': dat.subarray(0, 16) } }, { digital: true, checksum: 'ignore' });
    expect(Array.from(short.signals[0])).toEqual([12, 13, -32768, -32768]);
  });

  it('format 8 ranges integrate from the start of the file', () => {
    const header = 'e 1 10 5\ne.dat 8 200 12 0 100\n';
    const diffs = new Uint8Array([0, 5, 0xfd, 10, 1]); // 100, 105, 102, 112, 113
    const d = parseRecord({ header, files: { 'e.dat': diffs } }, { digital: true, from: 2, to: 5 });
    expect(Array.from(d.signals[0])).toEqual([102, 112, 113]);
    expect(d.invalid).toEqual([-(2 ** 31)]);
  });

  it('null (format 0) signals read as NaN / the invalid code, and count as no file', () => {
    const r = parseRecord({ header: 'z 2 10 3\nz.dat 16\nz.dat 0\n', files: { 'z.dat': new Uint8Array(6) } });
    expect(Array.from(r.signals[1]).every(Number.isNaN)).toBe(true);
    const d = parseRecord({ header: 'z 2 10 3\nz.dat 16\nz.dat 0\n', files: { 'z.dat': new Uint8Array(6) } }, { digital: true });
    expect(Array.from(d.signals[1])).toEqual([-32768, -32768, -32768]);
  });
});
