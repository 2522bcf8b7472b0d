/**
 * Benchmark of beat-ssl/augment and beat-ssl/losses: 3KG records/second on a [256, 1000, 12]
 * batch (cpu backend, and wasm when it initialises in Node), the typed-array 3KG, and
 * loss + gradient time at 2N = 512, d = 128. Medians of repeated runs, warm-up excluded.
 *
 * Alone:   npx tsx bench/augment-losses.ts [--repeats 5]
 * (writes bench/results/augment-losses.json). From `npm run bench`: `await benchAugmentLosses()`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { threeKG, threeKGRecord } from '../src/augment/3kg';
import { compose } from '../src/augment/compose';
import { gaussianNoise, emgNoise, powerlineNoise } from '../src/augment/noise';
import { baselineWander, baselineShift } from '../src/augment/baseline';
import { amplitudeScale } from '../src/augment/amplitudeScale';
import { timeShift } from '../src/augment/timeShift';
import { leadDropout, timeMask } from '../src/augment/masking';
import { ntXent } from '../src/losses/ntXent';
import { softInfoNCE } from '../src/losses/softInfoNCE';
import { multiPositiveInfoNCE } from '../src/losses/multiPositiveInfoNCE';
import { classTargets, softTargets } from '../src/losses/targets';
import { createRng } from '../src/core/rng';
import { ensureGradients } from '../src/backend/ensureGradients';

export interface BenchAugmentLossesOptions {
  /** Timed repetitions per measurement (median reported). Default 5. */
  repeats?: number;
  /** Untimed warm-up runs. Default 1. */
  warmup?: number;
  /** Backends to try for 3KG and losses. Default `['cpu', 'wasm']` (wasm skipped if it fails to initialise). */
  backends?: string[];
}

const progress = (msg: string): void => {
  process.stderr.write(`[augment-losses] ${msg}\n`);
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeIt(fn: () => void, repeats: number, warmup: number): { medianMs: number; runsMs: number[] } {
  for (let i = 0; i < warmup; i++) fn();
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    runs.push(+(performance.now() - t0).toFixed(2));
  }
  return { medianMs: +median(runs).toFixed(2), runsMs: runs };
}

