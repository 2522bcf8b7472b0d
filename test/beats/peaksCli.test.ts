import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTTY: false }, out, err };
}

describe('beat-ssl peaks', () => {
  it('prints one JSON line per record with all leads by default', async () => {
    const c = capture();
    const code = await main(['peaks', 'examples/data/ludb/1', 'examples/data/ludb/2.hea', '--json'], c.io);
    expect(code).toBe(0);
    const lines = c.out.join('').trim().split('\n');
    expect(lines).toHaveLength(3);
    const a = JSON.parse(lines[0]);
    expect(a.event).toBe('record');
    expect(JSON.parse(lines[2])).toMatchObject({ event: 'done', records: 2, failed: 0 });
    expect(a.record).toBe('examples/data/ludb/1');
    expect(a.fs).toBe(500);
    expect(a.peaks.length).toBeGreaterThan(5);
    expect(a.peaks.every((p: number) => Number.isInteger(p) && p >= 0 && p < 5000)).toBe(true);
    expect(JSON.parse(lines[1]).record).toBe('examples/data/ludb/2.hea');
  });
  it('selects a lead by name and prints text without --json', async () => {
    const c = capture();
    expect(await main(['peaks', 'examples/data/ludb/1', '--lead', 'II', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('').split('\n')[0]).peaks.length).toBeGreaterThan(5);
    const t = capture();
    expect(await main(['peaks', 'examples/data/ludb/1'], t.io)).toBe(0);
    expect(t.out.join('')).toMatch(/R peaks in 10\.0 s/);
  });
  it('reports a bad lead name (per record, the batch goes on) and missing arguments', async () => {
    const c = capture();
    expect(await main(['peaks', 'examples/data/mitdb/100', 'examples/data/ludb/1', '--lead', 'V1'], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/^beat-ssl peaks: examples\/data\/mitdb\/100: Error in beat-ssl peaks: --lead must be one of MLII, V5 or all for this record, but got "V1"\.$/m);
    expect(c.out.join('')).toMatch(/^1: \d+ R peaks/m);
    const d = capture();
    expect(await main(['peaks'], d.io)).toBe(2);
    const e = capture();
    expect(await main(['peaks', 'examples/data/nope/1'], e.io)).toBe(1);
  });
});
