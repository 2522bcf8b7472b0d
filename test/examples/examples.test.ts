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
/** Per example: generous, the machine may be shared (each takes seconds to a minute when idle). */
const TIMEOUT = 600_000;

function runExample(name: string, args: string[] = [], timeoutMs = TIMEOUT - 10_000): { code: number; out: string } {
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
  }, TIMEOUT);

  it('losses-in-your-pipeline: 3KG views + soft InfoNCE in a plain tfjs loop', () => {
    const { code, out } = runExample('losses-in-your-pipeline.ts');
    expect(code, out).toBe(0);
    const losses = [...out.matchAll(/soft InfoNCE ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(2);
    expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    expect(out).toContain('24 records');
  }, TIMEOUT);

  it('beat-ssl-in-your-loop: views, beat plan and the Beat-SSL objective in a hand-written loop, with its learning signal', () => {
    const { code, out } = runExample('beat-ssl-in-your-loop.ts');
    expect(code, out).toBe(0);
    const steps = [...out.matchAll(/rhythm KL ([\d.]+) top-1 ([\d.]+) \(γ ([\d.]+)\)\s+beat KL ([\d.]+) top-1 ([\d.]+) \((\d+) beats\)/g)];
    expect(steps).toHaveLength(3);
    for (const m of steps) {
      expect(Number(m[1])).toBeGreaterThan(0);
      expect(Number(m[3])).toBeGreaterThan(0); // a calibrated γ
      expect(Number(m[6])).toBeGreaterThanOrEqual(2);
    }
    expect(out).toContain('tensors alive: 0');
  }, TIMEOUT);

  it('quickstart (npm start): peaks, pretraining, fine-tuning, metrics table, SVGs', () => {
    const { code, out } = runExample('quickstart.ts');
    expect(code, out).toBe(0);
    for (const step of ['1/4', '2/4', '3/4', '4/4']) expect(out).toContain(step);
    expect(out).toMatch(/LUDB 1: \d+ beats in 10 s/);
    expect(out).toMatch(/pretrain 3\/3 rhythm KL [\d.]+ top-1 [\d.]+ \| beat KL [\d.]+ top-1 [\d.]+/);
    expect(out).toMatch(/rhythm: KL [\d.]+ → [\d.]+, top-1 retrieval [\d.]+ → [\d.]+; beat: KL [\d.]+ → [\d.]+/);
    expect(out).toMatch(/rule-based delineator\s+[\d.]+/);
    expect(out).toMatch(/random init\s+[\d.–]+/);
    expect(out).toMatch(/Beat-SSL pretrained\s+[\d.–]+/);
    const svg = /(\S+quickstart-ludb7-segmented\.svg)/.exec(out)?.[1];
    expect(svg && existsSync(svg)).toBe(true);
    const text = readFileSync(svg!, 'utf8');
    expect((text.match(/<g class="lead" /g) ?? []).length).toBe(12);
    expect(text).toMatch(/class="wave wave-(QRS|T|P)"/);
    for (const name of ['kl', 'top1']) expect(existsSync(join(REPO, `examples/output/quickstart-pretraining-${name}.svg`))).toBe(true);
  }, TIMEOUT);

  it('segment-ludb: waves, intervals and per-fiducial scores on embedded LUDB records', () => {
    const { code, out } = runExample('segment-ludb.ts');
    expect(code, out).toBe(0);
    expect(out).toMatch(/segmentation: (shipped weights|rule-based delineator)/);
    for (const f of ['P_onset', 'P_offset', 'QRS_onset', 'QRS_offset', 'T_onset', 'T_offset']) expect(out).toMatch(new RegExp(`${f}\\s+[\\d.]+`));
    const meanF1 = Number(/mean F1 ([\d.]+)/.exec(out)?.[1]);
    expect(meanF1).toBeGreaterThan(0.5);
    expect(existsSync(join(REPO, 'examples/output/ludb1-segmentation.svg'))).toBe(true);
  }, TIMEOUT);

  it('classify-ptbxl: fine-tunes a classifier on the embedded PTB-XL records', () => {
    const { code, out } = runExample('classify-ptbxl.ts');
    expect(code, out).toBe(0);
    expect(out).toMatch(/20 labelled records \(NORM 18/); // AFLT-only records have no superdiagnostic label
    expect(out).toMatch(/epoch {2}2 {2}loss [\d.]+/);
    expect(out).toMatch(/NORM\s+\d+/);
    expect(out).toMatch(/macro AUROC/);
  }, TIMEOUT);

  it('pretrain: runs from pretrain.config.json, saves a loadable model and a loss curve', () => {
    const { code, out } = runExample('pretrain.ts');
    expect(code, out).toBe(0);
    expect(out).toMatch(/step +3\/3 +loss [\d.]+/);
    const dir = join(REPO, 'examples/output/pretrain-model-quick');
    expect(existsSync(join(dir, 'loss.svg'))).toBe(true);
    expect(out).toContain(`saved the model to ${dir}`);
  }, TIMEOUT);
});

