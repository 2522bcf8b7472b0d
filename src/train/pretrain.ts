/**
 * The Beat-SSL pretraining loop: two 3KG views per record, rhythm loss on g_r(e), beat loss on
 * g_b of RoI-pooled beat features, `L = L_rhythm + λ·L_beat`, Adam, checkpoints and exact resume.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkInt, checkOneOf, checkPositive, fail, BeatSslError } from '../core/errors';
import { createRng, type Rng } from '../core/rng';
import type { Augmentation } from '../augment/compose';
import { twoViews, type TwoViewsOptions } from '../augment/twoViews';
import { ntXent } from '../losses/ntXent';
import { softInfoNCE, type SoftInfoNCENormalization } from '../losses/softInfoNCE';
import { multiPositiveInfoNCE } from '../losses/multiPositiveInfoNCE';
import { pairTargets, softTargets, classTargets } from '../losses/targets';
import { beatRoiPlan } from '../models/beatRoiPool';
import { constMatMul } from '../models/_internal/constMatMul';
import { BeatSslModel } from '../models/beatSslModel';
import { checkPrecomputedRecords, columnStats, type PrecomputedRecord } from './precomputed';
import { learningRateAt, type LrSchedule } from './schedule';
import { configDifferences, readLatestCheckpoint, restoreOptimizer, writeCheckpoint } from './checkpoint';
import { ensureGradients } from '../backend/ensureGradients';
import { makeAdam, type AdamOptions, setLearningRate, epochPermutation } from './_internal/loop';

/**
 * Rhythm-level targets: `'hard'` (NT-Xent), `'soft'` (record-feature similarity), or `'patient'`
 * (multi-positive: both views of every record of the same patient, from `PrecomputedRecord.groupId`,
 * are positives — the patient-level SimCLR variant of the paper's baselines).
 */
export type RhythmTargets = 'hard' | 'soft' | 'patient';
/** Beat-level targets: none (rhythm only), hard (same beat), hardClass (same beat or class), soft (beat-feature similarity). */
export type BeatTargets = 'none' | 'hard' | 'hardClass' | 'soft';

/** Options of {@link pretrainBeatSsl}. Defaults follow DESIGN §5. */
export interface PretrainOptions {
  /** The model to train (updated in place). */
  model: BeatSslModel;
  /** Training records (see {@link PrecomputedRecord}); all at the same `fs` with the model's lead count. */
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
  /** Temperature τ. Default 0.1. */
  temperature?: number;
  /** Weight λ of the beat loss. Default 1. */
  lambdaBeat?: number;
  /** Rhythm targets. Default `'soft'`. */
  rhythmTargets?: RhythmTargets;
  /** Beat targets. Default `'soft'`. */
  beatTargets?: BeatTargets;
  /** Exponent γ of soft targets (the paper's "Exp.", 1 or 50). Default 1. */
  exponent?: number;
  /** Exponent of the beat soft targets. Default `exponent`. */
  beatExponent?: number;
  /** Similarity of soft targets. Default `'cosine'` (mapped to [0, 1]). */
  similarity?: 'cosine' | 'gaussian';
  /** Kernel width σ for `'gaussian'` (z-scored feature units). Default 1. */
  sigma?: number;
  /** How soft targets enter the loss (`'row'` cross-entropy, `'weighted'` SoftCLT sum, `'sigmoid'` BCE). Default `'row'`. */
  normalization?: SoftInfoNCENormalization;
  /** 3KG options for the views, a custom augmentation, or `false` for identical views. Default 3KG defaults. */
  augment?: Omit<TwoViewsOptions, 'seed' | 'rng' | 'augment'> | Augmentation | false;
  /** Beats per record M in the beat loss. Default 16. */
  maxBeats?: number;
  /** Beat window before / after the R-peak (s). Defaults 0.25 / 0.45. */
  preSec?: number;
  postSec?: number;
  /** Crop length in samples (random offset per record and step, same for both views). Default: shortest record. */
  windowSamples?: number;
  /** Seed of everything random (batches, views, beat sampling). */
  seed: number;
  /** Write checkpoints to `dir` every `everySteps` steps and at the end (Node). */
  checkpoint?: { dir: string; everySteps?: number; keep?: number };
  /** Continue from the latest checkpoint in `checkpoint.dir` if there is one. Default false. */
  resume?: boolean;
  /** Called after every step; return `false` to stop (a checkpoint is written first when configured). */
  onStep?: (info: PretrainStepInfo) => void | boolean | Promise<void | boolean>;
}

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
  /** 0 when `beatTargets` is `'none'`. */
  beatLoss: number;
  /** Learning rate used in this step. */
  lr: number;
  /** `tf.memory().numTensors` after the step. */
  numTensors: number;
  /** Records per second of this step. */
  recordsPerSec: number;
  /** Valid beats in the batch (per view). */
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

