/**
 * The whole Beat-SSL objective as a unit any training loop can call: options resolved and checked
 * once, targets built per batch (outside the gradient), `L = L_rhythm + λ·L_beat` with its parts, and
 * the learning signal (target entropy, KL to the targets, top-1 retrieval of the other view).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkKnownKeys, checkOneOf, fail } from '../core/errors';
import { ntXent } from './ntXent';
import { softInfoNCE, SOFT_INFONCE_NORMALIZATIONS, type SoftInfoNCENormalization } from './softInfoNCE';
import {
  calibrateFromSimilarity,
  classTargets,
  pairTargets,
  resolveSoftTargets,
  similarityMatrix,
  softTargetMatrix,
  SOFT_TARGET_SIMILARITIES,
  type ResolvedSoftTargets,
  type SoftTargetSimilarity,
} from './targets';
import { l2Normalize } from './_internal/contrastive';

/**
 * What one level's targets are built from, and how. Adding a target kind is one entry here.
 * - `'hard'`: the other view is the only positive (NT-Xent).
 * - `'soft'`: the other view, plus every other item weighted by feature similarity `sim(φ)^γ`.
 * - `'class'`: the other view and every item with the same label (multi-positive; label < 0 = unknown).
 */
const TARGET_KINDS = {
  none: { input: 'none' },
  hard: { input: 'none' },
  soft: { input: 'features' },
  patient: { input: 'labels' },
  hardClass: { input: 'labels' },
} as const satisfies Record<string, { input: 'none' | 'features' | 'labels' }>;

/**
 * Rhythm (record-level) targets: `'hard'` (NT-Xent), `'soft'` (record-feature similarity), or
 * `'patient'` (multi-positive: records with the same patient/group label are positives).
 */
export type RhythmTargets = 'hard' | 'soft' | 'patient';
/** Beat-level targets: none (rhythm only), hard (same beat), hardClass (same beat or beat class), soft (beat-feature similarity). */
export type BeatTargets = 'none' | 'hard' | 'hardClass' | 'soft';
/** Rhythm target kinds, in the order shown in messages. */
export const RHYTHM_TARGETS = ['hard', 'soft', 'patient'] as const satisfies readonly RhythmTargets[];
/** Beat target kinds, in the order shown in messages. */
export const BEAT_TARGETS = ['none', 'hard', 'hardClass', 'soft'] as const satisfies readonly BeatTargets[];

/** Options of {@link createBeatSslObjective}. Defaults are this project's (DESIGN §5); presets in {@link BEAT_SSL_PRESETS}. */
export interface BeatSslObjectiveOptions {
  /** Temperature τ of the logits `cos / τ` (both levels). Default 0.1. */
  temperature?: number;
  /** Weight λ of the beat loss. Default 1. */
  lambdaBeat?: number;
  /** Rhythm targets. Default `'soft'`. */
  rhythmTargets?: RhythmTargets;
  /** Beat targets. Default `'hard'` (the paper's best configuration is soft rhythm + hard beat). */
  beatTargets?: BeatTargets;
  /**
   * Sharpness γ of soft rhythm targets `sim^γ`, or `'calibrated'` (default): γ is set per batch so
   * that the other view holds on average `positiveShare` of each row's target mass. γ = 1 and 50 are
   * the paper's presets: at N = 32, γ = 1 leaves the other view ≈ 3 % of the mass (the loss sits at the
   * entropy of near-uniform targets and teaches little), γ = 50 ≈ 99 % (nearly hard).
   */
  exponent?: number | 'calibrated';
  /** Target share of the other view when `exponent` is `'calibrated'`, in (0, 1). Default 0.5. */
  positiveShare?: number;
  /** Sharpness of soft beat targets. Default `exponent`. */
  beatExponent?: number | 'calibrated';
  /** Target share of the other view for calibrated soft beat targets. Default `positiveShare`. */
  beatPositiveShare?: number;
  /** Similarity of soft targets: `'cosine'` (default, mapped to [0, 1]) or `'gaussian'` (needs `sigma`). */
  similarity?: SoftTargetSimilarity;
  /** Kernel width σ of `'gaussian'` in z-scored feature units. */
  sigma?: number;
  /** How soft targets enter the loss (`'row'` cross-entropy, `'weighted'` SoftCLT sum, `'sigmoid'` BCE). Default `'row'`. */
  normalization?: SoftInfoNCENormalization;
}

