/**
 * Model throughput benchmark: one training step (forward + backward + Adam) and inference of a
 * `createEncoder` preset (src/models), in records/s, on the active tfjs backend.
 *
 * `bench/pytorch_reference.py` builds the same architecture from the resolved encoder config (same
 * convolutions, multi-scale branches, batch norms, residual shortcuts, global average pool), so
 * both numbers are for the same FLOPs. The loss is the mean square of the pooled embedding minus a
 * constant: the backward pass goes through the whole encoder either way.
 *
 * Alone: `npx tsx bench/model.ts --backend wasm --preset small --time 1000 --batch 32 [--reps 3]`
 * prints one JSON line (used by bench/run.mjs, one child process per backend and size).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createEncoder, type EncoderConfig, type EncoderPreset, type ResolvedEncoderConfig } from '../src/models/encoder';

/** Options of {@link benchModel}. */
export interface BenchModelOptions {
  /** Encoder preset name or config (default `'small'`). */
  preset?: EncoderPreset | EncoderConfig;
  /** Samples per record (1000 = 10 s at 100 Hz, 5000 = 10 s at 500 Hz). */
  time: number;
  batch?: number;
  /** Timed repetitions (the median is reported). */
  reps?: number;
  warmup?: number;
  /** Skip the training measurement. */
  inferOnly?: boolean;
}

/** Result of {@link benchModel}; `error` is set instead of throwing (e.g. wasm out of memory). */
export interface BenchModelResult {
  backend: string;
  preset: string;
  config: ResolvedEncoderConfig | null;
  params: number;
  mflopsPerRecord: number;
  time: number;
  batch: number;
  trainRecordsPerSec: number | null;
  inferRecordsPerSec: number | null;
  trainStepMs: number[];
  inferMs: number[];
  /** Process CPU time (user + system, all threads) per step: robust to other processes' load. */
  trainStepCpuMs: number[];
  inferCpuMs: number[];
  /** Records per CPU-second (median CPU time per step), the contention-robust rate. */
  trainRecordsPerCpuSec: number | null;
  inferRecordsPerCpuSec: number | null;
  error?: string;
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Deterministic input data without Math.random (LCG). */
function benchInput(batch: number, time: number, leads: number): Float32Array {
  const n = batch * time * leads;
  const out = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2;
  }
  return out;
}