/** Config fields that must match between a checkpoint and a resumed run. */
function objectiveConfig(o: ResolvedPretrain, model: BeatSslModel): unknown {
  return {
    model: model.config,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    lrSchedule: o.lrSchedule,
    temperature: o.temperature,
    lambdaBeat: o.lambdaBeat,
    rhythmTargets: o.rhythmTargets,
    beatTargets: o.beatTargets,
    exponent: o.exponent,
    beatExponent: o.beatExponent,
    similarity: o.similarity,
    sigma: o.sigma,
    normalization: o.normalization,
    augment: typeof o.augment === 'function' ? 'custom' : o.augment,
    maxBeats: o.maxBeats,
    preSec: o.preSec,
    postSec: o.postSec,
    windowSamples: o.windowSamples,
    seed: o.seed,
    records: o.records,
  };
}

interface ResolvedPretrain {
  batchSize: number;
  optimizer: Required<AdamOptions>;
  lrSchedule: LrSchedule;
  temperature: number;
  lambdaBeat: number;
  rhythmTargets: RhythmTargets;
  beatTargets: BeatTargets;
  exponent: number;
  beatExponent: number;
  similarity: 'cosine' | 'gaussian';
  sigma: number;
  normalization: SoftInfoNCENormalization;
  augment: Omit<TwoViewsOptions, 'seed' | 'rng' | 'augment'> | Augmentation | false;
  maxBeats: number;
  preSec: number;
  postSec: number;
  windowSamples: number;
  seed: number;
  records: number;
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
  const { model, data } = options;
  check(model instanceof BeatSslModel && !model.isDisposed, FN, 'options.model', 'a BeatSslModel (not disposed)', model);
  const info = checkPrecomputedRecords(data, FN);
  if (info.leads !== model.config.encoder.leads) fail(FN, 'data[0].leads', `${model.config.encoder.leads} (the encoder's leads)`, info.leads);
  const seed = options.seed;
  check(typeof seed === 'number' && Number.isFinite(seed), FN, 'options.seed', 'a finite number (every run is seeded)', seed);
  const batchSize = Math.min(checkInt(options.batchSize ?? 32, FN, 'options.batchSize', 2), data.length);
  const stepsPerEpoch = Math.max(1, Math.floor(data.length / batchSize));
  let totalSteps: number;
  if (options.steps !== undefined) totalSteps = checkInt(options.steps, FN, 'options.steps', 0);
  else if (options.epochs !== undefined) totalSteps = checkInt(options.epochs, FN, 'options.epochs', 0) * stepsPerEpoch;
  else fail(FN, 'options.steps', 'given (or options.epochs)', undefined);
  const augment = options.augment ?? {};
  check(augment === false || typeof augment === 'function' || typeof augment === 'object', FN, 'options.augment', '3KG options, an augmentation function or false', augment);
  const o: ResolvedPretrain = {
    batchSize,
    optimizer: makeAdam.resolve(options.optimizer, FN),
    lrSchedule: options.lrSchedule ?? { type: 'constant' },
    temperature: checkPositive(options.temperature ?? 0.1, FN, 'options.temperature'),
    lambdaBeat: options.lambdaBeat ?? 1,
    rhythmTargets: checkOneOf(options.rhythmTargets ?? 'soft', ['hard', 'soft', 'patient'] as const, FN, 'options.rhythmTargets'),
    beatTargets: checkOneOf(options.beatTargets ?? 'soft', ['none', 'hard', 'hardClass', 'soft'] as const, FN, 'options.beatTargets'),
    exponent: options.exponent ?? 1,
    beatExponent: options.beatExponent ?? options.exponent ?? 1,
    similarity: checkOneOf(options.similarity ?? 'cosine', ['cosine', 'gaussian'] as const, FN, 'options.similarity'),
    sigma: checkPositive(options.sigma ?? 1, FN, 'options.sigma'),
    normalization: checkOneOf(options.normalization ?? 'row', ['row', 'weighted', 'sigmoid'] as const, FN, 'options.normalization'),
    augment,
    maxBeats: checkInt(options.maxBeats ?? 16, FN, 'options.maxBeats', 1),
    preSec: options.preSec ?? 0.25,
    postSec: options.postSec ?? 0.45,
    windowSamples: checkInt(options.windowSamples ?? info.minLength, FN, 'options.windowSamples', 1, info.minLength),
    seed,
    records: data.length,
  };
  check(Number.isFinite(o.lambdaBeat) && o.lambdaBeat >= 0, FN, 'options.lambdaBeat', 'a number ≥ 0', o.lambdaBeat);
  if (o.rhythmTargets === 'soft' && info.recordFeatureDim <= 0) fail(FN, 'data[i].recordFeatures', "present in every record when rhythmTargets is 'soft'", null);
  if (o.rhythmTargets === 'patient') data.forEach((r, i) => check(r.groupId === undefined || Number.isInteger(r.groupId), FN, `data[${i}].groupId`, "an integer patient id (or undefined) when rhythmTargets is 'patient'", r.groupId));
  if (o.beatTargets === 'soft' && info.beatFeatureDim <= 0) fail(FN, 'data[i].beatFeatures', "present when beatTargets is 'soft'", null);
  if (o.beatTargets === 'hardClass' && data.some((r) => r.beatClasses === null)) fail(FN, 'data[i].beatClasses', "present in every record when beatTargets is 'hardClass'", null);
  const ckpt = options.checkpoint;
  if (ckpt) {
    check(typeof ckpt.dir === 'string' && ckpt.dir.length > 0, FN, 'options.checkpoint.dir', 'a directory path', ckpt.dir);
    if (ckpt.everySteps !== undefined) checkInt(ckpt.everySteps, FN, 'options.checkpoint.everySteps', 1);
  }
  if (options.resume && !ckpt) fail(FN, 'options.checkpoint', 'set when resume is true', undefined);