/** Every option of {@link BeatSslObjectiveOptions} (for messages and for option-key checks of callers). */
export const BEAT_SSL_OBJECTIVE_KEYS = [
  'temperature',
  'lambdaBeat',
  'rhythmTargets',
  'beatTargets',
  'exponent',
  'positiveShare',
  'beatExponent',
  'beatPositiveShare',
  'similarity',
  'sigma',
  'normalization',
] as const satisfies readonly (keyof BeatSslObjectiveOptions)[];

/**
 * Named configurations. `default` = this project's default (calibrated soft rhythm + hard beats);
 * `paperExp1` / `paperExp50` = the paper's soft-target exponents ("Exp." 1 and 50) with soft rhythm
 * and soft beat targets; `simclr3kg` = record-level NT-Xent only (the SimCLR-3KG baseline);
 * `hardHard` = NT-Xent on records and on beats.
 */
export const BEAT_SSL_PRESETS = {
  default: { rhythmTargets: 'soft', beatTargets: 'hard', exponent: 'calibrated', positiveShare: 0.5 },
  paperExp1: { rhythmTargets: 'soft', beatTargets: 'soft', exponent: 1 },
  paperExp50: { rhythmTargets: 'soft', beatTargets: 'soft', exponent: 50 },
  simclr3kg: { rhythmTargets: 'hard', beatTargets: 'none' },
  hardHard: { rhythmTargets: 'hard', beatTargets: 'hard' },
} as const satisfies Record<string, BeatSslObjectiveOptions>;

/** Names of {@link BEAT_SSL_PRESETS}. */
export type BeatSslPreset = keyof typeof BEAT_SSL_PRESETS;

/** One level (rhythm or beat) of a resolved objective. */
export interface ResolvedLevel {
  targets: RhythmTargets | BeatTargets;
  soft: ResolvedSoftTargets;
}

/** {@link BeatSslObjectiveOptions} with every field resolved. */
export interface ResolvedBeatSslObjective {
  temperature: number;
  lambdaBeat: number;
  normalization: SoftInfoNCENormalization;
  rhythm: ResolvedLevel;
  beat: ResolvedLevel;
}

/** Inputs of one level's targets for a batch of `n` items (records or beats). */
export interface LevelInputs {
  /** Items in the batch (each has two views). */
  n: number;
  /** Features `[n, D]` row-major (z-scored, finite), needed by `'soft'`. */
  features?: ArrayLike<number>;
  /** Labels `[n]` (integers; negative = unknown), needed by `'patient'` / `'hardClass'`. */
  labels?: ArrayLike<number>;
}

/** The targets of one level for one batch. Owns its tensor: dispose through {@link BeatSslTargets.dispose}. */
export interface LevelTargets {
  kind: RhythmTargets | BeatTargets;
  /** Items n (the loss runs over 2n stacked rows). */
  n: number;
  /** `[2n, 2n]` targets, or null for hard targets with row normalisation (NT-Xent needs none). */
  matrix: tf.Tensor2D | null;
  /** γ used for soft targets (calibrated or fixed); null otherwise. */
  exponent: number | null;
}

/** Targets of a batch, from {@link BeatSslObjective.targets}. */
export interface BeatSslTargets {
  rhythm: LevelTargets;
  /** null when beat targets are `'none'`, λ = 0, or the batch has fewer than 2 beats. */
  beat: LevelTargets | null;
  /** Frees the target tensors. */
  dispose(): void;
}

/** Loss parts (scalar tensors, created inside the caller's gradient scope). */
export interface BeatSslLoss {
  /** `rhythm + λ·beat`. */
  total: tf.Scalar;
  rhythm: tf.Scalar;
  /** null when there is no beat term. */
  beat: tf.Scalar | null;
}

/**
 * The learning signal of one level for one batch (numbers, nats). A contrastive loss sitting at its
 * targets' entropy has learned nothing, however smooth: watch `kl` and `top1`.
 */
export interface LevelDiagnostics {
  /** The loss value (row cross-entropy for `'row'`). */
  loss: number;
  /** Mean entropy of the row-normalised targets (0 for hard targets): the floor of the row loss. */
  targetEntropy: number;
  /** Mean KL(targets ‖ softmax predictions) = cross-entropy − target entropy (≥ 0; 0 = targets met). */
  kl: number;
  /** Fraction of rows whose most similar other row is their other view (top-1 view retrieval). */
  top1: number;
  /** Mean share of the row-normalised target mass on the other view. */
  positiveShare: number;
  /** Rows (2n). */
  rows: number;
  /** γ of soft targets, or null. */
  exponent: number | null;
}

