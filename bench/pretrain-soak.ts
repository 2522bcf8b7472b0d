/**
 * Soak of `beat-ssl pretrain` (issue 17): runs the CLI as a child process with `--json` for
 * `--steps` steps and records, at every step event, `tf.memory().numTensors` (reported by the CLI)
 * and the child's resident set size (read from /proc/<pid>/status, Linux), then prints the
 * tensor count's range over the run, RSS / JS heap / external memory at the first and last step,
 * their growth per step after the warm-up, and steps per second.
 *
 *   nice -n 10 node --import tsx bench/pretrain-soak.ts [--data ../shared/data/ptbxl] [--steps 1000]
 *       [--max-records 512] [--batch-size 32] [--encoder small] [--backend tensorflow] [--every 250]
 *
 * The run folder is a fresh temporary directory (removed at the end); checkpoints are written
 * every `--every` steps, so the soak covers checkpoint writes and pruning too. The summary JSON is
 * also written to bench/results/pretrain-soak.json (with the per-step series).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const opts = {
  data: resolve(arg('data', join(root, '../shared/data/ptbxl'))),
  steps: Number(arg('steps', '1000')),
  maxRecords: Number(arg('max-records', '512')),
  batchSize: Number(arg('batch-size', '32')),
  encoder: arg('encoder', 'small'),
  backend: arg('backend', 'tensorflow'),
  every: Number(arg('every', '250')),
  seed: Number(arg('seed', '0')),
};

function rssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
  } catch {
    return NaN;
  }
}

interface StepRow {
  step: number;
  numTensors: number;
  rssMB: number;
  /** The child's JS heap in use and `external` memory (MB, from its step events). */
  heapUsedMB: number;
  externalMB: number;
  /** Beats in the step's batch (tensor shapes, and so native buffer sizes, follow it). */
  beats: number;
  loss: number;
  t: number;
}

async function main(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'beat-ssl-soak-'));
  const cliArgs = [
    '--import', 'tsx', join(root, 'src/cli/main.ts'), 'pretrain',
    '--data', opts.data, '--max-records', String(opts.maxRecords), '--steps', String(opts.steps),
    '--batch-size', String(opts.batchSize), '--encoder', opts.encoder, '--backend', opts.backend,
    '--every', String(opts.every), '--seed', String(opts.seed), '--workers', '0', '--out', out, '--json',
  ];
  console.log(`pretrain-soak: node ${cliArgs.join(' ')}`);
  const t0 = performance.now();
  const child = spawn(process.execPath, cliArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20000) stderr = stderr.slice(-10000);
  });
  const rows: StepRow[] = [];
  let done: Record<string, unknown> | null = null;
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (line) => {
    let ev: Record<string, unknown>;
    try {
      ev = JSON.parse(line);
    } catch {
      return;
    }
    if (ev.event === 'step') {
      const r = { step: ev.step as number, numTensors: ev.numTensors as number, rssMB: rssMB(child.pid!), heapUsedMB: ev.heapUsedMB as number, externalMB: ev.externalMB as number, beats: ev.beats as number, loss: ev.loss as number, t: (performance.now() - t0) / 1000 };
      rows.push(r);
      if (r.step === 1 || r.step % 100 === 0) console.log(`  step ${r.step}: numTensors ${r.numTensors}, rss ${r.rssMB} MB, heap ${r.heapUsedMB} MB, external ${r.externalMB} MB, loss ${Number(r.loss).toFixed(4)}, ${r.t.toFixed(0)} s`);
    } else if (ev.event === 'done') done = ev;
  });
  const code: number = await new Promise((res) => child.on('close', (c) => res(c ?? 1)));
  rmSync(out, { recursive: true, force: true });
  if (code !== 0 || rows.length === 0) {
    console.error(stderr);
    throw new Error(`beat-ssl pretrain exited ${code} after ${rows.length} steps`);
  }
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const tensors = rows.map((r) => r.numTensors);
  const at = (s: number, k: 'rssMB' | 'heapUsedMB' | 'externalMB' = 'rssMB') => rows.find((r) => r.step === s)?.[k] ?? null;
  /** Least-squares slope (MB per step) of `k` from step 100 on (after the warm-up). */
  const slope = (k: 'rssMB' | 'heapUsedMB' | 'externalMB') => {
    const pts = rows.filter((r) => r.step >= 100 && Number.isFinite(r[k]));
    if (pts.length < 2) return null;
    const mx = pts.reduce((a, r) => a + r.step, 0) / pts.length;
    const my = pts.reduce((a, r) => a + r[k], 0) / pts.length;
    const sxy = pts.reduce((a, r) => a + (r.step - mx) * (r[k] - my), 0);
    const sxx = pts.reduce((a, r) => a + (r.step - mx) ** 2, 0);
    return Math.round((sxy / sxx) * 1e4) / 1e4;
  };
  const summary = {
    name: 'pretrain-soak',
    command: `nice -n 10 node --import tsx bench/pretrain-soak.ts --data ${opts.data} --steps ${opts.steps} --max-records ${opts.maxRecords} --batch-size ${opts.batchSize} --encoder ${opts.encoder} --backend ${opts.backend} --every ${opts.every} --seed ${opts.seed}`,
    node: process.version,
    ...opts,
    stepsRun: rows.length,
    numTensors: { first: tensors[0], last: tensors[tensors.length - 1], min: Math.min(...tensors), max: Math.max(...tensors) },
    rssMB: { step1: first.rssMB, step100: at(100), step250: at(250), step500: at(500), step750: at(750), last: last.rssMB, max: Math.max(...rows.map((r) => r.rssMB)) },
    heapUsedMB: { step1: first.heapUsedMB, step100: at(100, 'heapUsedMB'), step500: at(500, 'heapUsedMB'), last: last.heapUsedMB },
    externalMB: { step1: first.externalMB, step100: at(100, 'externalMB'), step500: at(500, 'externalMB'), last: last.externalMB },
    /** MB per step from step 100 on (least squares): where growth lives, if anywhere. */
    slopeMBPerStep: { rss: slope('rssMB'), heapUsed: slope('heapUsedMB'), external: slope('externalMB') },
    // from the first step event to the last (the precomputation before step 1 is left out)
    stepsPerSec: rows.length > 1 ? Math.round(((rows.length - 1) / (last.t - first.t)) * 1000) / 1000 : null,
    wallSec: Math.round((performance.now() - t0) / 1000),
    firstStepAtSec: Math.round(first.t),
    loss: { first: first.loss, last: last.loss },
    done,
  };
  console.log(JSON.stringify(summary, null, 2));
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/pretrain-soak.json'), JSON.stringify({ ...summary, perStep: rows }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