  // Once-per-run precomputation: z-scored record and beat features (DESIGN §5).
  const L = o.windowSamples;
  const leads = info.leads;
  const recFeat = zscoreRecordFeatures(data, info.recordFeatureDim);
  const beatFeat = zscoreBeatFeatures(data, info.beatFeatureDim);

  await ensureGradients();
  const config = objectiveConfig(o, model);
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
    const beatStride = model.beatStride;
    const frames = Math.ceil(L / beatStride);
    let savedAt = -1;
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
      const batch = assembleBatch(data, idx, L, leads, stepRng);
      const plan = beatRoiPlan(batch.peaks, frames, { stride: beatStride, fs: info.fs, preSec: o.preSec, postSec: o.postSec, maxBeats: o.maxBeats, inputLength: L, seed: stepRng });
      const lr = learningRateAt(o.optimizer.learningRate, step, totalSteps, o.lrSchedule);
      setLearningRate(optimizer, lr);
      const parts = trainStep(model, optimizer, variables, batch, plan, idx, o, recFeat, beatFeat, stepRng, L, leads, { data, beatDim: info.beatFeatureDim });
      step++;
      const dt = Math.max(1e-3, (Date.now() - t0) / 1000);
      const rep: PretrainStepInfo = {
        step,
        totalSteps,
        epoch,
        loss: parts.loss,
        rhythmLoss: parts.rhythm,
        beatLoss: parts.beat,
        lr,
        numTensors: tf.memory().numTensors,
        recordsPerSec: batchSize / dt,
        beats: parts.beats,
      };
      history.push(rep);
      if (!Number.isFinite(rep.loss)) fail(FN, 'loss', 'finite (lower the learning rate or raise the temperature)', rep.loss);
      const atEvery = ckpt?.everySteps !== undefined && step % ckpt.everySteps === 0;
      if (atEvery && step < totalSteps) await save();
      const cont = options.onStep ? await options.onStep(rep) : undefined;
      if (cont === false) break;
    }
    await save();
    return { steps: step, history, resumedFrom, checkpointPath };
  } finally {
    optimizer.dispose();
  }
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

