import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { REPO } from './_helpers';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTTY: false }, out, err };
}

describe('beat-ssl plot --help', () => {
  it('lists every option with units and defaults', async () => {
    const c = capture();
    expect(await main(['plot', '--help'], c.io)).toBe(0);
    const help = c.out.join('');
    for (const opt of ['--out', '--layout <auto|3x4|12x1>', '--segment', '--start', '--duration', '--mm-per-sec', '--mm-per-mv', '--json']) expect(help).toContain(opt);
    expect(help).toContain('(mm/s) (default: 25)');
    expect(help).toContain('--[no-]peaks');
    expect(help).toContain('--[no-]grid');
  });

  it('--no-grid and --no-peaks draw no grid and no peak marks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-plot-cli-'));
    const a = join(dir, 'a.svg');
    const b = join(dir, 'b.svg');
    expect(await main(['plot', join(REPO, 'examples/data/ludb/1'), '--out', a], capture().io)).toBe(0);
    expect(await main(['plot', join(REPO, 'examples/data/ludb/1'), '--out', b, '--no-grid', '--no-peaks'], capture().io)).toBe(0);
    const sa = readFileSync(a, 'utf8');
    const sb = readFileSync(b, 'utf8');
    expect(sa).toMatch(/class="r-peak"/);
    expect(sb).not.toMatch(/class="r-peak"/);
    expect(sa).toMatch(/<g class="grid">/);
    expect(sb).not.toMatch(/<g class="grid">/);
  });

  it('names the bad option and value', async () => {
    const c = capture();
    expect(await main(['plot', 'x', '--layout', '6x2'], c.io)).toBe(2);
    expect(c.err.join('')).toContain("option --layout must be one of auto, 3x4, 12x1, but got '6x2'");
    const c2 = capture();
    expect(await main(['plot'], c2.io)).toBe(2);
    expect(c2.err.join('')).toContain('needs exactly one record path');
  });
});

describe('beat-ssl plot <record>', () => {
  it('writes a 3x4 SVG of an embedded LUDB record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-plot-cli-'));
    const out = join(dir, 'ludb1.svg');
    const c = capture();
    const code = await main(['plot', join(REPO, 'examples/data/ludb/1'), '--out', out, '--json'], c.io);
    expect(c.err.join('')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const [info, done] = c.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(info).toMatchObject({ event: 'record', out, layout: '3x4', fs: 500 });
    expect(done).toEqual({ event: 'done', records: 1, failed: 0, outputs: { svg: out } });
    const svg = readFileSync(out, 'utf8');
    expect((svg.match(/<g class="lead" /g) ?? []).length).toBe(12);
    if (info.peaks !== null) expect((svg.match(/class="r-peak"/g) ?? []).length).toBeGreaterThan(20);
    expect(readdirSync(dir)).toEqual(['ludb1.svg']); // no temp files left
  });

  it('uses one row per lead for a 2-lead MIT-BIH record (auto layout) and a window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-plot-cli-'));
    const out = join(dir, '100.svg');
    const c = capture();
    expect(await main(['plot', join(REPO, 'examples/data/mitdb/100.hea'), '--out', out, '--start', '60', '--duration', '5'], c.io)).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect([...svg.matchAll(/<g class="lead" data-lead="([^"]+)"/g)].map((m) => m[1])).toEqual(['II', 'V5']);
    expect(svg).toContain('60–65 s');
  });

  it('fails cleanly on a missing record without writing a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-plot-cli-'));
    const c = capture();
    expect(await main(['plot', join(dir, 'nope'), '--out', join(dir, 'x.svg')], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/beat-ssl plot: /);
    expect(existsSync(join(dir, 'x.svg'))).toBe(false);
  });

  it('--segment shades the waves of the shipped model, or fails clearly without weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-plot-cli-'));
    const out = join(dir, 'seg.svg');
    const c = capture();
    const code = await main(['plot', join(REPO, 'examples/data/ludb/1'), '--segment', '--out', out, '--json'], c.io);
    if (existsSync(join(REPO, 'weights/segmentation-v1/model.json'))) {
      expect(code, c.err.join('')).toBe(0);
      expect(JSON.parse(c.out.join('').split('\n')[0]).waves).toBeGreaterThan(20);
      expect(readFileSync(out, 'utf8')).toMatch(/class="wave wave-QRS"/);
    } else {
      expect(code).toBe(1);
      expect(c.err.join('')).toMatch(/beat-ssl plot: Error in (segmentRecord|loadSegmentationModel): .*weights/);
      expect(existsSync(out)).toBe(false);
    }
  });
});

