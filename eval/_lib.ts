/**
 * Shared helpers of the eval scripts: argument parsing, data folders, tables, JSON output.
 * Not part of the package.
 */
import { mkdirSync, existsSync } from 'node:fs';
import { writeFileAtomic } from '../src/core/atomicWrite';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError, type CliOption } from '../src/cli/command';
import { BACKEND_FLAG, PRETRAIN_FLAGS, SEED_FLAG, prefixFlags } from '../src/cli/flags';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** `../shared/data` relative to the repo root, overridable by `BEAT_SSL_DATA`. */
export const DATA_ROOT = process.env.BEAT_SSL_DATA ? resolve(process.env.BEAT_SSL_DATA) : resolve(REPO_ROOT, '../shared/data');

export interface EvalArgs {
  quick: boolean;
  test: string | null;
  seeds: number;
  backend: string;
  out: string | null;
  /** Every flag's value by name (declared flags only; defaults filled in). */
  flags: Record<string, string | number | boolean>;
  /** Names of the flags given on the command line. */
  given: Set<string>;
}

/**
 * The pretraining flags of every eval script: the CLI's shared pretraining flags (`src/cli/flags.ts`)
 * prefixed `pretrain-` (`--pretrain-steps`, `--pretrain-exponent`, `--pretrain-rhythm-targets`, ...),
 * without defaults, so that an unset flag keeps the eval's recipe (`DEFAULT_PRETRAIN` in _pretrain.ts),
 * and `--pretrain-method` (the comparison methods).
 */
export const EVAL_PRETRAIN_FLAGS: CliOption[] = [
  ...prefixFlags([...PRETRAIN_FLAGS, SEED_FLAG], 'pretrain-').map((f) => ({ ...f, default: undefined })),
  { name: 'pretrain-method', type: 'string', valueName: 'name', description: 'named pretraining method (a key of METHOD_SPECS in eval/_pretrain.ts, checked there)' },
  { name: 'pretrained-dir', type: 'string', valueName: 'dir', description: 'use this pretrained model folder (e.g. weights/beat-ssl-small-v1) instead of pretraining from the --pretrain-* spec' },
];

/** Flags every eval script takes. */
export const EVAL_COMMON_FLAGS: CliOption[] = [
  { name: 'quick', type: 'boolean', default: false, description: 'a small, fast configuration' },
  { name: 'test', type: 'string', valueName: 'dir', description: 'also score on this held-out folder' },
  { name: 'seeds', type: 'number', integer: true, min: 1, description: 'number of seeds' },
  BACKEND_FLAG,
  { name: 'out', type: 'string', valueName: 'file.json', description: 'results file (default eval/results/<name>.json)' },
];

/**
 * Parses an eval script's arguments with the CLI's parser and shared flag set: the common eval
 * flags, the `--pretrain-*` flags and the script's own `options`. Unknown flags and bad values
 * print an error naming the flag and exit 2.
 */
export function parseEvalArgs(argv = process.argv.slice(2), defaults: { seeds?: number; options?: CliOption[]; script?: string } = {}): EvalArgs {
  const script = defaults.script ?? (process.argv[1] ? process.argv[1].replace(/^.*[\\/]/, '') : 'eval');
  let parsed;
  try {
    parsed = parseArgs(argv, { name: script, options: [...EVAL_COMMON_FLAGS, ...EVAL_PRETRAIN_FLAGS, ...(defaults.options ?? [])] }, script);
    if (parsed.positionals.length) throw new UsageError(`unexpected argument '${parsed.positionals[0]}' (flags only)`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${script}: ${err.message}`);
    process.exit(2);
  }
  const flags: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(parsed.options)) if (v !== undefined) flags[k] = Array.isArray(v) ? v.join(',') : v;
  return {
    quick: flags.quick === true,
    test: typeof flags.test === 'string' ? resolve(flags.test) : null,
    seeds: typeof flags.seeds === 'number' ? flags.seeds : defaults.seeds ?? 3,
    backend: String(flags.backend ?? 'auto'),
    out: typeof flags.out === 'string' ? resolve(flags.out) : null,
    flags,
    given: parsed.given,
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

/** Writes JSON atomically and durably (`writeFileAtomic`) to eval/results/<name>.json (or `out`). Returns the path. */
export async function writeResults(name: string, value: unknown, out: string | null = null): Promise<string> {
  const path = out ?? resolve(REPO_ROOT, 'eval/results', `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v), 2));
  return path;
}

export function elapsed(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}