interface Batch {
  x: Float32Array;
  peaks: Int32Array[];
  /** Index into the record's rPeaks of each kept (cropped) peak. */
  peakIndex: Int32Array[];
}

/** Crops each record to L samples (random offset, same for both views) and shifts its peaks. */
function assembleBatch(data: readonly PrecomputedRecord[], idx: number[], L: number, leads: number, rng: Rng): Batch {
  const x = new Float32Array(idx.length * L * leads);
  const peaks: Int32Array[] = [];
  const peakIndex: Int32Array[] = [];
  idx.forEach((r, b) => {
    const rec = data[r];
    const T = rec.signals.length / leads;
    const off = T > L ? rng.int(T - L + 1) : 0;
    x.set(rec.signals.subarray(off * leads, (off + L) * leads), b * L * leads);
    const p: number[] = [];
    const k: number[] = [];
    rec.rPeaks.forEach((v, i) => {
      if (v >= off && v < off + L) {
        p.push(v - off);
        k.push(i);
      }
    });
    peaks.push(Int32Array.from(p));
    peakIndex.push(Int32Array.from(k));
  });
  return { x, peaks, peakIndex };
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

/** One forward/backward/Adam step; returns the loss parts as numbers. */
function trainStep(
  model: BeatSslModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: Batch,
  plan: ReturnType<typeof beatRoiPlan>,
  idx: number[],
  o: ResolvedPretrain,
  recFeat: Float32Array[] | null,
  beatFeat: Float32Array[] | null,
  rng: Rng,
  L: number,
  leads: number,
  ctx: { data: readonly PrecomputedRecord[]; beatDim: number },
): { loss: number; rhythm: number; beat: number; beats: number } {
  const B = idx.length;
  const M = plan.maxBeats;
  // Valid beat slots (b·M + m): the beat loss runs on these K beats only (no padded rows).
  const slots: number[] = [];
  for (let i = 0; i < B * M; i++) if (plan.mask[i] > 0) slots.push(i);
  const totalBeats = slots.length;
  const useBeats = o.beatTargets !== 'none' && o.lambdaBeat > 0 && totalBeats >= 2;
  // Constant inputs and targets (outside the gradient).
  const consts = tf.tidy(() => {
    const x = tf.tensor3d(batch.x, [B, L, leads]);
    let views: tf.Tensor3D;
    if (o.augment === false) views = tf.concat([x, x]) as tf.Tensor3D;
    else {
      const opts: TwoViewsOptions = typeof o.augment === 'function' ? { augment: o.augment, rng } : { ...o.augment, rng };
      const { view1, view2 } = twoViews(x, opts);
      views = tf.concat([view1, view2]) as tf.Tensor3D;
    }
    const out: Record<string, tf.Tensor> = { views };
    if (o.rhythmTargets === 'soft') {
      const phi = recFeat!;
      const D = phi[0].length;
      const f = new Float32Array(B * D);
      idx.forEach((r, b) => f.set(phi[r], b * D));
      out.rhythmTargets = softTargets(tf.tensor2d(f, [B, D]), { exponent: o.exponent, similarity: o.similarity, sigma: o.sigma });
    } else if (o.rhythmTargets === 'patient') {
      // Records without a patient id get a label of their own (only their other view is positive).
      out.rhythmTargets = classTargets(idx.map((r) => ctx.data[r].groupId ?? -1));
    } else if (o.normalization !== 'row') out.rhythmTargets = pairTargets(B);
    if (useBeats) {
      const P = tf.tensor3d(plan.matrix, [B, M, plan.frames]);
      out.pool = tf.concat([P, P]);
      out.poolT = tf.transpose(out.pool, [0, 2, 1]);
      // Selection [2K, 2·B·M]: row j picks slot j of view 1, row K + j the same slot of view 2.
      const K = totalBeats;
      const sel = new Float32Array(2 * K * 2 * B * M);
      slots.forEach((slot, j) => {
        sel[j * 2 * B * M + slot] = 1;
        sel[(K + j) * 2 * B * M + B * M + slot] = 1;
      });
      out.select = tf.tensor2d(sel, [2 * K, 2 * B * M]);
      out.selectT = tf.transpose(out.select);
      if (o.beatTargets === 'soft') {
        const D = ctx.beatDim;
        out.beatTargets = softTargets(tf.tensor2d(gatherBeatFeatures(beatFeat!, idx, batch, plan, slots, D), [K, D]), {
          exponent: o.beatExponent,
          similarity: o.similarity,
          sigma: o.sigma,
        });
      } else if (o.beatTargets === 'hardClass') {
        out.beatTargets = classTargets(gatherBeatClasses(ctx.data, idx, batch, plan, slots));
      } else if (o.normalization !== 'row') out.beatTargets = pairTargets(K);
    }
    return out;
  });
  let rhythmT: tf.Scalar | null = null;
  let beatT: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const { stages, embedding } = model.encoder.apply(consts.views as tf.Tensor3D, { training: true });
    const zr = model.projectorRhythm.apply(embedding);
    const rl =
      o.rhythmTargets === 'patient'
        ? multiPositiveInfoNCE(zr, consts.rhythmTargets as tf.Tensor2D, { temperature: o.temperature })
        : o.rhythmTargets === 'hard' && o.normalization === 'row'
        ? ntXent(zr, { temperature: o.temperature })
        : softInfoNCE(zr, consts.rhythmTargets as tf.Tensor2D, { temperature: o.temperature, normalization: o.normalization });
    rhythmT = tf.keep(rl);
    if (!useBeats) return rl;
    const fm = stages[model.config.beatStage];
    // Constant matrices with explicit-transpose gradients (fast on wasm).
    const pooled = tf.reshape(constMatMul(consts.pool as tf.Tensor3D, fm, consts.poolT as tf.Tensor3D), [2 * B * M, fm.shape[2]]) as tf.Tensor2D;
    const zb = model.projectorBeat.apply(constMatMul(consts.select as tf.Tensor2D, pooled, consts.selectT as tf.Tensor2D)); // [2K, d]
    let bl: tf.Scalar;
    if (o.beatTargets === 'hard' && o.normalization === 'row') bl = ntXent(zb, { temperature: o.temperature });
    else if (o.beatTargets === 'hardClass') bl = multiPositiveInfoNCE(zb, consts.beatTargets as tf.Tensor2D, { temperature: o.temperature });
    else bl = softInfoNCE(zb, consts.beatTargets as tf.Tensor2D, { temperature: o.temperature, normalization: o.normalization });
    beatT = tf.keep(bl);
    return tf.add(rl, tf.mul(bl, o.lambdaBeat)) as tf.Scalar;
  }, variables);
  const named = variables.map((v) => ({ name: v.name, tensor: grads[v.name] }));
  optimizer.applyGradients(named);
  const loss = value.dataSync()[0];
  const rhythm = (rhythmT as tf.Scalar | null)?.dataSync()[0] ?? NaN;
  const beat = useBeats ? ((beatT as tf.Scalar | null)?.dataSync()[0] ?? 0) : 0;
  tf.dispose([value, ...Object.values(grads), ...Object.values(consts)]);
  if (rhythmT) (rhythmT as tf.Scalar).dispose();
  if (beatT) (beatT as tf.Scalar).dispose();
  return { loss, rhythm, beat, beats: totalBeats };
}

/** ψ rows of the K selected beats `[K, D]` (z-scored). */
function gatherBeatFeatures(psi: Float32Array[], idx: number[], batch: Batch, plan: ReturnType<typeof beatRoiPlan>, slots: number[], D: number): Float32Array {
  const M = plan.maxBeats;
  const out = new Float32Array(slots.length * D);
  slots.forEach((slot, j) => {
    const b = Math.floor(slot / M);
    const orig = batch.peakIndex[b][plan.beatIndex[slot]];
    out.set(psi[idx[b]].subarray(orig * D, (orig + 1) * D), j * D);
  });
  return out;
}

/** Class of each of the K selected beats (−1 unknown). */
function gatherBeatClasses(data: readonly PrecomputedRecord[], idx: number[], batch: Batch, plan: ReturnType<typeof beatRoiPlan>, slots: number[]): Int32Array {
  const M = plan.maxBeats;
  return Int32Array.from(slots, (slot) => {
    const b = Math.floor(slot / M);
    return data[idx[b]].beatClasses![batch.peakIndex[b][plan.beatIndex[slot]]];
  });
}
