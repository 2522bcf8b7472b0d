/**
 * Beat-SSL pretraining for the evals and the shipped weights: data = PTB-XL folds 1–8 + LUDB
 * 1–160 from ../shared/data (signals only, labels unused), 100 Hz, 10 s. Pretrained models are
 * cached in eval/results/pretrained/<key>/ so every eval reuses the same encoder.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { readPtbxlLabels } from '../src/data/ptbxl';
import { listWfdbRecords } from '../src/data/wfdbFolder';
import { loadSslRecords, type SslRecord } from '../src/data/precomputeSsl';
import { BeatSslModel } from '../src/models/beatSslModel';
import { createEncoder, ENCODER_PRESETS, type Encoder, type EncoderPreset } from '../src/models/encoder';
import { pretrainBeatSsl, type BeatTargets, type RhythmTargets } from '../src/train/pretrain';
import { DATA_ROOT, REPO_ROOT } from './_lib';

export interface PretrainSpec {
  seed: number;
  steps: number;
  batchSize: number;
  rhythmTargets: RhythmTargets;
  beatTargets: BeatTargets;
  exponent: number;
  encoder: EncoderPreset;
  lr: number;
}

export const DEFAULT_PRETRAIN: PretrainSpec = { seed: 0, steps: 150, batchSize: 32, rhythmTargets: 'soft', beatTargets: 'soft', exponent: 1, encoder: 'small', lr: 1e-3 };

let sslCache: SslRecord[] | null = null;

/** PTB-XL folds 1–8 + LUDB 1–160 at 100 Hz (cached on disk in .cache/beat-ssl). */
export async function pretrainingRecords(log = (s: string) => console.error(s)): Promise<SslRecord[]> {
  if (sslCache) return sslCache;
  const ptb = resolve(DATA_ROOT, 'ptbxl');
  const entries = await readPtbxlLabels(ptb, { folds: [1, 2, 3, 4, 5, 6, 7, 8], keepUnlabeled: true });
  const paths = [...entries.map((e) => resolve(ptb, e.filename)), ...(await listWfdbRecords(resolve(DATA_ROOT, 'ludb')))];
  const t0 = performance.now();
  sslCache = await loadSslRecords(paths, { config: { fs: 100 }, cache: resolve(REPO_ROOT, '.cache/beat-ssl'), workers: 2 });
  log(`pretraining data: ${entries.length} PTB-XL (folds 1–8) + ${paths.length - entries.length} LUDB records, precomputed/cached in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return sslCache;
}

/**
 * Version of the per-record precomputation (features, beat classes) that pretraining sees. Part of the
 * cache key, so encoders pretrained on older features are never silently reused.
 * v1 = interim data-loader features (the eval numbers in docs/evaluation.md); v2 = beats-module features.
 */
export const PRECOMPUTE_VERSION = 'beats-v2';

export function pretrainKey(spec: PretrainSpec): string {
  return createHash('sha256').update(JSON.stringify({ ...spec, precompute: PRECOMPUTE_VERSION })).digest('hex').slice(0, 12);
}

/** Pretrains (or reuses the cached result of) a Beat-SSL model; returns its folder. */
export async function pretrainedModelDir(spec: PretrainSpec, log = (s: string) => console.error(s)): Promise<string> {
  const dir = resolve(REPO_ROOT, 'eval/results/pretrained', pretrainKey(spec));
  if (existsSync(resolve(dir, 'done.json'))) return dir;
  // Another process pretraining the same spec: wait for it instead of duplicating the work.
  const lock = resolve(dir, 'running.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (pid !== process.pid && alive()) {
      log(`waiting for pretraining ${pretrainKey(spec)} (pid ${pid})`);
      while (alive() && !existsSync(resolve(dir, 'done.json'))) await new Promise((r) => setTimeout(r, 5000));
      if (existsSync(resolve(dir, 'done.json'))) return dir;
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(lock, String(process.pid));
  const data = await pretrainingRecords(log);
  const model = BeatSslModel.create({ encoder: spec.encoder, seed: spec.seed });
  const t0 = performance.now();
  const res = await pretrainBeatSsl({
    model,
    data,
    steps: spec.steps,
    batchSize: spec.batchSize,
    optimizer: { learningRate: spec.lr },
    rhythmTargets: spec.rhythmTargets,
    beatTargets: spec.beatTargets,
    exponent: spec.exponent,
    seed: spec.seed,
    onStep: (s) => {
      if (s.step % 10 === 0 || s.step === s.totalSteps) log(`  pretrain ${pretrainKey(spec)} step ${s.step}/${s.totalSteps} loss ${s.loss.toFixed(4)} (rhythm ${s.rhythmLoss.toFixed(4)}, beat ${s.beatLoss.toFixed(4)}) ${s.recordsPerSec.toFixed(1)} rec/s`);
    },
  });
  mkdirSync(dir, { recursive: true });
  await model.save(dir);
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(resolve(dir, 'done.json'), JSON.stringify({ spec, seconds, history: res.history.map((h) => ({ step: h.step, loss: h.loss, rhythmLoss: h.rhythmLoss, beatLoss: h.beatLoss })) }, null, 1));
  model.dispose();
  rmSync(lock, { force: true });
  log(`pretrained ${pretrainKey(spec)} in ${seconds.toFixed(0)} s`);
  return dir;
}

/** A fresh encoder carrying the pretrained weights of a saved Beat-SSL model. */
export async function loadPretrainedEncoder(dir: string): Promise<Encoder> {
  const m = await BeatSslModel.load(dir);
  const enc = m.takeEncoder();
  m.dispose();
  return enc;
}

/** A randomly initialised encoder of the same architecture. */
export function randomEncoder(preset: EncoderPreset, seed: number): Encoder {
  return createEncoder({ ...ENCODER_PRESETS[preset], seed });
}

/**
 * The pretraining spec of an eval command: {@link DEFAULT_PRETRAIN} overridden by `--pretrain-steps N`,
 * `--pretrain-exponent γ`, `--pretrain-rhythm hard|soft`, `--pretrain-beat none|hard|soft`,
 * `--pretrain-batch N`, `--pretrain-lr x`.
 */
export function pretrainSpecFromFlags(flags: Record<string, string | boolean>, defaults: Partial<PretrainSpec> = {}): PretrainSpec {
  const num = (k: string) => (typeof flags[k] === 'string' ? Number(flags[k]) : undefined);
  const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  const spec: PretrainSpec = { ...DEFAULT_PRETRAIN, ...defaults };
  spec.steps = num('pretrain-steps') ?? spec.steps;
  spec.exponent = num('pretrain-exponent') ?? spec.exponent;
  spec.batchSize = num('pretrain-batch') ?? spec.batchSize;
  spec.lr = num('pretrain-lr') ?? spec.lr;
  spec.rhythmTargets = (str('pretrain-rhythm') as RhythmTargets | undefined) ?? spec.rhythmTargets;
  spec.beatTargets = (str('pretrain-beat') as BeatTargets | undefined) ?? spec.beatTargets;
  for (const [k, v] of Object.entries(spec)) if (typeof v === 'number' && !(Number.isFinite(v) && v > 0) && k !== 'seed') throw new Error(`pretraining flag for ${k} must be a positive number, but got ${v}`);
  if (!['hard', 'soft'].includes(spec.rhythmTargets)) throw new Error(`--pretrain-rhythm must be hard or soft, but got ${spec.rhythmTargets}`);
  if (!['none', 'hard', 'soft'].includes(spec.beatTargets)) throw new Error(`--pretrain-beat must be none, hard or soft, but got ${spec.beatTargets}`);
  return spec;
}
