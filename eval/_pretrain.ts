/**
 * Pretraining for the evals and the shipped weights. Data = PTB-XL folds 1–8 (labels unused,
 * unlabeled records included) + LUDB 1–120 from ../shared/data, 100 Hz, 10 s — no record that any
 * eval scores (PTB-XL fold 9, LUDB 121–160, any `--test` folder: `assertOutsidePretraining` checks it) is ever in it. Pretrained models are
 * cached in eval/results/pretrained/<key>/ (key = hash of the spec and the precompute version), so
 * every eval reuses the same encoder, and a second process asking for the same spec waits for it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readPtbxlLabels } from '../src/data/ptbxl';
import { listWfdbRecords } from '../src/data/wfdbFolder';
import { parseHeader } from '../src/io/header';
import { loadSslRecords, type SslRecord } from '../src/data/precomputeSsl';
import { BeatSslModel } from '../src/models/beatSslModel';
import { createEncoder, ENCODER_PRESETS, type Encoder, type EncoderPreset } from '../src/models/encoder';
import { pretrainBeatSsl, type PretrainStepInfo } from '../src/train/pretrain';
import { encoderTs2VecTrainable, pretrainTs2Vec } from '../src/train/pretrainTs2Vec';
import { BEAT_SSL_PRESETS, type BeatSslObjectiveOptions, type BeatSslPreset } from '../src/losses/beatSsl';
import { PRETRAIN_FLAGS, SEED_FLAG, recipeFromFlags } from '../src/cli/flags';
import { DATA_ROOT, REPO_ROOT } from './_lib';

/** Everything that defines a pretrained encoder (part of its cache key). */
export interface PretrainSpec {
  /** `'beat-ssl'` (the Beat-SSL loop; SimCLR-3KG is its `simclr3kg` objective) or `'ts2vec'`. */
  method: 'beat-ssl' | 'ts2vec';
  seed: number;
  steps: number;
  batchSize: number;
  lr: number;
  /** Learning-rate schedule of the run. */
  lrSchedule: 'constant' | 'cosine';
  encoder: EncoderPreset;
  /** Beat-SSL objective (options or preset name). */
  objective: BeatSslObjectiveOptions | BeatSslPreset;
  /** Beat stage of the model (default: the model's default, stride 4). */
  beatStage?: number;
  /** View crop length in samples (default: the loop's, 800 at 100 Hz). */
  windowSamples?: number;
  /** View recipe ablations (default: independent crops, 3KG in mV). */
  views?: { crops?: 'independent' | 'shared'; augmentInput?: 'mV' | 'standardized' };
  /** Other `pretrainBeatSsl` options set by shared pretraining flags (e.g. `maxBeats`); absent when none. */
  options?: Record<string, unknown>;
}

/** The default pretraining of the evals: the library's default objective, 1,000 steps of 32 records. */
export const DEFAULT_PRETRAIN: PretrainSpec = {
  method: 'beat-ssl',
  seed: 0,
  steps: 1000,
  batchSize: 32,
  lr: 1e-3,
  lrSchedule: 'cosine',
  encoder: 'small',
  objective: 'default',
};

/** Named pretraining methods of the comparisons (objective presets of `beat-ssl/losses`, or TS2Vec). */
export const METHOD_SPECS: Record<string, Pick<PretrainSpec, 'method' | 'objective'>> = {
  'beat-ssl': { method: 'beat-ssl', objective: 'default' },
  'beat-ssl-hard': { method: 'beat-ssl', objective: 'hardHard' },
  'simclr-3kg': { method: 'beat-ssl', objective: 'simclr3kg' },
  'paper-exp1': { method: 'beat-ssl', objective: 'paperExp1' },
  'paper-exp50': { method: 'beat-ssl', objective: 'paperExp50' },
  ts2vec: { method: 'ts2vec', objective: 'simclr3kg' },
};

let sslCache: SslRecord[] | null = null;

