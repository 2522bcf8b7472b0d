/**
 * The Beat-SSL pretraining loop: the loop, schedule and checkpoints only. Each step takes two crops
 * per record (independent offsets), makes 3KG views in mV and standardises them, embeds both with
 * {@link BeatSslModel.embed} (rhythm embedding + beats matched across views and pooled from the
 * beat stage), and minimises the objective of `beat-ssl/losses` ({@link createBeatSslObjective}),
 * reporting its learning signal (KL to the targets, top-1 retrieval) every step.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkKnownKeys, checkOneOf, fail, BeatSslError } from '../core/errors';
import { createRng } from '../core/rng';
import type { Augmentation } from '../augment/compose';
import { threeKG, type ThreeKGOptions } from '../augment/3kg';
import { standardizeBatch } from '../augment/standardizeBatch';
import {
  createBeatSslObjective,
  type BeatSslDiagnostics,
  type BeatSslObjective,
  type BeatSslObjectiveOptions,
  type BeatSslPreset,
  type LevelDiagnostics,
  type LevelInputs,
} from '../losses/beatSsl';
import { beatPairPlan, type BeatPairPlan } from '../models/beatRoiPool';
import { BeatSslModel } from '../models/beatSslModel';
import { sampleViewPairs, type ViewPairBatch } from '../data/sslBatch';
import { checkPrecomputedRecords, columnStats, type PrecomputedRecord } from './precomputed';
import { learningRateAt, type LrSchedule } from './schedule';
import { configDifferences, readLatestCheckpoint, restoreOptimizer, writeCheckpoint } from './checkpoint';
import { ensureGradients } from '../backend/ensureGradients';
import { makeAdam, type AdamOptions, setLearningRate, epochPermutation } from './_internal/loop';

export type { RhythmTargets, BeatTargets } from '../losses/beatSsl';

/** 3KG settings of the views (the seed and standardisation are the loop's). */
export type ViewAugmentOptions = Omit<ThreeKGOptions, 'seed' | 'rng' | 'standardize'>;

/** Options of {@link pretrainBeatSsl}. Defaults follow DESIGN §5. */
export interface PretrainOptions {
  /** The model to train (updated in place). */
  model: BeatSslModel;
  /**
   * Training records (see {@link PrecomputedRecord}), all at the same `fs` with the model's lead count,
   * signals band-passed in mV (views are standardised after augmentation).
   */
  data: PrecomputedRecord[];
  /** Total optimisation steps (including those done before a resume). Give `steps` or `epochs`. */
  steps?: number;
  /** Total epochs (an epoch = ⌊records / batchSize⌋ steps). */
  epochs?: number;
  /** Records per batch N (each gives two views). Default 32 (capped at the number of records). */
  batchSize?: number;
  /** Adam settings (`learningRate` default 1e-3). */
  optimizer?: AdamOptions;
  /** Learning-rate schedule. Default constant. */
  lrSchedule?: LrSchedule;
  /** The objective: options or a preset name of `beat-ssl/losses` (default: calibrated soft rhythm + hard beat targets). */
  objective?: BeatSslObjectiveOptions | BeatSslPreset;
  /**
   * How a view is made from a crop in mV: 3KG options (default 3KG: ±45°, ×[1, 1.5], 50 % mask), a
   * custom augmentation (its output is then standardised per lead), or `false` (crop, standardise).
   */
  augment?: ViewAugmentOptions | Augmentation | false;
  /**
   * How the two views are cut and when they are standardised (both defaults are the recipe of
   * DESIGN §5; the alternatives exist for ablations): `crops: 'independent'` (default, each view its
   * own offset) or `'shared'` (both views from one crop: R-peaks at the same samples in both);
   * `augmentInput: 'mV'` (default, 3KG on band-passed mV, each view standardised per lead after
   * augmentation) or `'standardized'` (each crop z-scored per lead first, then 3KG, as before 0.2).
   */
  views?: { crops?: 'independent' | 'shared'; augmentInput?: 'mV' | 'standardized' };
  /** Beats per record M in the beat loss. Default 16. */
  maxBeats?: number;
  /** Beat window before / after the R-peak (s). Defaults 0.25 / 0.45. */
  preSec?: number;
  postSec?: number;
  /**
   * Crop length of each view in samples (each view draws its own offset). Default: 80 % of the
   * shortest record, rounded down to a multiple of the encoder's total stride.
   */
  windowSamples?: number;
  /** Seed of everything random (batches, crops, beat sampling, views). */
  seed: number;
  /** Write checkpoints to `dir` every `everySteps` steps and at the end (Node). */
  checkpoint?: { dir: string; everySteps?: number; keep?: number };
  /** Continue from the latest checkpoint in `checkpoint.dir` if there is one. Default false. */
  resume?: boolean;
  /** Compute the learning signal (KL, retrieval) every this many steps; 0 = never. Default 1. */
  diagnosticsEvery?: number;
  /** Called after every step; return `false` to stop (a checkpoint is written first when configured). */
  onStep?: (info: PretrainStepInfo) => void | boolean | Promise<void | boolean>;
}