/** Diagnostics of both levels. */
export interface BeatSslDiagnostics {
  rhythm: LevelDiagnostics;
  beat: LevelDiagnostics | null;
}

/** The Beat-SSL objective, configured once; see {@link createBeatSslObjective}. */
export interface BeatSslObjective {
  /** The resolved options (for logs and checkpoint configs). */
  readonly options: ResolvedBeatSslObjective;
  /** True when the objective has a beat term. */
  readonly usesBeats: boolean;
  /** What each level's targets need: `'features'`, `'labels'` or `'none'`. */
  readonly needs: { rhythm: 'none' | 'features' | 'labels'; beat: 'none' | 'features' | 'labels' };
  /**
   * Builds the constant targets of a batch (call outside the gradient scope).
   * @param batch rhythm inputs (n = records) and, when {@link usesBeats}, beat inputs (n = beats K)
   * @throws if an input this configuration needs is missing or malformed
   */
  targets(batch: { rhythm: LevelInputs; beat?: LevelInputs | null }): BeatSslTargets;
  /**
   * The loss of a batch: call inside `tf.variableGrads`/`tf.grad`.
   * @param z `rhythm` `[2N, d]` (views 1 then views 2) and `beat` `[2K, d]` (same beat in rows j and K + j)
   * @param targets from {@link BeatSslObjective.targets}
   */
  loss(z: { rhythm: tf.Tensor2D; beat?: tf.Tensor2D | null }, targets: BeatSslTargets): BeatSslLoss;
  /**
   * The learning signal (no gradient; reads the embeddings back).
   * @param z as for {@link loss}
   * @param targets from {@link BeatSslObjective.targets}
   */
  diagnostics(z: { rhythm: tf.Tensor2D; beat?: tf.Tensor2D | null }, targets: BeatSslTargets): BeatSslDiagnostics;
}

function resolveLevel(o: BeatSslObjectiveOptions, level: 'rhythm' | 'beat', fn: string): ResolvedLevel {
  const targets =
    level === 'rhythm'
      ? checkOneOf(o.rhythmTargets ?? 'soft', RHYTHM_TARGETS, fn, 'options.rhythmTargets')
      : checkOneOf(o.beatTargets ?? 'hard', BEAT_TARGETS, fn, 'options.beatTargets');
  const soft =
    level === 'rhythm'
      ? resolveSoftTargets({ similarity: o.similarity, sigma: o.sigma, exponent: o.exponent ?? 'calibrated', positiveShare: o.positiveShare }, fn, 'options.')
      : resolveSoftTargets(
          { similarity: o.similarity, sigma: o.sigma, exponent: o.beatExponent ?? o.exponent ?? 'calibrated', positiveShare: o.beatPositiveShare ?? o.positiveShare },
          fn,
          (k) =>
            k === 'exponent' && o.beatExponent !== undefined
              ? 'options.beatExponent'
              : k === 'positiveShare' && o.beatPositiveShare !== undefined
                ? 'options.beatPositiveShare'
                : `options.${k}`,
        );
  return { targets, soft };
}

/**
 * Resolves and validates objective options once (errors name the user's option, e.g. `options.exponent`).
 * @param options {@link BeatSslObjectiveOptions}, or a preset name from {@link BEAT_SSL_PRESETS}
 * @param fn the public function to name in errors (default `'resolveBeatSslObjective'`; `createBeatSslObjective` passes its own)
 * @returns the resolved options
 * @throws {BeatSslError} on an unknown key or a bad value
 * @example
 * resolveBeatSslObjective({ exponent: 50 }).rhythm.soft.exponent; // 50
 */
export function resolveBeatSslObjective(options: BeatSslObjectiveOptions | BeatSslPreset = {}, fn = 'resolveBeatSslObjective'): ResolvedBeatSslObjective {
  const o: BeatSslObjectiveOptions =
    typeof options === 'string' ? { ...BEAT_SSL_PRESETS[checkOneOf(options, Object.keys(BEAT_SSL_PRESETS) as BeatSslPreset[], fn, 'options')] } : options;
  check(o !== null && typeof o === 'object' && !Array.isArray(o), fn, 'options', 'an options object or a preset name', o);
  checkKnownKeys(o, BEAT_SSL_OBJECTIVE_KEYS, fn, 'options');
  const temperature = o.temperature ?? 0.1;
  check(typeof temperature === 'number' && Number.isFinite(temperature) && temperature > 0, fn, 'options.temperature', 'a finite positive number', temperature);
  const lambdaBeat = o.lambdaBeat ?? 1;
  check(typeof lambdaBeat === 'number' && Number.isFinite(lambdaBeat) && lambdaBeat >= 0, fn, 'options.lambdaBeat', 'a finite number ≥ 0', lambdaBeat);
  const normalization = checkOneOf(o.normalization ?? 'row', SOFT_INFONCE_NORMALIZATIONS, fn, 'options.normalization');
  checkOneOf(o.similarity ?? 'cosine', SOFT_TARGET_SIMILARITIES, fn, 'options.similarity');
  return { temperature, lambdaBeat, normalization, rhythm: resolveLevel(o, 'rhythm', fn), beat: resolveLevel(o, 'beat', fn) };
}

