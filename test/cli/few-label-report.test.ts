import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { classificationTables, differenceText, pairedDifference, type ClsRun } from '../../eval/_fewLabelReport';

const REPO = resolve(__dirname, '../..');
const runs: ClsRun[] = [
  // a − b = +0.02, +0.03, +0.01 at fraction 0.1; seed 3 of a has no partner; fraction 0.01 is separate.
  ...[0.80, 0.83, 0.81, 0.9].map((v, seed) => ({ method: 'a', fraction: 0.1, seed, macroAuroc: v })),
  ...[0.78, 0.80, 0.80].map((v, seed) => ({ method: 'b', fraction: 0.1, seed, macroAuroc: v })),
  { method: 'a', fraction: 0.01, seed: 0, macroAuroc: 0.5 },
  { method: 'b', fraction: 0.01, seed: 0, macroAuroc: 0.7 },
];

describe('few-label report', () => {
  it('pairs runs by (setting, seed) only, with the t-interval of the mean difference', () => {
    const d = pairedDifference(runs, 'a', 'b', 'macroAuroc', (r) => r.fraction, 0.1)!;
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(0.02, 12);
    // sd of (0.02, 0.03, 0.01) = 0.01; t(0.975, 2) = 4.3027; half-width 4.3027 · 0.01 / √3
    expect(d.ci[0]).toBeCloseTo(0.02 - (4.302653 * 0.01) / Math.sqrt(3), 5);
    expect(d.ci[1]).toBeCloseTo(0.02 + (4.302653 * 0.01) / Math.sqrt(3), 5);
    expect(d.positive).toBe(3);
    expect(differenceText(d)).toBe('+0.020 [-0.005, +0.045] (3/3 >)');
    // one pair is not enough for an interval
    expect(pairedDifference(runs, 'a', 'b', 'macroAuroc', (r) => r.fraction, 0.01)).toBeNull();
  });

  it('marks an interval that excludes 0', () => {
    expect(differenceText({ n: 8, mean: -0.5, ci: [-0.9, -0.1], p: 0.01, positive: 1 }, 1)).toBe('-0.5 [-0.9, -0.1] ✱ (1/8 >)');
  });

  it('tables list each method once per setting with its run count', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const text = classificationTables(runs, ['a', 'b'], ['a']);
    log.mockRestore();
    expect(text).toContain('| 10 %   | 0.835 ± 0.045 (4) | 0.793 ± 0.012 (3) |');
    expect(text).toMatch(/\| a − b +\| 10 % +\| \+0\.020 \[-0\.005, \+0\.045\] \(3\/3 >\) \|/);
  });

  describe('eval/report-few-label.ts merges result files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'few-label-report-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, methods: string[], r: ClsRun[], extra: Record<string, unknown> = {}) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ command: `cmd ${name}`, backend: 'tensorflow', pretrainSteps: 1000, pretrainSeeds: 2, ftSteps: 300, methods, complete: true, ptbxl: { split: { train: 'folds 1-8', eval: 'fold 9' }, runs: r }, ...extra }));
      return path;
    };
    const run = (args: string[]) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, ['--import', 'tsx', 'eval/report-few-label.ts', ...args], { cwd: REPO, encoding: 'utf8', stdio: 'pipe' }) };
      } catch (err) {
        const e = err as { status: number; stderr: string };
        return { code: e.status, out: e.stderr };
      }
    };

    it('runs of a method added later pair with the earlier file by seed', () => {
      const a = file('a.json', ['a'], runs.filter((r) => r.method === 'a'));
      const b = file('b.json', ['b'], runs.filter((r) => r.method === 'b'));
      const r = run([a, b, '--ours', 'a']);
      expect(r.code).toBe(0);
      expect(r.out).toContain('+0.020 [-0.005, +0.045] (3/3 >)');
    }, 60_000);

    it('refuses a run found twice with different values, and files of another protocol', () => {
      const a = file('a2.json', ['a'], runs.filter((r) => r.method === 'a'));
      const clash = file('clash.json', ['a'], [{ method: 'a', fraction: 0.1, seed: 0, macroAuroc: 0.1 }]);
      const r = run([a, clash]);
      expect(r.code).toBe(2);
      expect(r.out).toContain('run a, setting 0.1, seed 0 is in');
      const other = file('other.json', ['b'], runs.filter((r) => r.method === 'b'), { ftSteps: 100 });
      const s = run([a, other]);
      expect(s.code).toBe(2);
      expect(s.out).toContain('does not share the protocol');
      // an encoder learning rate recorded only in the command is part of the protocol too
      const slow = file('slow.json', ['b'], runs.filter((r) => r.method === 'b'), { command: 'npx tsx eval/few-label.ts --cls-encoder-lr-scale 0.1' });
      expect(run([a, slow]).out).toContain('×0.1 (classification)');
      // --mixed compares them, renaming the second protocol's methods
      const m = run([a, slow, '--mixed', '--ours', 'a']);
      expect(m.code).toBe(0);
      expect(m.out).toMatch(/\| a − b@2 +\| 10 % +\| \+0\.020 \[-0\.005, \+0\.045\] \(3\/3 >\) \|/);
    }, 60_000);
  });
});