const PRETRAIN_KEYS = [
  'model',
  'data',
  'steps',
  'epochs',
  'batchSize',
  'optimizer',
  'lrSchedule',
  'objective',
  'augment',
  'views',
  'maxBeats',
  'preSec',
  'postSec',
  'windowSamples',
  'seed',
  'checkpoint',
  'resume',
  'diagnosticsEvery',
  'onStep',
] as const satisfies readonly (keyof PretrainOptions)[];

/** Per-step report of {@link pretrainBeatSsl}. */
export interface PretrainStepInfo {
  /** 1-based number of completed steps. */
  step: number;
  /** Total steps of the run. */
  totalSteps: number;
  /** Epoch (0-based) of this step. */
  epoch: number;
  loss: number;
  rhythmLoss: number;
  /** 0 when the objective has no beat term (or the batch had < 2 beats). */
  beatLoss: number;
  /** Learning signal of the rhythm level (KL to targets, top-1 view retrieval, target entropy, γ), when computed this step. */
  rhythm: LevelDiagnostics | null;
  /** Learning signal of the beat level, when computed and present. */
  beat: LevelDiagnostics | null;
  /** Learning rate used in this step. */
  lr: number;
  /** `tf.memory().numTensors` after the step. */
  numTensors: number;
  /** Records per second of this step. */
  recordsPerSec: number;
  /** Beats K in the beat loss (visible in both views). */
  beats: number;
}

/** Result of {@link pretrainBeatSsl}. */
export interface PretrainResult {
  /** Steps completed in total (including before a resume). */
  steps: number;
  /** Step reports of this call. */
  history: PretrainStepInfo[];
  /** Step the run resumed from (0 for a fresh run). */
  resumedFrom: number;
  /** Path of the last checkpoint written, if any. */
  checkpointPath: string | null;
}

interface ResolvedLoop {
  views: { crops: 'independent' | 'shared'; augmentInput: 'mV' | 'standardized' };
  batchSize: number;
  optimizer: Required<AdamOptions>;
  lrSchedule: LrSchedule;
  augment: ViewAugmentOptions | Augmentation | false;
  maxBeats: number;
  preSec: number;
  postSec: number;
  windowSamples: number;
  seed: number;
  records: number;
}

/** Config fields that must match between a checkpoint and a resumed run. */
function runConfig(o: ResolvedLoop, objective: BeatSslObjective, model: BeatSslModel): unknown {
  return { ...o, model: model.config, objective: objective.options, augment: typeof o.augment === 'function' ? 'custom' : o.augment };
}

const FN = 'pretrainBeatSsl';

