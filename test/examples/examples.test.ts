// Runs every example script as a user would (`tsx examples/<name>.ts`, resolving `beat-ssl/...`
// through tsconfig paths to src/), at small sizes (BEAT_SSL_EXAMPLE_QUICK=1), so they cannot rot.
// The packaged variant (examples against the installed tarball) is `npm run check:package`.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(REPO, 'node_modules/tsx/dist/cli.mjs');

function runExample(name: string, args: string[] = [], timeoutMs = 300_000): { code: number; out: string } {
  const res = spawnSync(process.execPath, [TSX, join(REPO, 'examples', name), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, BEAT_SSL_EXAMPLE_QUICK: '1', FORCE_COLOR: '0' },
  });
  return { code: res.status ?? -1, out: `${res.stdout}\n${res.stderr}` };
}

describe('examples', () => {
  it('detect-beats: MIT-BIH 100 → peaks → heart rate, scored against .atr, SVG written', () => {
    const { code, out } = runExample('detect-beats.ts');
    expect(code, out).toBe(0);
    expect(out).toMatch(/100: 2 leads \(MLII, V5\), 360 Hz, 120\.0 s/);
    const m = /heart rate ([\d.]+) bpm/.exec(out);
    expect(Number(m?.[1])).toBeGreaterThan(65);
    expect(Number(m?.[1])).toBeLessThan(85);
    // Se and +P on the first 2 minutes.
    const row = out.split('\n').find((l) => /^\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+/.test(l))!;
    const [, , , , , se, ppv] = row.trim().split(/\s+/).map(Number);
    expect(se).toBeGreaterThan(99);
    expect(ppv).toBeGreaterThan(99);
    const svg = join(REPO, 'examples/output/100-peaks.svg');
    expect(existsSync(svg) && statSync(svg).size > 10_000).toBe(true);
    expect(readFileSync(svg, 'utf8')).toContain('class="r-peak"');
  });

  it('losses-in-your-pipeline: 3KG views + soft InfoNCE in a plain tfjs loop', () => {
    const { code, out } = runExample('losses-in-your-pipeline.ts');
    expect(code, out).toBe(0);
    const losses = [...out.matchAll(/soft InfoNCE ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(3);
    expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    expect(out).toContain('24 records');
  });
});