/** Builds one level's targets. */
function levelTargets(level: ResolvedLevel, normalization: SoftInfoNCENormalization, inputs: LevelInputs, fn: string, where: string): LevelTargets {
  const n = inputs.n;
  check(Number.isInteger(n) && n >= 2, fn, `${where}.n`, 'an integer ≥ 2 (contrast needs at least two items)', n);
  const kind = level.targets;
  const input = TARGET_KINDS[kind].input;
  if (input === 'features') {
    const f = inputs.features;
    check(f != null && typeof f.length === 'number' && f.length > 0 && f.length % n === 0, fn, `${where}.features`, `[${n} × D] finite numbers for '${kind}' targets`, f);
    const D = f.length / n;
    for (let i = 0; i < f.length; i++) if (!Number.isFinite(f[i])) fail(fn, `${where}.features[${i}]`, 'a finite number (replace missing features by 0 after z-scoring)', f[i]);
    const rows = new Float64Array(2 * n * D);
    rows.set(Array.from(f));
    rows.set(Array.from(f), n * D);
    const S = similarityMatrix(rows, 2 * n, D, level.soft.similarity, level.soft.sigma);
    const exponent = level.soft.exponent === 'calibrated' ? calibrateFromSimilarity(S, 2 * n, level.soft.positiveShare).exponent : level.soft.exponent;
    return { kind, n, matrix: tf.tensor2d(softTargetMatrix(S, 2 * n, exponent), [2 * n, 2 * n]), exponent };
  }
  if (input === 'labels') {
    const l = inputs.labels;
    check(l != null && l.length === n, fn, `${where}.labels`, `${n} integer labels for '${kind}' targets`, l);
    return { kind, n, matrix: classTargets(Array.from(l, (v) => (Number.isInteger(v) ? v : fail(fn, `${where}.labels`, 'integers (negative = unknown)', v)))), exponent: null };
  }
  return { kind, n, matrix: normalization === 'row' ? null : pairTargets(n), exponent: null };
}

/** One level's loss. Hard + row = NT-Xent; class targets = row cross-entropy with 0/1 targets (SupCon L_out). */
function levelLoss(z: tf.Tensor2D, t: LevelTargets, o: ResolvedBeatSslObjective): tf.Scalar {
  if (t.matrix === null) return ntXent(z, { temperature: o.temperature });
  const normalization = TARGET_KINDS[t.kind].input === 'labels' ? 'row' : o.normalization;
  return softInfoNCE(z, t.matrix, { temperature: o.temperature, normalization });
}

/** The learning signal of one level, computed in JS from the logits (Float64). */
function levelDiagnostics(z: tf.Tensor2D, t: LevelTargets, o: ResolvedBeatSslObjective, loss: number): LevelDiagnostics {
  const M = 2 * t.n;
  check(z.shape[0] === M, 'BeatSslObjective.diagnostics', 'z', `a tensor [${M}, d] matching the targets`, z);
  const logits = tf.tidy(() => {
    const zn = l2Normalize(z);
    return tf.div(tf.matMul(zn, zn, false, true), o.temperature);
  });
  const s = logits.dataSync();
  logits.dispose();
  const T = t.matrix ? t.matrix.dataSync() : null;
  const half = t.n;
  let H = 0;
  let CE = 0;
  let top1 = 0;
  let share = 0;
  for (let i = 0; i < M; i++) {
    const partner = (i + half) % M;
    let max = -Infinity;
    let arg = -1;
    for (let j = 0; j < M; j++) {
      if (j === i) continue;
      if (s[i * M + j] > max) {
        max = s[i * M + j];
        arg = j;
      }
    }
    let lse = 0;
    for (let j = 0; j < M; j++) if (j !== i) lse += Math.exp(s[i * M + j] - max);
    const logZ = max + Math.log(lse);
    if (arg === partner) top1++;
    if (!T) {
      CE += logZ - s[i * M + partner];
      share += 1;
      continue;
    }
    let mass = 0;
    for (let j = 0; j < M; j++) if (j !== i) mass += T[i * M + j];
    for (let j = 0; j < M; j++) {
      if (j === i) continue;
      const w = T[i * M + j] / mass;
      if (w <= 0) continue;
      H -= w * Math.log(w);
      CE -= w * (s[i * M + j] - logZ);
    }
    share += T[i * M + partner] / mass;
  }
  const targetEntropy = H / M;
  const ce = CE / M;
  return { loss, targetEntropy, kl: Math.max(0, ce - targetEntropy), top1: top1 / M, positiveShare: share / M, rows: M, exponent: t.exponent };
}