/**
 * Pretrains a {@link BeatSslModel} with the Beat-SSL objective (DESIGN §5). Every configuration
 * of the paper's ablation (hard/soft rhythm targets, no/hard/soft beat targets, exponent 1/50) is
 * a combination of `rhythmTargets`, `beatTargets` and `exponent`. Deterministic for a seed on a
 * given backend; with `checkpoint` + `resume`, N steps, a stop and M more steps give the same
 * weights as N + M steps in one go.
 *
 * @param options {@link PretrainOptions}
 * @returns steps done, per-step history and the last checkpoint path
 * @throws on invalid options, inconsistent data, or a checkpoint written with another config
 * @example
 * const model = BeatSslModel.create({ encoder: 'small', seed: 1 });
 * const res = await pretrainBeatSsl({ model, data, steps: 200, batchSize: 16, seed: 1,
 *   rhythmTargets: 'soft', beatTargets: 'soft', exponent: 50,
 *   checkpoint: { dir: 'runs/pretrain', everySteps: 50 }, resume: true,
 *   onStep: (s) => console.log(s.step, s.loss) });
 */
export async function pretrainBeatSsl(options: PretrainOptions): Promise<PretrainResult> {
  check(options != null && typeof options === 'object', FN, 'options', 'an options object', options);
  checkKnownKeys(options, PRETRAIN_KEYS, FN, 'options');
  const { model, data } = options;
  check(model instanceof BeatSslModel && !model.isDisposed, FN, 'options.model', 'a BeatSslModel (not disposed)', model);
  const info = checkPrecomputedRecords(data, FN);
  if (info.leads !== model.config.encoder.leads) fail(FN, 'data[0].leads', `${model.config.encoder.leads} (the encoder's leads)`, info.leads);
  const seed = options.seed;
  check(typeof seed === 'number' && Number.isFinite(seed), FN, 'options.seed', 'a finite number (every run is seeded)', seed);
  const objective = createBeatSslObjectiveFor(options.objective);
  const batchSize = Math.min(checkInt(options.batchSize ?? 32, FN, 'options.batchSize', 2), data.length);
  const stepsPerEpoch = Math.max(1, Math.floor(data.length / batchSize));
  let totalSteps: number;
  if (options.steps !== undefined) totalSteps = checkInt(options.steps, FN, 'options.steps', 0);
  else if (options.epochs !== undefined) totalSteps = checkInt(options.epochs, FN, 'options.epochs', 0) * stepsPerEpoch;
  else fail(FN, 'options.steps', 'given (or options.epochs)', undefined);
  const augment = options.augment ?? {};
  check(augment === false || typeof augment === 'function' || (typeof augment === 'object' && augment !== null), FN, 'options.augment', '3KG options, an augmentation function or false', augment);
  if (typeof augment === 'object') checkKnownKeys(augment, ['transform', 'angleDeg', 'scale', 'maskRatio'], FN, 'options.augment');
  const stride = model.encoder.totalStride;
  const defaultWindow = Math.max(stride, Math.floor((0.8 * info.minLength) / stride) * stride);
  const views = options.views ?? {};
  check(typeof views === 'object' && views !== null, FN, 'options.views', "{ crops?: 'independent' | 'shared', augmentInput?: 'mV' | 'standardized' }", views);
  checkKnownKeys(views, ['crops', 'augmentInput'], FN, 'options.views');
  const o: ResolvedLoop = {
    views: {
      crops: checkOneOf(views.crops ?? 'independent', ['independent', 'shared'] as const, FN, 'options.views.crops'),
      augmentInput: checkOneOf(views.augmentInput ?? 'mV', ['mV', 'standardized'] as const, FN, 'options.views.augmentInput'),
    },
    batchSize,
    optimizer: makeAdam.resolve(options.optimizer, FN),
    lrSchedule: options.lrSchedule ?? { type: 'constant' },
    augment,
    maxBeats: checkInt(options.maxBeats ?? 16, FN, 'options.maxBeats', 1),
    preSec: options.preSec ?? 0.25,
    postSec: options.postSec ?? 0.45,
    windowSamples: checkInt(options.windowSamples ?? Math.min(defaultWindow, info.minLength), FN, 'options.windowSamples', 1, info.minLength),
    seed,
    records: data.length,
  };
  const diagEvery = checkInt(options.diagnosticsEvery ?? 1, FN, 'options.diagnosticsEvery', 0);
  const needs = objective.needs;
  if (needs.rhythm === 'features' && info.recordFeatureDim <= 0) fail(FN, 'data[i].recordFeatures', 'present in every record for soft rhythm targets', null);
  if (needs.rhythm === 'labels') data.forEach((r, i) => check(r.groupId === undefined || Number.isInteger(r.groupId), FN, `data[${i}].groupId`, "an integer patient id (or undefined) when rhythmTargets is 'patient'", r.groupId));
  if (needs.beat === 'features' && info.beatFeatureDim <= 0) fail(FN, 'data[i].beatFeatures', 'present for soft beat targets', null);
  if (needs.beat === 'labels' && data.some((r) => r.beatClasses === null)) fail(FN, 'data[i].beatClasses', "present in every record when beatTargets is 'hardClass'", null);
  if (typeof augment === 'object' && info.leads !== 12) fail(FN, 'options.augment', 'false or a custom augmentation for records that are not 12-lead (3KG needs the 12 standard leads)', augment);
  const ckpt = options.checkpoint;
  if (ckpt) {
    check(typeof ckpt.dir === 'string' && ckpt.dir.length > 0, FN, 'options.checkpoint.dir', 'a directory path', ckpt.dir);
    if (ckpt.everySteps !== undefined) checkInt(ckpt.everySteps, FN, 'options.checkpoint.everySteps', 1);
  }
  if (options.resume && !ckpt) fail(FN, 'options.checkpoint', 'set when resume is true', undefined);

  // Once-per-run precomputation: z-scored record and beat features (DESIGN §5).
  const L = o.windowSamples;
  const recFeat = needs.rhythm === 'features' ? zscoreRecordFeatures(data, info.recordFeatureDim) : null;
  const beatFeat = needs.beat === 'features' ? zscoreBeatFeatures(data, info.beatFeatureDim) : null;
  const geometry = model.beatGeometry(L);
  const frames = Math.ceil(L / geometry.stride);

  await ensureGradients();
  const config = runConfig(o, objective, model);
  const rng = createRng(seed);
  const optimizer = makeAdam(o.optimizer);
  const variables = model.trainableVariables;
  let step = 0;
  let resumedFrom = 0;
  let checkpointPath: string | null = null;
  try {
    if (options.resume && ckpt) {
      const found = await readLatestCheckpoint(ckpt.dir);
      if (found) {
        const diffs = configDifferences(found.config, config);
        if (diffs.length > 0) {
          throw new BeatSslError(FN, `the checkpoint in ${JSON.stringify(ckpt.dir)} must have been written with the same config, but got differences in: ${diffs.join(', ')}. Use another checkpoint dir or the original settings.`, 'checkpoint');
        }
        const saved = await BeatSslModel.load(found.modelDir);
        copyWeights(saved, model);
        saved.dispose();
        await restoreOptimizer(found.path, optimizer);
        rng.setState(found.rngState);
        step = found.step;
        resumedFrom = step;
      }
    }
    const history: PretrainStepInfo[] = [];
    let savedAt = resumedFrom;
    const save = async (): Promise<void> => {
      if (!ckpt || savedAt === step) return;
      savedAt = step;
      checkpointPath = await writeCheckpoint(ckpt.dir, { step, rngState: rng.getState(), config }, (d) => model.saveInto(d), optimizer, { keep: ckpt.keep });
    };
    while (step < totalSteps) {
      const t0 = Date.now();
      const epoch = Math.floor(step / stepsPerEpoch);
      const perm = epochPermutation(seed, epoch, data.length);
      const pos = (step % stepsPerEpoch) * batchSize;
      const idx = Array.from(perm.subarray(pos, pos + batchSize));
      const stepRng = rng.fork();
      const batch = sampleViewPairs(data, idx, { length: L, rng: stepRng, sharedCrop: o.views.crops === 'shared' });
      const B = idx.length;
      const plan = objective.usesBeats
        ? beatPairPlan(batch.peaks.slice(0, B), batch.peaks.slice(B), frames, { geometry, fs: info.fs, preSec: o.preSec, postSec: o.postSec, maxBeats: o.maxBeats, inputLength: L, seed: stepRng })
        : null;
      const targets = objective.targets({
        rhythm: levelInputs(needs.rhythm, B, () => gatherRows(recFeat!, idx), () => idx.map((r) => data[r].groupId ?? -1)),
        beat: plan ? levelInputs(needs.beat, plan.slots.length, () => gatherBeatFeatures(beatFeat!, idx, plan, info.beatFeatureDim), () => gatherBeatClasses(data, idx, plan)) : null,
      });
      const lr = learningRateAt(o.optimizer.learningRate, step, totalSteps, o.lrSchedule);
      setLearningRate(optimizer, lr);
      const views = makeViews(batch, o.augment, o.views.augmentInput, stepRng);
      let zr: tf.Tensor2D | null = null;
      let zb: tf.Tensor2D | null = null;
      let parts: number[] = [];
      try {
        const { value, grads } = tf.variableGrads(() => {
          const e = model.embed(views, targets.beat ? plan : null, { training: true });
          zr = tf.keep(e.rhythm);
          zb = e.beat ? tf.keep(e.beat) : null;
          const l = objective.loss({ rhythm: e.rhythm, beat: e.beat }, targets);
          return l.total;
        }, variables);
        optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
        tf.dispose([value, ...Object.values(grads)]);
        step++;
        const diag: BeatSslDiagnostics | null = diagEvery > 0 && (step % diagEvery === 0 || step === totalSteps) ? objective.diagnostics({ rhythm: zr!, beat: zb }, targets) : null;
        parts = diag ? [diag.rhythm.loss, diag.beat?.loss ?? 0] : lossParts(objective, zr!, zb, targets);
        const dt = Math.max(1e-3, (Date.now() - t0) / 1000);
        const rep: PretrainStepInfo = {
          step,
          totalSteps,
          epoch,
          loss: parts[0] + objective.options.lambdaBeat * parts[1],
          rhythmLoss: parts[0],
          beatLoss: parts[1],
          rhythm: diag?.rhythm ?? null,
          beat: diag?.beat ?? null,
          lr,
          numTensors: 0,
          recordsPerSec: batchSize / dt,
          beats: targets.beat ? targets.beat.n : 0,
        };
        tf.dispose([views, ...(zr ? [zr] : []), ...(zb ? [zb] : [])]);
        targets.dispose();
        rep.numTensors = tf.memory().numTensors;
        history.push(rep);
        if (!Number.isFinite(rep.loss)) fail(FN, 'loss', 'finite (lower the learning rate or raise the temperature)', rep.loss);
        const atEvery = ckpt?.everySteps !== undefined && step % ckpt.everySteps === 0;
        if (atEvery && step < totalSteps) await save();
        const cont = options.onStep ? await options.onStep(rep) : undefined;
        if (cont === false) break;
      } finally {
        if (!views.isDisposed) {
          tf.dispose([views, ...(zr && !(zr as tf.Tensor).isDisposed ? [zr] : []), ...(zb && !(zb as tf.Tensor).isDisposed ? [zb] : [])]);
          targets.dispose();
        }
      }
    }
    await save();
    return { steps: step, history, resumedFrom, checkpointPath };
  } finally {
    optimizer.dispose();
  }
}