/** The record paths of the pretraining pool: PTB-XL folds 1–8 (labelled or not) + LUDB 1–120. */
export async function pretrainingRecordPaths(): Promise<{ ptbxl: string[]; ludb: string[] }> {
  const ptb = resolve(DATA_ROOT, 'ptbxl');
  const entries = await readPtbxlLabels(ptb, { folds: [1, 2, 3, 4, 5, 6, 7, 8], keepUnlabeled: true });
  const ludb = (await listWfdbRecords(resolve(DATA_ROOT, 'ludb'))).filter((p) => Number(p.split('/').pop()) <= 120);
  return { ptbxl: entries.map((e) => resolve(ptb, e.filename)), ludb };
}

/** PTB-XL folds 1–8 + LUDB 1–120 at 100 Hz, signals in mV (cached on disk in .cache/beat-ssl). */
export async function pretrainingRecords(log = (s: string) => console.error(s)): Promise<SslRecord[]> {
  if (sslCache) return sslCache;
  const pool = await pretrainingRecordPaths();
  const t0 = performance.now();
  sslCache = await loadSslRecords([...pool.ptbxl, ...pool.ludb], { config: { fs: 100 }, cache: resolve(REPO_ROOT, '.cache/beat-ssl'), workers: 2 });
  log(`pretraining data: ${pool.ptbxl.length} PTB-XL (folds 1–8) + ${pool.ludb.length} LUDB (1–120) records, precomputed/cached in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return sslCache;
}

/** sha256 of a record's signal files (the files its header names), so a copy is recognised under any name or folder. */
function signalDigest(record: string): string {
  const header = parseHeader(readFileSync(`${record}.hea`, 'latin1'));
  const files = [...new Set(header.signals.map((sig) => sig.fileName))].filter((f) => f !== '~');
  if (!files.length) return `no signal files: ${record}`; // e.g. a multi-segment master header: never equal to a pool record
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(resolve(dirname(record), f)));
  return hash.digest('hex');
}

let poolDigestCache: Promise<Map<string, string>> | null = null;

/** Signal-file digest → pool record path, over the pretraining pool; hashed once per process (≈ 3 s). */
function poolDigests(): Promise<Map<string, string>> {
  poolDigestCache ??= pretrainingRecordPaths().then((pool) => new Map([...pool.ptbxl, ...pool.ludb].map((p) => [signalDigest(p), p])));
  return poolDigestCache;
}

/**
 * The records of `dir` whose signal files equal those of a pretraining-pool record (a copy under any
 * name or folder), each with the pool record it copies; `checked` = records looked at.
 */
export async function pretrainingCopies(dir: string): Promise<{ checked: number; copies: { record: string; poolRecord: string }[] }> {
  const known = await poolDigests();
  const records = await listWfdbRecords(dir);
  const copies: { record: string; poolRecord: string }[] = [];
  for (const r of records) {
    const same = known.get(signalDigest(r));
    if (same) copies.push({ record: r, poolRecord: same });
  }
  return { checked: records.length, copies };
}

/**
 * Refuses a held-out folder (`--test`, `--ptbxl-test`) that holds a record of the pretraining pool,
 * since scoring it would leak: prints the first such record and exits 2. Returns the records checked.
 */
export async function assertOutsidePretraining(dir: string, flag: string): Promise<number> {
  const { checked, copies } = await pretrainingCopies(dir);
  if (copies.length) {
    const { record, poolRecord } = copies[0];
    console.error(`${flag}: record ${record} has the same signal files as pretraining record ${poolRecord} (the pool is PTB-XL folds 1–8 + LUDB 1–120)${copies.length > 1 ? `, and ${copies.length - 1} more records of ${dir} are in the pool` : ''}; scoring it would leak. Use held-out records (e.g. PTB-XL fold 10, LUDB 161–200).`);
    process.exit(2);
  }
  return checked;
}

/**
 * Version of the per-record precomputation and view recipe that pretraining sees. Part of the cache
 * key, so encoders pretrained on older data are never silently reused.
 * beats-v2 = beats-module features, z-scored signals, LUDB 1–160; mv-v3 = signals in mV, LUDB 1–120;
 * mv-v4 = the one interval definition of beats/intervals (features' QT + 1 sample, beat pairing rule).
 */
export const PRECOMPUTE_VERSION = 'mv-v4-intervals';

export function pretrainKey(spec: PretrainSpec): string {
  return createHash('sha256').update(JSON.stringify({ ...spec, precompute: PRECOMPUTE_VERSION })).digest('hex').slice(0, 12);
}

/** One line of the learning signal per logged step (JSON in done.json). */
export interface SignalPoint {
  step: number;
  loss: number;
  rhythmLoss: number;
  beatLoss: number;
  rhythmKl?: number;
  rhythmTop1?: number;
  rhythmEntropy?: number;
  rhythmExponent?: number | null;
  beatKl?: number;
  beatTop1?: number;
  beats?: number;
}

function signalPoint(s: PretrainStepInfo): SignalPoint {
  return {
    step: s.step,
    loss: s.loss,
    rhythmLoss: s.rhythmLoss,
    beatLoss: s.beatLoss,
    rhythmKl: s.rhythm?.kl,
    rhythmTop1: s.rhythm?.top1,
    rhythmEntropy: s.rhythm?.targetEntropy,
    rhythmExponent: s.rhythm?.exponent,
    beatKl: s.beat?.kl,
    beatTop1: s.beat?.top1,
    beats: s.beats,
  };
}

/** What a finished pretraining left in done.json. */
export interface PretrainDone {
  spec: PretrainSpec;
  key: string;
  backend: string;
  seconds: number;
  history: SignalPoint[];
}

/** Pretrains (or reuses the cached result of) a model; returns its folder (a `BeatSslModel.save` folder). */
export async function pretrainedModelDir(spec: PretrainSpec, log = (s: string) => console.error(s)): Promise<string> {
  const key = pretrainKey(spec);
  const dir = resolve(REPO_ROOT, 'eval/results/pretrained', key);
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
      log(`waiting for pretraining ${key} (pid ${pid})`);
      while (alive() && !existsSync(resolve(dir, 'done.json'))) await new Promise((r) => setTimeout(r, 5000));
      if (existsSync(resolve(dir, 'done.json'))) return dir;
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(lock, String(process.pid));
  const data = await pretrainingRecords(log);
  const model = BeatSslModel.create({ encoder: spec.encoder, seed: spec.seed, ...(spec.beatStage !== undefined ? { beatStage: spec.beatStage } : {}) });
  const t0 = performance.now();
  const history: SignalPoint[] = [];
  const every = Math.max(1, Math.round(spec.steps / 100));
  if (spec.method === 'ts2vec') {
    const T = Math.min(...data.map((r) => r.signals.length / r.leads));
    const xt = tf.tidy(() => {
      const x = new Float32Array(data.length * T * 12);
      data.forEach((r, i) => x.set(r.signals.subarray(0, T * 12), i * T * 12));
      const mv = tf.tensor3d(x, [data.length, T, 12]);
      const { mean, variance } = tf.moments(mv, 1, true);
      return tf.div(tf.sub(mv, mean), tf.maximum(tf.sqrt(variance), 1e-8)) as tf.Tensor3D; // records in mV → z-scored per lead
    });
    const res = await pretrainTs2Vec({
      model: encoderTs2VecTrainable(model.encoder),
      data: xt,
      steps: spec.steps,
      batchSize: spec.batchSize,
      learningRate: spec.lr,
      seed: spec.seed,
      onStep: (s) => {
        if (s.step % every === 0 || s.step === spec.steps) {
          history.push({ step: s.step, loss: s.loss, rhythmLoss: s.loss, beatLoss: 0 });
          if (s.step % (every * 10) === 0) log(`  ts2vec ${key} step ${s.step}/${spec.steps} loss ${s.loss.toFixed(4)}`);
        }
      },
    });
    xt.dispose();
    void res;
  } else {
    await pretrainBeatSsl({
      model,
      data,
      steps: spec.steps,
      batchSize: spec.batchSize,
      optimizer: { learningRate: spec.lr },
      lrSchedule: { type: spec.lrSchedule },
      objective: spec.objective,
      ...(spec.windowSamples !== undefined ? { windowSamples: spec.windowSamples } : {}),
      ...(spec.views ? { views: spec.views } : {}),
      ...(spec.options ?? {}),
      seed: spec.seed,
      diagnosticsEvery: every,
      onStep: (s) => {
        if (s.rhythm) history.push(signalPoint(s));
        if (s.step % (every * 10) === 0 || s.step === s.totalSteps) {
          const r = s.rhythm;
          const b = s.beat;
          log(
            `  pretrain ${key} step ${s.step}/${s.totalSteps} loss ${s.loss.toFixed(3)}` +
              (r ? ` | rhythm KL ${r.kl.toFixed(3)} top1 ${r.top1.toFixed(2)}${r.exponent !== null ? ` γ ${r.exponent.toFixed(1)}` : ''}` : '') +
              (b ? ` | beat KL ${b.kl.toFixed(3)} top1 ${b.top1.toFixed(2)} (K ${s.beats})` : '') +
              ` | ${s.recordsPerSec.toFixed(0)} rec/s`,
          );
        }
      },
    });
  }
  await model.save(resolve(dir, 'model'));
  const seconds = (performance.now() - t0) / 1000;
  const done: PretrainDone = { spec, key, backend: tf.getBackend(), seconds, history };
  writeFileSync(resolve(dir, 'done.json'), JSON.stringify(done, null, 1));
  model.dispose();
  rmSync(lock, { force: true });
  log(`pretrained ${key} in ${seconds.toFixed(0)} s on ${tf.getBackend()}`);
  return dir;
}

/** The done.json of a pretrained folder. */
export function readPretrainDone(dir: string): PretrainDone {
  return JSON.parse(readFileSync(resolve(dir, 'done.json'), 'utf8')) as PretrainDone;
}

/** A fresh encoder carrying the pretrained weights of a folder from {@link pretrainedModelDir}. */
export async function loadPretrainedEncoder(dir: string): Promise<Encoder> {
  const m = await BeatSslModel.load(existsSync(resolve(dir, 'model', 'beat-ssl.json')) ? resolve(dir, 'model') : dir);
  return m.takeEncoder();
}

/**
 * The pretrained model folder an eval uses: `--pretrained-dir <folder>` when given (any pretrained
 * model folder, e.g. the shipped `weights/beat-ssl-small-v1`), else the cached pretraining of `spec`.
 */
export async function pretrainedDirFor(flags: Record<string, string | number | boolean>, spec: PretrainSpec, log = (s: string) => console.error(s)): Promise<string> {
  const given = flags['pretrained-dir'];
  if (typeof given === 'string') {
    const dir = resolve(given);
    if (!existsSync(resolve(dir, 'beat-ssl.json')) && !existsSync(resolve(dir, 'model', 'beat-ssl.json'))) throw new Error(`--pretrained-dir must be a pretrained model folder (with beat-ssl.json), but got ${given}`);
    return dir;
  }
  return pretrainedModelDir(spec, log);
}

/** A randomly initialised encoder of the same architecture. */
export function randomEncoder(preset: EncoderPreset, seed: number): Encoder {
  return createEncoder({ ...ENCODER_PRESETS[preset], seed });
}

/**
 * The pretraining spec of an eval command: {@link DEFAULT_PRETRAIN} (with the script's `defaults`),
 * then `--pretrain-method <name of METHOD_SPECS>`, then the shared pretraining flags of the CLI
 * (`src/cli/flags.ts`) prefixed `pretrain-`, as parsed and validated by `parseEvalArgs`:
 * `--pretrain-steps`, `--pretrain-batch-size`, `--pretrain-lr`, `--pretrain-lr-schedule`,
 * `--pretrain-seed`, `--pretrain-encoder`, `--pretrain-beat-stage`, `--pretrain-window-samples`,
 * `--pretrain-crops`, `--pretrain-augment-input`, `--pretrain-objective <preset>` and the objective
 * flags (`--pretrain-rhythm-targets`, `--pretrain-beat-targets`, `--pretrain-exponent γ|calibrated`,
 * `--pretrain-positive-share`, `--pretrain-temperature`, ...). A pretraining option that has no named
 * field here (e.g. `--pretrain-max-beats`) goes into `spec.options`, which reaches `pretrainBeatSsl`
 * as is; a flag that is not given changes nothing, so the cache key of a spec stays the same when a
 * flag is added to the shared set.
 */
export function pretrainSpecFromFlags(flags: Record<string, string | number | boolean>, defaults: Partial<PretrainSpec> = {}): PretrainSpec {
  let spec: PretrainSpec = { ...DEFAULT_PRETRAIN, ...defaults };
  const method = flags['pretrain-method'];
  if (typeof method === 'string') {
    if (!(method in METHOD_SPECS)) throw new Error(`--pretrain-method must be one of ${Object.keys(METHOD_SPECS).join(', ')}, but got ${method}`);
    spec = { ...spec, ...METHOD_SPECS[method] };
  }
  const given = new Set(Object.keys(flags).filter((k) => k.startsWith('pretrain-')));
  // Only flags typed on the command line count: the shared defaults (steps 1000, …) are the CLI's, not the evals'.
  const values = Object.fromEntries(Object.entries(flags).filter(([k]) => given.has(k)));
  const r = recipeFromFlags([...PRETRAIN_FLAGS, SEED_FLAG], values, { prefix: 'pretrain-', given });
  const m = r.model;
  const p = r.pretrain;
  if (m.encoder !== undefined) spec.encoder = m.encoder as EncoderPreset;
  if (m.seed !== undefined) spec.seed = m.seed as number;
  if (m.beatStage !== undefined) spec.beatStage = m.beatStage as number;
  if (p.steps !== undefined) spec.steps = p.steps as number;
  if (p.batchSize !== undefined) spec.batchSize = p.batchSize as number;
  if ((p.optimizer as { learningRate?: number } | undefined)?.learningRate !== undefined) spec.lr = (p.optimizer as { learningRate: number }).learningRate;
  if ((p.lrSchedule as { type?: string } | undefined)?.type !== undefined) spec.lrSchedule = (p.lrSchedule as { type: 'constant' | 'cosine' }).type;
  if (p.windowSamples !== undefined) spec.windowSamples = p.windowSamples as number;
  if (p.views !== undefined) spec.views = { ...spec.views, ...(p.views as PretrainSpec['views']) };
  // The objective: --pretrain-objective names a preset; the objective flags refine the spec's objective.
  const preset = p.objectivePreset as BeatSslPreset | undefined;
  const refine = (p.objective as BeatSslObjectiveOptions | undefined) ?? {};
  if (preset !== undefined) spec.objective = preset;
  if (Object.keys(refine).length > 0) {
    const base: BeatSslObjectiveOptions = typeof spec.objective === 'string' ? { ...BEAT_SSL_PRESETS[spec.objective] } : spec.objective;
    spec.objective = { ...base, ...refine };
  }
  const named = new Set(['steps', 'batchSize', 'optimizer', 'lrSchedule', 'windowSamples', 'views', 'objectivePreset', 'objective', 'seed']);
  const options = Object.fromEntries(Object.entries(p).filter(([k]) => !named.has(k)));
  if (Object.keys(options).length > 0) spec.options = { ...spec.options, ...options };
  return spec;
}