/**
 * Creates the Beat-SSL objective (DESIGN §5): rhythm loss over the 2N record views, beat loss over
 * the 2K beat views, `L = L_rhythm + λ·L_beat`. Options are resolved once; per batch, build targets
 * with `targets(...)` (outside the gradient), compute `loss(...)` inside it, and read the learning
 * signal with `diagnostics(...)`. The training loop of `beat-ssl/train` uses exactly this; so can yours.
 * @param options {@link BeatSslObjectiveOptions} or a preset name ({@link BEAT_SSL_PRESETS})
 * @returns a {@link BeatSslObjective}
 * @throws {BeatSslError} on an unknown option or a bad value (naming it)
 * @example
 * const objective = createBeatSslObjective({ rhythmTargets: 'soft', exponent: 'calibrated', beatTargets: 'hard' });
 * const targets = objective.targets({ rhythm: { n: 32, features: phi }, beat: { n: K } });
 * const { value, grads } = tf.variableGrads(() => objective.loss({ rhythm: zRhythm(), beat: zBeat() }, targets).total);
 * targets.dispose();
 */
export function createBeatSslObjective(options: BeatSslObjectiveOptions | BeatSslPreset = {}): BeatSslObjective {
  const FN = 'createBeatSslObjective';
  const o = resolveBeatSslObjective(options, FN);
  const usesBeats = o.beat.targets !== 'none' && o.lambdaBeat > 0;
  const needs = { rhythm: TARGET_KINDS[o.rhythm.targets].input, beat: usesBeats ? TARGET_KINDS[o.beat.targets].input : 'none' } as const;
  const loss = (z: { rhythm: tf.Tensor2D; beat?: tf.Tensor2D | null }, targets: BeatSslTargets): BeatSslLoss => {
    const fn = 'BeatSslObjective.loss';
    check(z != null && z.rhythm instanceof tf.Tensor, fn, 'z.rhythm', 'a tensor [2N, d]', z?.rhythm);
    const rhythm = levelLoss(z.rhythm, targets.rhythm, o);
    if (!targets.beat) return { total: rhythm, rhythm, beat: null };
    check(z.beat instanceof tf.Tensor, fn, 'z.beat', `a tensor [${2 * targets.beat.n}, d] (the batch has beat targets)`, z.beat);
    const beat = levelLoss(z.beat, targets.beat, o);
    return { total: tf.tidy(() => tf.add(rhythm, tf.mul(beat, o.lambdaBeat)) as tf.Scalar), rhythm, beat };
  };
  return {
    options: o,
    usesBeats,
    needs,
    targets(batch) {
      const fn = 'BeatSslObjective.targets';
      check(batch != null && typeof batch === 'object' && batch.rhythm != null, fn, 'batch', '{ rhythm: { n, features?, labels? }, beat? }', batch);
      const rhythm = levelTargets(o.rhythm, o.normalization, batch.rhythm, fn, 'batch.rhythm');
      let beat: LevelTargets | null = null;
      if (usesBeats && batch.beat && batch.beat.n >= 2) beat = levelTargets(o.beat, o.normalization, batch.beat, fn, 'batch.beat');
      return {
        rhythm,
        beat,
        dispose() {
          rhythm.matrix?.dispose();
          beat?.matrix?.dispose();
        },
      };
    },
    loss,
    diagnostics(z, targets) {
      const values = tf.tidy(() => {
        const l = loss(z, targets);
        return tf.stack(l.beat ? [l.rhythm, l.beat] : [l.rhythm]);
      });
      const [rl, bl] = Array.from(values.dataSync());
      values.dispose();
      return {
        rhythm: levelDiagnostics(z.rhythm, targets.rhythm, o, rl),
        beat: targets.beat && z.beat ? levelDiagnostics(z.beat, targets.beat, o, bl) : null,
      };
    },
  };
}