/** Resolves the objective, naming `pretrainBeatSsl`'s option in errors. */
function createBeatSslObjectiveFor(objective: PretrainOptions['objective']): BeatSslObjective {
  try {
    return createBeatSslObjective(objective ?? {});
  } catch (e) {
    if (e instanceof BeatSslError) throw new BeatSslError(FN, e.message.replace(/^Error in createBeatSslObjective: options/, 'options.objective'), 'objective');
    throw e;
  }
}

/** The level inputs the objective needs (features or labels), computed only when needed. */
function levelInputs(need: 'none' | 'features' | 'labels', n: number, features: () => Float32Array, labels: () => number[]): LevelInputs {
  if (need === 'features') return { n, features: features() };
  if (need === 'labels') return { n, labels: labels() };
  return { n };
}

/** Loss parts as numbers when diagnostics are off this step. */
function lossParts(objective: BeatSslObjective, zr: tf.Tensor2D, zb: tf.Tensor2D | null, targets: ReturnType<BeatSslObjective['targets']>): number[] {
  const v = tf.tidy(() => {
    const l = objective.loss({ rhythm: zr, beat: zb }, targets);
    return tf.stack(l.beat ? [l.rhythm, l.beat] : [l.rhythm, tf.scalar(0)]);
  });
  const out = Array.from(v.dataSync());
  v.dispose();
  return out;
}

