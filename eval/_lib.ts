/**
 * Shared helpers of the eval scripts: argument parsing, data folders, tables, JSON output.
 * Not part of the package.
 */
import { mkdirSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** `../shared/data` relative to the repo root, overridable by `BEAT_SSL_DATA`. */
export const DATA_ROOT = process.env.BEAT_SSL_DATA ? resolve(process.env.BEAT_SSL_DATA) : resolve(REPO_ROOT, '../shared/data');

export interface EvalArgs {
  quick: boolean;
  test: string | null;
  seeds: number;
  backend: string;
  out: string | null;
  flags: Record<string, string | boolean>;
}

/** Parses `--quick`, `--test <dir>`, `--seeds N`, `--backend B`, `--out file`, and any `--key value`. */
export function parseEvalArgs(argv = process.argv.slice(2), defaults: { seeds?: number } = {}): EvalArgs {
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'`);
    const [k, v] = a.slice(2).split('=');
    if (v !== undefined) flags[k] = v;
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[k] = argv[++i];
    else flags[k] = true;
  }
  return {
    quick: flags.quick === true || flags.quick === 'true',
    test: typeof flags.test === 'string' ? resolve(flags.test) : null,
    seeds: flags.seeds !== undefined ? Number(flags.seeds) : defaults.seeds ?? 3,
    backend: typeof flags.backend === 'string' ? flags.backend : 'auto',
    out: typeof flags.out === 'string' ? resolve(flags.out) : null,
    flags,
  };
}

/** Fails with a clear message when a data folder is absent. */
export function requireDir(dir: string, what: string): string {
  if (!existsSync(dir)) {
    console.error(`${what} not found at ${dir} (set BEAT_SSL_DATA to the folder holding ludb/, ptbxl/, ...)`);
    process.exit(2);
  }
  return dir;
}

/** Mean and sample SD (n−1) of finite values. */
export function meanSd(xs: number[]): { mean: number; sd: number; n: number } {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, sd: NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

export function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}

/** Prints a Markdown table (also valid to paste into docs). */
export function printTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const w = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, j) => c.padEnd(w[j])).join(' | ') + ' |';
  const text = [line(cells[0]), '| ' + w.map((n) => '-'.repeat(n)).join(' | ') + ' |', ...cells.slice(1).map(line)].join('\n');
  console.log(text);
  return text;
}

/** Writes JSON atomically to eval/results/<name>.json (or `out`). Returns the path. */
export function writeResults(name: string, value: unknown, out: string | null = null): string {
  const path = out ?? resolve(REPO_ROOT, 'eval/results', `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v), 2));
  renameSync(tmp, path);
  return path;
}

export function elapsed(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}
