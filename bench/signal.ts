/**
 * Signal throughput of src/signal on 12-lead, 10 s records at 500 Hz (5000 × 12), records/s
 * (median of repeated timings, warm-up excluded). bench/signal_reference.py times the SciPy
 * operation of the same name. Also runs `benchRPeaks()` (bench/rpeaks.ts) and
 * `benchAugmentLosses()` (bench/augment-losses.ts) when those files exist, under `extra`.
 *
 * Alone: `npx tsx bench/signal.ts [--quick]` prints one JSON line.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bandpass, lowpass, notch, removeBaselineWander } from '../src/signal/filter';
import { resample } from '../src/signal/resample';

const quick = process.argv.includes('--quick');
const FS = 500;
const N = 5000;
const LEADS = 12;

/** Deterministic synthetic ECG-like leads (sum of sines + LCG noise). */
function makeRecord(seed: number): Float32Array[] {
  let s = seed >>> 0;
  const out: Float32Array[] = [];
  for (let l = 0; l < LEADS; l++) {
    const x = new Float32Array(N);
    for (let i = 0; i < N; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const t = i / FS;
      x[i] = Math.sin(2 * Math.PI * 1.2 * t + l) + 0.3 * Math.sin(2 * Math.PI * 50 * t) + 0.2 * Math.sin(2 * Math.PI * 0.2 * t) + 0.05 * (s / 4294967296 - 0.5);
    }
    out.push(x);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** records/s (wall) and records per CPU-second of `fn` applied to every lead of one record. */
function time(rec: Float32Array[], fn: (x: Float32Array) => unknown, reps: number): { wall: number; cpu: number } {
  for (const x of rec) fn(x); // warm-up
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    for (const x of rec) fn(x);
    ms.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  return { wall: 1000 / median(ms), cpu: 1000 / Math.max(median(cpu), 1e-3) };
}

const OPS: Record<string, { desc: string; fn: (x: Float32Array) => unknown }> = {
  'bandpass 0.5-40Hz o2 zero-phase @500Hz': { desc: 'bandpass(x, 500, 0.5, 40)', fn: (x) => bandpass(x, FS, 0.5, 40) },
  'lowpass 40Hz o4 zero-phase @500Hz': { desc: 'lowpass(x, 500, 40)', fn: (x) => lowpass(x, FS, 40) },
  'notch 50Hz q30 zero-phase @500Hz': { desc: 'notch(x, 500, 50)', fn: (x) => notch(x, FS, 50) },
  'baseline highpass 0.5Hz @500Hz': { desc: "removeBaselineWander(x, 500)", fn: (x) => removeBaselineWander(x, FS) },
  'baseline median 0.2+0.6s @500Hz': { desc: "removeBaselineWander(x, 500, { method: 'median' })", fn: (x) => removeBaselineWander(x, FS, { method: 'median' }) },
  'resample 500->100Hz': { desc: 'resample(x, 500, 100)', fn: (x) => resample(x, FS, 100) },
  'resample 360->500Hz': { desc: 'resample(x, 360, 500)', fn: (x) => resample(x, 360, 500) },
};

async function optionalBench(file: string, exportName: string, arg: unknown): Promise<unknown> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const full = path.join(here, file);
  if (!existsSync(full)) return { skipped: `bench/${file} not present` };
  try {
    const mod = (await import(full)) as Record<string, unknown>;
    const f = mod[exportName];
    if (typeof f !== 'function') return { skipped: `bench/${file} has no export ${exportName}` };
    return await (f as (o?: unknown) => unknown)(arg);
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

const rec = makeRecord(7);
const reps = quick ? 3 : 15;
const ops: Record<string, { recordsPerSec: number; recordsPerCpuSec: number; op: string; input: string }> = {};
for (const [name, { desc, fn }] of Object.entries(OPS)) {
  try {
    const t = time(rec, fn, reps);
    ops[name] = { recordsPerSec: t.wall, recordsPerCpuSec: t.cpu, op: desc, input: `${LEADS}x${N} Float32Array @${FS} Hz (per lead)` };
  } catch (e) {
    ops[name] = { recordsPerSec: NaN, recordsPerCpuSec: NaN, op: `${desc} failed: ${e instanceof Error ? e.message : e}`, input: '' };
  }
}
const extra = {
  // benchRPeaks(repeats), benchAugmentLosses({ repeats }): the other engineers' bench entry points.
  rpeaks: await optionalBench('rpeaks.ts', 'benchRPeaks', quick ? 1 : 5),
  augmentLosses: await optionalBench('augment-losses.ts', 'benchAugmentLosses', { repeats: quick ? 1 : 5 }),
};
process.stdout.write(JSON.stringify({ ops, extra }) + '\n');