/** The standardised views `[2B, L, leads]` of a batch of crops in mV. */
function makeViews(batch: ViewPairBatch, augment: ResolvedLoop['augment'], input: 'mV' | 'standardized', rng: ReturnType<typeof createRng>): tf.Tensor3D {
  return tf.tidy(() => {
    const crops = tf.tensor3d(batch.x, [2 * batch.records, batch.length, batch.leads]);
    if (input === 'standardized') {
      // ablation: z-score first, then augment, no standardisation afterwards (the pre-0.2 recipe)
      const x = standardizeBatch(crops);
      if (augment === false) return x;
      return typeof augment === 'function' ? augment(x, rng) : threeKG(x, { ...augment, rng });
    }
    if (augment === false) return standardizeBatch(crops);
    if (typeof augment === 'function') return standardizeBatch(augment(crops, rng));
    return threeKG(crops, { ...augment, standardize: true, rng });
  });
}

/** Copies all weights (trainable and BatchNorm statistics) of `from` into `to` (same architecture). */
function copyWeights(from: BeatSslModel, to: BeatSslModel): void {
  const pairs: [typeof from.encoder.model, typeof to.encoder.model][] = [
    [from.encoder.model, to.encoder.model],
    [from.projectorRhythm.model, to.projectorRhythm.model],
    [from.projectorBeat.model, to.projectorBeat.model],
  ];
  for (const [a, b] of pairs) b.setWeights(a.getWeights());
}

