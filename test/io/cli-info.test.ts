import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { EXAMPLES, SHARED, sharedPresent } from './helpers';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
  return { code, out, err };
}

describe('beat-ssl info', () => {
  it('summarises LUDB and MIT-BIH records as text', async () => {
    const r = await run(['info', join(EXAMPLES, 'ludb/1'), join(EXAMPLES, 'mitdb/100.hea')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1: 12 leads, 500 Hz, 5000 samples \(10\.00 s\)$/m);
    expect(r.out).toMatch(/^100: 2 leads, 360 Hz, 650000 samples \(1805\.56 s\)$/m);
    expect(r.out).toMatch(/^ {2}MLII +mV +fmt 212 gain 200 +min -?\d+\.\d{3} +max \d+\.\d{3}$/m);
    expect(r.out).toContain('# <age>: 51');
  });

  it('prints one JSON record event per record and a done event with --json', async () => {
    const r = await run(['info', '--json', join(EXAMPLES, 'ptbxl/records100/00000/00001_lr')]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    const j = JSON.parse(lines[0]);
    expect(JSON.parse(lines[1])).toEqual({ event: 'done', records: 1, failed: 0 });
    expect(j).toMatchObject({ event: 'record', name: '00001_lr', fs: 100, samples: 1000, durationSec: 10, segments: 1 });
    expect(j.leads).toHaveLength(12);
    expect(j.signals[0]).toMatchObject({ lead: 'I', unit: 'mV', format: 16, gain: 1000, baseline: 0, file: '00001_lr.dat', nan: 0 });
  });

  it('reports a missing record on stderr with exit code 1 and continues with the others', async () => {
    const r = await run(['info', join(EXAMPLES, 'mitdb/nope'), join(EXAMPLES, 'ludb/2')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/beat-ssl info: .*nope: Error in readHeader: header file '.*nope.hea' must be a readable file, but it does not exist\./);
    expect(r.out).toMatch(/^2: 12 leads/m);
  });

  it('usage errors exit with 2; -h prints help and opens no file', async () => {
    expect((await run(['info'])).code).toBe(2);
    expect((await run(['info', '--checksum', 'maybe', 'x'])).code).toBe(2);
    const h = await run(['info', '-h']);
    expect(h.code).toBe(0);
    expect(h.err).toBe('');
    expect(h.out).toContain('Usage: beat-ssl info');
  });

  it('a folder stands for every record in it', async () => {
    const r = await run(['info', '--json', join(EXAMPLES, 'ludb')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    const recs = lines.filter((l) => l.event === 'record');
    expect(recs.length).toBeGreaterThanOrEqual(2);
    expect(recs.every((l) => l.leads.length === 12)).toBe(true);
    expect(lines[lines.length - 1]).toEqual({ event: 'done', records: recs.length, failed: 0 });
  });

  it('--fail-fast stops at the first bad record with exit 1', async () => {
    const r = await run(['info', '--fail-fast', join(EXAMPLES, 'mitdb/nope'), join(EXAMPLES, 'ludb/2')]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('nope.hea');
  });

  describe.skipIf(!sharedPresent('ptbdb'))('../shared/data', () => {
    it('reads PTB (two signal files, legacy checksums) and QTDB (250/360 Hz) records', async () => {
      const r = await run(['info', '--json', join(SHARED, 'ptbdb/patient001/s0014lre'), join(SHARED, 'qtdb/sele0104'), join(SHARED, 'qtdb/sel100')]);
      expect(r.err).toBe('');
      const [ptb, sele, sel] = r.out.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.event === 'record');
      expect(ptb.leads).toEqual(['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'vx', 'vy', 'vz']);
      expect(ptb.signals[14].file).toBe('s0014lre.xyz');
      expect(ptb.samples).toBe(115200);
      expect(sele.fs).toBe(250);
      expect(sel).toMatchObject({ fs: 250, samples: 225000 });
    });
  });
});