/** Measures train-step and inference throughput of an encoder preset on the active backend. */
export async function benchModel(opts: BenchModelOptions): Promise<BenchModelResult> {
  const preset = opts.preset ?? 'small';
  const batch = opts.batch ?? 32;
  const reps = opts.reps ?? 5;
  const warmup = opts.warmup ?? 1;
  const result: BenchModelResult = {
    backend: tf.getBackend(),
    preset: typeof preset === 'string' ? preset : 'custom',
    config: null,
    params: 0,
    mflopsPerRecord: 0,
    time: opts.time,
    batch,
    trainRecordsPerSec: null,
    inferRecordsPerSec: null,
    trainStepMs: [],
    inferMs: [],
    trainStepCpuMs: [],
    inferCpuMs: [],
    trainRecordsPerCpuSec: null,
    inferRecordsPerCpuSec: null,
  };
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let enc: ReturnType<typeof createEncoder> | undefined;
  let x: tf.Tensor3D | undefined;
  let target: tf.Tensor | undefined;
  let optimizer: tf.Optimizer | undefined;
  try {
    enc = createEncoder(preset);
    result.config = enc.config;
    result.params = enc.countParams();
    result.mflopsPerRecord = enc.flopsPerRecord(opts.time) / 1e6;
    const leads = enc.config.leads;
    x = tf.tensor3d(benchInput(batch, opts.time, leads), [batch, opts.time, leads]);
    const e = enc;
    const xx = x;
    for (let i = 0; i < warmup + reps; i++) {
      const t0 = performance.now();
      const c0 = cpuMs();
      const y = tf.tidy(() => e.apply(xx, { training: false }).embedding);
      await y.data();
      y.dispose();
      if (i >= warmup) {
        result.inferMs.push(performance.now() - t0);
        result.inferCpuMs.push(cpuMs() - c0);
      }
    }
    result.inferRecordsPerSec = batch / (median(result.inferMs) / 1000);
    result.inferRecordsPerCpuSec = batch / (median(result.inferCpuMs) / 1000);
    if (!opts.inferOnly) {
      target = tf.fill([batch, e.embeddingDim], 0.1);
      const tt = target;
      optimizer = tf.train.adam(1e-3);
      const vars = e.model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
      for (let i = 0; i < warmup + reps; i++) {
        const t0 = performance.now();
        const c0 = cpuMs();
        const loss = optimizer.minimize(
          () => tf.mean(tf.square(tf.sub(e.apply(xx, { training: true }).embedding, tt))) as tf.Scalar,
          true,
          vars,
        );
        await loss!.data();
        loss!.dispose();
        if (i >= warmup) {
          result.trainStepMs.push(performance.now() - t0);
          result.trainStepCpuMs.push(cpuMs() - c0);
        }
      }
      result.trainRecordsPerSec = batch / (median(result.trainStepMs) / 1000);
      result.trainRecordsPerCpuSec = batch / (median(result.trainStepCpuMs) / 1000);
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message.split('\n')[0] : String(err);
  } finally {
    x?.dispose();
    target?.dispose();
    optimizer?.dispose();
    enc?.dispose();
  }
  return result;
}

/** Options of {@link benchTrainingMemory}. */
export interface BenchMemoryOptions {
  preset?: EncoderPreset | EncoderConfig;
  time: number;
  batch: number;
  steps: number;
}

/** Peak RSS and tensor count over a training run of `steps` steps (fwd + bwd + Adam). */
export async function benchTrainingMemory(opts: BenchMemoryOptions): Promise<Record<string, unknown>> {
  const enc = createEncoder(opts.preset ?? 'small');
  const x = tf.tensor3d(benchInput(opts.batch, opts.time, enc.config.leads), [opts.batch, opts.time, enc.config.leads]);
  const target = tf.fill([opts.batch, enc.embeddingDim], 0.1);
  const optimizer = tf.train.adam(1e-3);
  const vars = enc.model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  let peakRss = process.memoryUsage().rss;
  const rssStart = peakRss;
  const tensors: number[] = [];
  let error: string | undefined;
  const t0 = performance.now();
  try {
    for (let i = 0; i < opts.steps; i++) {
      const loss = optimizer.minimize(
        () => tf.mean(tf.square(tf.sub(enc.apply(x, { training: true }).embedding, target))) as tf.Scalar,
        true,
        vars,
      );
      await loss!.data();
      loss!.dispose();
      tensors.push(tf.memory().numTensors);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  } catch (err) {
    error = err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
  const sec = (performance.now() - t0) / 1000;
  const out = {
    backend: tf.getBackend(),
    preset: typeof opts.preset === 'string' ? opts.preset : 'custom',
    time: opts.time,
    batch: opts.batch,
    steps: tensors.length,
    seconds: sec,
    rssStartMB: rssStart / 2 ** 20,
    peakRssMB: peakRss / 2 ** 20,
    numTensorsAfterFirstStep: tensors[0] ?? null,
    numTensorsAfterLastStep: tensors[tensors.length - 1] ?? null,
    numTensorsMax: tensors.length ? Math.max(...tensors) : null,
    tensorsConstant: tensors.length > 0 && tensors.every((n) => n === tensors[0]),
    ...(error ? { error } : {}),
  };
  x.dispose();
  target.dispose();
  optimizer.dispose();
  enc.dispose();
  return out;
}

/** Type-only re-export so callers can type the model config without importing tfjs-layers. */
export type BenchLayersModel = tfl.LayersModel;

// CLI (one JSON line on stdout): see the module comment.
const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const arg = (name: string, def: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : def;
  };
  const { setBackend } = await import('../src/backend/setBackend');
  const be = await setBackend(arg('backend', 'auto') as 'auto');
  const mode = arg('mode', 'throughput');
  const common = { preset: arg('preset', 'small') as EncoderPreset, time: Number(arg('time', '1000')), batch: Number(arg('batch', '32')) };
  const r =
    mode === 'probe'
      ? {}
      : mode === 'memory'
      ? await benchTrainingMemory({ ...common, steps: Number(arg('steps', '1000')) })
      : await benchModel({ ...common, reps: Number(arg('reps', '3')), warmup: Number(arg('warmup', '1')), inferOnly: process.argv.includes('--infer-only') });
  process.stdout.write(JSON.stringify({ setBackend: be, ...r }) + '\n');
}
