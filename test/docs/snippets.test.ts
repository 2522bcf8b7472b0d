// README.md and docs/*.md TypeScript blocks: strict type-check and run (scripts/doc-snippets.mjs).
// Here against src/ (tsconfig paths, as the repository resolves beat-ssl/*); `npm run
// check:package` repeats both against the packed tarball with the tsconfig the docs recommend.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper without types
import { extractSnippets, badInfoStrings, writeSnippets } from '../../scripts/doc-snippets.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
interface Snippet {
  file: string;
  line: number;
  info: string;
  run: boolean;
  code: string;
  name: string;
}
const snippets = extractSnippets(ROOT) as Snippet[];

describe('documentation snippets', () => {
  it('every TypeScript block is ```ts (type-checked and run) or ```ts no-run (type-checked)', () => {
    expect(badInfoStrings(snippets)).toEqual([]);
    expect(snippets.length).toBeGreaterThanOrEqual(11);
    const taste = snippets.find((s) => s.file === 'README.md');
    expect(taste?.run).toBe(true);
  });

  it('all blocks type-check under strict TypeScript', async () => {
    // Inside the repository so that node_modules (tfjs types) resolve; .cache/ is git-ignored.
    const dir = mkdtempSync(join(ROOT, '.cache', 'snippets-'));
    try {
      const { tsconfig } = writeSnippets(dir, snippets, {
        module: 'esnext',
        moduleResolution: 'bundler',
        baseUrl: ROOT,
        paths: { 'beat-ssl': ['src/index.ts'], 'beat-ssl/*': ['src/*'] },
        types: ['node'],
      });
      const r = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], ROOT);
      const errors = (r.stdout + r.stderr).split('\n').filter((l) => l.includes('error TS'));
      expect(errors).toEqual([]);
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('every ```ts block runs (one tsx process, each block imported in turn, cwd a scratch folder with examples/)', async () => {
    const runnable = snippets.filter((sn) => sn.run);
    const dir = mkdtempSync(join(ROOT, '.cache', 'snippet-run-'));
    try {
      const { tsconfig, files } = writeSnippets(join(dir, 'snippets'), runnable, { module: 'esnext', moduleResolution: 'bundler', baseUrl: ROOT, paths: { 'beat-ssl': ['src/index.ts'], 'beat-ssl/*': ['src/*'] } });
      symlinkSync(join(ROOT, 'examples'), join(dir, 'examples'));
      const runner = join(dir, 'run.mts');
      writeFileSync(
        runner,
        `for (const f of ${JSON.stringify(files.map((x: { path: string }) => x.path))}) {\n` +
          `  try { await import(f); console.log(JSON.stringify({ ok: f })); } catch (e) { console.log(JSON.stringify({ failed: f, error: String((e as Error)?.stack ?? e) })); }\n}\n`,
      );
      const { code, stdout, stderr } = await run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', tsconfig, runner], dir);
      const results = stdout.split('\n').filter((l) => l.startsWith('{"ok"') || l.startsWith('{"failed"')).map((l) => JSON.parse(l));
      expect(results.filter((r) => r.failed), stderr.slice(-2000)).toEqual([]);
      expect(results.length, stdout.slice(-2000) + stderr.slice(-2000)).toBe(runnable.length);
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd, env: { ...process.env, BEAT_SSL_EXAMPLE_QUICK: '1' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