function zscoreRecordFeatures(data: readonly PrecomputedRecord[], dim: number): Float32Array[] | null {
  if (dim <= 0) return null;
  const { mean, sd } = columnStats(data.map((r) => r.recordFeatures!), dim);
  return data.map((r) => Float32Array.from(r.recordFeatures!, (v, j) => (Number.isFinite(v) ? (v - mean[j]) / sd[j] : 0)));
}

function zscoreBeatFeatures(data: readonly PrecomputedRecord[], dim: number): Float32Array[] | null {
  if (dim <= 0) return null;
  function* rows(): Generator<Float32Array> {
    for (const r of data) if (r.beatFeatures) for (let k = 0; k < r.rPeaks.length; k++) yield r.beatFeatures.subarray(k * dim, (k + 1) * dim);
  }
  const { mean, sd } = columnStats(rows(), dim);
  return data.map((r) => (r.beatFeatures ? Float32Array.from(r.beatFeatures, (v, i) => (Number.isFinite(v) ? (v - mean[i % dim]) / sd[i % dim] : 0)) : new Float32Array(0)));
}

/** Rows `idx` of per-record features `[B, D]`. */
function gatherRows(rows: Float32Array[], idx: number[]): Float32Array {
  const D = rows[0].length;
  const out = new Float32Array(idx.length * D);
  idx.forEach((r, b) => out.set(rows[r], b * D));
  return out;
}

/** ψ rows of the K planned beats `[K, D]` (z-scored). */
function gatherBeatFeatures(psi: Float32Array[], idx: number[], plan: BeatPairPlan, D: number): Float32Array {
  const out = new Float32Array(plan.slots.length * D);
  plan.beatIds.forEach((id, j) => out.set(psi[idx[plan.recordOf[j]]].subarray(id * D, (id + 1) * D), j * D));
  return out;
}

/** Class of each of the K planned beats (−1 unknown). */
function gatherBeatClasses(data: readonly PrecomputedRecord[], idx: number[], plan: BeatPairPlan): number[] {
  return Array.from(plan.beatIds, (id, j) => data[idx[plan.recordOf[j]]].beatClasses![id]);
}