async function useBackend(name: string): Promise<boolean> {
  if (name === 'wasm') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
    } catch {
      return false;
    }
  }
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** Runs the benchmark and returns a JSON-able result object. */
export async function benchAugmentLosses(opts: BenchAugmentLossesOptions = {}): Promise<Record<string, unknown>> {
  const repeats = opts.repeats ?? 5;
  const warmup = opts.warmup ?? 1;
  await ensureGradients();
  const previous = tf.getBackend();
  const [B, T, L] = [256, 1000, 12];
  const rng = createRng(1);
  const data = Float32Array.from({ length: B * T * L }, () => rng.normal());
  const N2 = 512;
  const d = 128;
  const zData = Float32Array.from({ length: N2 * d }, () => rng.normal());
  const feats = Array.from({ length: N2 / 2 }, () => Array.from({ length: 16 }, () => rng.normal()));
  const labels = Array.from({ length: N2 / 2 }, () => rng.int(4));

  const result: Record<string, unknown> = {
    name: 'augment-losses',
    date: new Date().toISOString(),
    node: process.version,
    repeats,
    warmup,
    threeKG: {} as Record<string, unknown>,
    augmentChain: {} as Record<string, unknown>,
    losses: {} as Record<string, unknown>,
  };

  progress('3KG typed-array form');
  // typed-array 3KG (no backend involved): 256 records of 1000 × 12
  const records = Array.from({ length: B }, (_, b) =>
    Array.from({ length: L }, (_, l) => Float32Array.from({ length: T }, (_, t) => data[(b * T + t) * L + l])),
  );
  const typed = timeIt(
    () => {
      const r = createRng(2);
      for (const rec of records) threeKGRecord(rec, { rng: r });
    },
    repeats,
    warmup,
  );
  (result.threeKG as Record<string, unknown>).typedArray = { shape: [B, T, L], ...typed, recordsPerSec: Math.round((B / typed.medianMs) * 1000) };

  for (const backend of opts.backends ?? ['cpu', 'wasm']) {
    if (!(await useBackend(backend))) {
      (result.threeKG as Record<string, unknown>)[backend] = { skipped: 'backend failed to initialise' };
      continue;
    }
    progress(`3KG tensor form on ${backend}`);
    const x = tf.tensor3d(data, [B, T, L]);
    let seed = 0;
    const kg = timeIt(
      () => {
        const y = threeKG(x, { seed: seed++ });
        y.dataSync();
        y.dispose();
      },
      repeats,
      warmup,
    );
    (result.threeKG as Record<string, unknown>)[backend] = { shape: [B, T, L], ...kg, recordsPerSec: Math.round((B / kg.medianMs) * 1000) };

    progress(`composed classic augmentations on ${backend}`);
    const fs = 500; // [256, 1000, 12] read as 2 s at 500 Hz (powerline noise needs fs > 2·50 Hz)
    const chain = compose([
      baselineWander({ fs }),
      powerlineNoise({ fs, freqHz: 50 }),
      emgNoise({ fs, cutoffHz: 20 }),
      gaussianNoise({ stdMv: 0.02 }),
      baselineShift(),
      amplitudeScale(),
      timeShift({ fs }),
      leadDropout({ leadProb: 0.1 }),
      timeMask({ fs }),
    ]);
    const chainRng = createRng(3);
    const ch = timeIt(
      () => {
        const y = chain(x, chainRng);
        y.dataSync();
        y.dispose();
      },
      repeats,
      warmup,
    );
    (result.augmentChain as Record<string, unknown>)[backend] = {
      shape: [B, T, L],
      steps: 'baselineWander, powerlineNoise, emgNoise, gaussianNoise, baselineShift, amplitudeScale, timeShift, leadDropout, timeMask',
      ...ch,
      recordsPerSec: Math.round((B / ch.medianMs) * 1000),
    };
    x.dispose();

    const z = tf.tensor2d(zData, [N2, d]);
    const targets = softTargets(feats, { exponent: 50 });
    const pos = classTargets(labels);
    const cases: Array<[string, (z: tf.Tensor2D) => tf.Scalar]> = [
      ['ntXent', (v) => ntXent(v)],
      ['softInfoNCE row', (v) => softInfoNCE(v, targets)],
      ['softInfoNCE weighted', (v) => softInfoNCE(v, targets, { normalization: 'weighted' })],
      ['softInfoNCE sigmoid', (v) => softInfoNCE(v, targets, { normalization: 'sigmoid' })],
      ['multiPositiveInfoNCE', (v) => multiPositiveInfoNCE(v, pos)],
    ];
    const lossRes: Record<string, unknown> = { shape: [N2, d] };
    for (const [name, f] of cases) {
      progress(`${name} value + gradient on ${backend}`);
      const vg = tf.valueAndGrad((v) => f(v as tf.Tensor2D));
      lossRes[name] = timeIt(
        () => {
          const { value, grad } = vg(z);
          grad.dataSync();
          tf.dispose([value, grad]);
        },
        repeats,
        warmup,
      );
    }
    (result.losses as Record<string, unknown>)[backend] = lossRes;
    tf.dispose([z, targets, pos]);
  }
  if (previous) await tf.setBackend(previous);
  return result;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (isMain) {
  const i = process.argv.indexOf('--repeats');
  const repeats = i > 0 ? Number(process.argv[i + 1]) : undefined;
  const res = await benchAugmentLosses({ repeats });
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL('./results/augment-losses.json', import.meta.url), JSON.stringify(res, null, 2) + '\n');
  const kg = res.threeKG as Record<string, { medianMs?: number; recordsPerSec?: number; skipped?: string }>;
  const ls = res.losses as Record<string, Record<string, { medianMs?: number }>>;
  const lines = ['3KG [256, 1000, 12]            median ms   records/s'];
  for (const [k, v] of Object.entries(kg)) lines.push(`  ${k.padEnd(28)} ${v.skipped ?? `${String(v.medianMs).padStart(9)}   ${v.recordsPerSec}`}`);
  for (const [k, v] of Object.entries(res.augmentChain as Record<string, { medianMs?: number; recordsPerSec?: number }>)) {
    lines.push(`  9-step compose, ${k.padEnd(12)} ${String(v.medianMs).padStart(9)}   ${v.recordsPerSec}`);
  }
  lines.push('loss + gradient, 2N = 512, d = 128 (median ms)');
  for (const [backend, cases] of Object.entries(ls)) {
    for (const [k, v] of Object.entries(cases)) if (k !== 'shape') lines.push(`  ${backend.padEnd(5)} ${k.padEnd(22)} ${v.medianMs}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}
