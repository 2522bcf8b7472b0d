/**
 * Beat RoI projection: average the feature frames around each R-peak with one batched matMul,
 * so gradients flow from beat embeddings back into the encoder. Frames are placed where the
 * encoder's real geometry puts them ({@link StageGeometry}), not at `(f + 0.5)·stride`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { check, checkFs, checkInt, checkKnownKeys, checkPositive, fail } from '../core/errors';
import { MAX_ARRAY_LENGTH } from '../core/_internal/limits';
import { toRng, type Rng } from '../core/rng';
import { constMatMul } from './_internal/constMatMul';
import type { StageGeometry } from './encoder';

/** Options of {@link beatRoiPlan}, {@link beatPairPlan} and {@link beatRoiPool}. */
export interface BeatRoiOptions {
  /**
   * Where the frames of the feature map look in the input: `encoder.geometry(inputLength)[stage]`
   * (see {@link StageGeometry}). Give this for encoder feature maps.
   */
  geometry?: Pick<StageGeometry, 'stride' | 'centre'>;
  /**
   * Stride of the feature map in input samples, when no `geometry` is given; frame `f` is then taken
   * to be centred at `f·stride + (stride − 1)/2` (the middle of its own block of input samples).
   */
  stride?: number;
  /** Sampling rate of the input signal (Hz) at which the R-peaks are given. */
  fs: number;
  /** Window start before the R-peak (s). Default 0.25. */
  preSec?: number;
  /** Window end after the R-peak (s). Default 0.45. */
  postSec?: number;
  /** Maximum beats per record M (output size). Default 16. */
  maxBeats?: number;
  /** Input length in samples (beats whose window leaves `[0, inputLength)` are skipped). Default `frames × stride`. */
  inputLength?: number;
  /**
   * Seed or Rng used to pick M beats when a record has more valid beats. Without a seed the first M
   * valid beats are used.
   */
  seed?: number | Rng;
}

const ROI_KEYS = ['geometry', 'stride', 'fs', 'preSec', 'postSec', 'maxBeats', 'inputLength', 'seed'] as const;

/** A pooling plan: which frames each selected beat averages (plain arrays, reusable for several views). */
export interface BeatRoiPlan {
  /** Pooling matrix P `[records, maxBeats, frames]` (row-stochastic for valid beats, zero rows for padding). */
  matrix: Float32Array;
  /** Validity mask `[records, maxBeats]`: 1 for a real beat, 0 for padding. */
  mask: Float32Array;
  /** Index into each record's `rPeaks` of the beat in each slot `[records, maxBeats]`, -1 for padding. */
  beatIndex: Int32Array;
  /** Number of records. */
  records: number;
  /** M. */
  maxBeats: number;
  /** F (feature frames). */
  frames: number;
}

/** Typed output of {@link beatRoiPool}. */
export interface BeatRoiPoolOutput {
  /** Pooled beat features `[batch, maxBeats, channels]` (zeros in padded slots). */
  pooled: tf.Tensor3D;
  /** Mask `[batch, maxBeats]`, 1 for a real beat. */
  mask: tf.Tensor2D;
  /** The plan used (beat indices per slot, for beat features and classes). */
  plan: BeatRoiPlan;
}

interface ResolvedRoi {
  stride: number;
  centre: number;
  pre: number;
  post: number;
  maxBeats: number;
  inputLength: number;
  rng: Rng | null;
}

function resolveRoi(frames: number, opts: BeatRoiOptions, fn: string): ResolvedRoi {
  check(opts !== null && typeof opts === 'object', fn, 'opts', 'BeatRoiOptions { geometry or stride, fs, ... }', opts);
  checkKnownKeys(opts, ROI_KEYS, fn, 'opts');
  let stride: number;
  let centre: number;
  if (opts.geometry !== undefined) {
    const g = opts.geometry;
    check(g !== null && typeof g === 'object', fn, 'opts.geometry', 'a StageGeometry { stride, centre } (encoder.geometry(length)[stage])', g);
    stride = checkPositive(g.stride, fn, 'opts.geometry.stride', 'samples');
    check(typeof g.centre === 'number' && Number.isFinite(g.centre), fn, 'opts.geometry.centre', 'a finite offset in samples', g.centre);
    centre = g.centre;
  } else {
    stride = checkPositive(opts.stride, fn, 'opts.stride', 'samples');
    centre = (stride - 1) / 2;
  }
  const fs = checkFs(opts.fs, fn, 'opts.fs');
  const preSec = opts.preSec ?? 0.25;
  const postSec = opts.postSec ?? 0.45;
  check(Number.isFinite(preSec) && Number.isFinite(postSec) && preSec >= 0 && postSec >= 0 && preSec + postSec > 0, fn, 'opts.preSec/postSec', 'non-negative numbers of seconds with a positive sum', [preSec, postSec]);
  const maxBeats = checkInt(opts.maxBeats ?? 16, fn, 'opts.maxBeats', 1);
  const inputLength = opts.inputLength ?? frames * stride;
  checkPositive(inputLength, fn, 'opts.inputLength', 'samples');
  const rng = opts.seed === undefined ? null : toRng(opts.seed, fn);
  return { stride, centre, pre: preSec * fs, post: postSec * fs, maxBeats, inputLength, rng };
}

/** True when the beat window of a peak at `r` lies inside the input. */
function windowInside(r: number, o: ResolvedRoi): boolean {
  return r - o.pre >= 0 && r + o.post < o.inputLength;
}

/**
 * Writes the pooling row of a beat at sample `r`: equal weights on the frames whose centre
 * `f·stride + centre` lies in `[r − pre, r + post]` (at least the frame nearest to r).
 */
function writePoolRow(out: Float32Array, base: number, r: number, frames: number, o: ResolvedRoi): void {
  let f0 = Math.ceil((r - o.pre - o.centre) / o.stride);
  let f1 = Math.floor((r + o.post - o.centre) / o.stride);
  f0 = Math.max(0, f0);
  f1 = Math.min(frames - 1, f1);
  if (f1 < f0) f0 = f1 = Math.min(frames - 1, Math.max(0, Math.round((r - o.centre) / o.stride)));
  const w = 1 / (f1 - f0 + 1);
  for (let f = f0; f <= f1; f++) out[base + f] = w;
}

/** Picks at most M of `valid` (seeded subset kept in time order, or the first M without an Rng). */
function pickBeats(valid: number[], M: number, rng: Rng | null): number[] {
  if (valid.length <= M) return valid;
  if (!rng) return valid.slice(0, M);
  const perm = rng.permutation(valid.length);
  return Array.from(perm.subarray(0, M), (i) => valid[i]).sort((a, c) => a - c);
}

/**
 * Builds the pooling plan for {@link beatRoiPool}: for beat k with R-peak at sample r, the frames
 * whose centre lies in `[r − preSec·fs, r + postSec·fs]` (at least the frame nearest to r), each
 * weighted 1/count. Beats whose window leaves the signal are skipped; at most `maxBeats` are kept
 * (a seeded random subset, in time order).
 *
 * @param rPeaks R-peak sample indices per record (at `fs`)
 * @param frames F, the feature map length
 * @param opts {@link BeatRoiOptions}
 * @returns a {@link BeatRoiPlan}
 * @throws on invalid options
 * @example
 * const plan = beatRoiPlan([Int32Array.of(100, 180)], 64, { geometry: encoderGeometry('small', 256)[2], fs: 100, maxBeats: 4 });
 * plan.mask; // Float32Array [1, 1, 0, 0]
 */
export function beatRoiPlan(rPeaks: ArrayLike<number>[], frames: number, opts: BeatRoiOptions): BeatRoiPlan {
  return buildRoiPlan(rPeaks, frames, opts, 'beatRoiPlan');
}

/** A plan's pooling matrix has `values` entries: at most 2³¹ − 1 (else `frames` is out of range). */
function checkPlanSize(values: number, frames: number, FN: string): void {
  check(values <= MAX_ARRAY_LENGTH, FN, 'frames', `a frame count whose pooling matrix (records × maxBeats × frames) fits ${MAX_ARRAY_LENGTH} values`, frames);
}

/** {@link beatRoiPlan} with the public function `FN` named in its errors. */
function buildRoiPlan(rPeaks: ArrayLike<number>[], frames: number, opts: BeatRoiOptions, FN: string): BeatRoiPlan {
  check(Array.isArray(rPeaks) && rPeaks.length >= 1, FN, 'rPeaks', 'a non-empty array with one array of R-peak samples per record', rPeaks);
  checkInt(frames, FN, 'frames', 1, MAX_ARRAY_LENGTH);
  const o = resolveRoi(frames, opts, FN);
  const B = rPeaks.length;
  const M = o.maxBeats;
  checkPlanSize(B * M * frames, frames, FN);
  const matrix = new Float32Array(B * M * frames);
  const mask = new Float32Array(B * M);
  const beatIndex = new Int32Array(B * M).fill(-1);
  for (let b = 0; b < B; b++) {
    const peaks = rPeaks[b];
    if (peaks == null || typeof peaks.length !== 'number') fail(FN, `rPeaks[${b}]`, 'an array of sample indices', peaks);
    const valid: number[] = [];
    for (let k = 0; k < peaks.length; k++) {
      const r = peaks[k];
      if (!Number.isFinite(r)) fail(FN, `rPeaks[${b}][${k}]`, 'a finite sample index', r);
      if (windowInside(r, o)) valid.push(k);
    }
    pickBeats(valid, M, o.rng).forEach((k, m) => {
      const slot = b * M + m;
      writePoolRow(matrix, slot * frames, peaks[k], frames, o);
      mask[slot] = 1;
      beatIndex[slot] = k;
    });
  }
  return { matrix, mask, beatIndex, records: B, maxBeats: M, frames };
}

/**
 * The R-peaks of one record as seen in one view (a crop): positions in the view and the identity
 * of each beat (its index in the record's full R-peak list), so beats can be matched across views.
 */
export interface ViewPeaks {
  /** R-peak positions in the view (samples from the view's start, at `fs`). */
  samples: ArrayLike<number>;
  /** Identity of each peak: its index in the record's R-peak list (same length as `samples`). */
  ids: ArrayLike<number>;
}

/**
 * A pooling plan over the two views of a batch, with beats matched by identity: slot `m` of record
 * `b` holds the same beat in both views. Pool with {@link pooledBeatPairs}.
 */
export interface BeatPairPlan {
  /** Pooling matrices `[2B, M, F]`: rows `0..B−1` are view 1, `B..2B−1` view 2 (zero rows for padding). */
  matrix: Float32Array;
  /** Slots holding a beat in both views, `b·M + m`, ascending; their number is K. */
  slots: Int32Array;
  /** Identity (index in the record's R-peak list) of the beat in each of the K slots. */
  beatIds: Int32Array;
  /** Record (batch row) of each of the K slots. */
  recordOf: Int32Array;
  /** Records B. */
  records: number;
  /** M. */
  maxBeats: number;
  /** F. */
  frames: number;
}

/**
 * Plans beat pooling for the two views of a batch: for each record, the beats whose window lies
 * inside BOTH views (matched by identity, not position — views may be cropped differently), at most
 * `maxBeats` per record (a seeded subset), each pooled in each view at its own position.
 *
 * @param view1 per record, its peaks in view 1
 * @param view2 per record, its peaks in view 2 (same records, same order)
 * @param frames F, the feature-map length (the same for both views)
 * @param opts {@link BeatRoiOptions} (`inputLength` = the view length)
 * @returns a {@link BeatPairPlan}; K = `slots.length` may be 0
 * @throws on mismatched inputs or invalid options
 * @example
 * const geometry = encoderGeometry('small', 800)[2];
 * const plan = beatPairPlan([{ samples: [150, 250], ids: [1, 2] }], [{ samples: [50, 150], ids: [1, 2] }], 200, { geometry, fs: 100, inputLength: 800 });
 * plan.beatIds; // Int32Array [1, 2]: beat 1 is at 150 in view 1 and at 50 in view 2
 */
export function beatPairPlan(view1: readonly ViewPeaks[], view2: readonly ViewPeaks[], frames: number, opts: BeatRoiOptions): BeatPairPlan {
  const FN = 'beatPairPlan';
  check(Array.isArray(view1) && Array.isArray(view2) && view1.length === view2.length && view1.length >= 1, FN, 'view1/view2', 'two arrays with the peaks of the same records in each view', [view1?.length, view2?.length]);
  checkInt(frames, FN, 'frames', 1, MAX_ARRAY_LENGTH);
  const o = resolveRoi(frames, opts, FN);
  const B = view1.length;
  const M = o.maxBeats;
  checkPlanSize(2 * B * M * frames, frames, FN);
  const matrix = new Float32Array(2 * B * M * frames);
  const slots: number[] = [];
  const beatIds: number[] = [];
  const recordOf: number[] = [];
  for (let b = 0; b < B; b++) {
    const [v1, v2] = [view1[b], view2[b]];
    for (const [v, name] of [[v1, 'view1'], [v2, 'view2']] as const) {
      check(v != null && v.samples != null && v.ids != null && v.samples.length === v.ids.length, FN, `${name}[${b}]`, '{ samples, ids } of equal length', v);
    }
    const inView2 = new Map<number, number>();
    for (let k = 0; k < v2.ids.length; k++) if (windowInside(v2.samples[k], o)) inView2.set(v2.ids[k], v2.samples[k]);
    const common: number[] = [];
    for (let k = 0; k < v1.ids.length; k++) if (windowInside(v1.samples[k], o) && inView2.has(v1.ids[k])) common.push(k);
    pickBeats(common, M, o.rng).forEach((k, m) => {
      const id = v1.ids[k];
      writePoolRow(matrix, (b * M + m) * frames, v1.samples[k], frames, o);
      writePoolRow(matrix, ((B + b) * M + m) * frames, inView2.get(id)!, frames, o);
      slots.push(b * M + m);
      beatIds.push(id);
      recordOf.push(b);
    });
  }
  return { matrix, slots: Int32Array.from(slots), beatIds: Int32Array.from(beatIds), recordOf: Int32Array.from(recordOf), records: B, maxBeats: M, frames };
}

/**
 * Pools the beats of a {@link BeatPairPlan} from a feature map of both views: `[2K, channels]` with
 * rows `j` and `K + j` the same beat in view 1 and view 2 (the stack convention of the contrastive
 * losses). One batched matMul plus one row selection, both with explicit-transpose gradients (fast
 * on every backend). Differentiable w.r.t. `featureMap`.
 * @param featureMap `[2B, F, C]` stage output for view 1 records then view 2 records
 * @param plan from {@link beatPairPlan} (K ≥ 1)
 * @returns `[2K, C]`
 * @throws if shapes do not match the plan or the plan has no beat
 * @example
 * const zBeat = projector.apply(pooledBeatPairs(stages[2], plan)); // [2K, d]
 */
export function pooledBeatPairs(featureMap: tf.Tensor3D, plan: BeatPairPlan): tf.Tensor2D {
  const FN = 'pooledBeatPairs';
  check(featureMap instanceof tf.Tensor && featureMap.rank === 3, FN, 'featureMap', 'a tensor [2B, frames, channels]', featureMap);
  const isPlan = plan !== null && typeof plan === 'object' && plan.matrix instanceof Float32Array && plan.slots instanceof Int32Array && Number.isInteger(plan.records) && Number.isInteger(plan.maxBeats) && Number.isInteger(plan.frames);
  check(isPlan, FN, 'plan', 'a BeatPairPlan (from beatPairPlan)', plan);
  const [B2, F, C] = featureMap.shape;
  check(B2 >= 2 && B2 % 2 === 0 && F >= 1, FN, 'featureMap', 'a tensor [2B, frames, channels] with B ≥ 1 records and frames ≥ 1', featureMap);
  const B = plan.records;
  const M = plan.maxBeats;
  check(B2 === 2 * B && F === plan.frames, FN, 'plan', `a plan for ${B2 / 2} records × ${F} frames`, `${plan.records} × ${plan.frames}`);
  const K = plan.slots.length;
  check(K >= 1, FN, 'plan.slots', 'at least one beat visible in both views', K);
  return tf.tidy(() => {
    const P = tf.tensor3d(plan.matrix, [2 * B, M, F]);
    const pooled = tf.reshape(constMatMul(P, featureMap, tf.transpose(P, [0, 2, 1]) as tf.Tensor3D), [2 * B * M, C]) as tf.Tensor2D;
    const sel = new Float32Array(2 * K * 2 * B * M);
    plan.slots.forEach((slot, j) => {
      sel[j * 2 * B * M + slot] = 1;
      sel[(K + j) * 2 * B * M + B * M + slot] = 1;
    });
    const S = tf.tensor2d(sel, [2 * K, 2 * B * M]);
    return constMatMul(S, pooled, tf.transpose(S) as tf.Tensor2D);
  });
}

/**
 * Pools encoder features over each beat's window (the Beat-SSL beat RoI projection) as
 * `P [B, M, F] × featureMap [B, F, C]` in one batched matMul, differentiable w.r.t. the features.
 *
 * @param featureMap `[batch, frames, channels]` stage output (pass that stage's `geometry` in `opts`)
 * @param rPeaks R-peak sample indices per record (at `opts.fs`), or a plan from {@link beatRoiPlan}
 * @param opts {@link BeatRoiOptions} (ignored when a plan is given)
 * @returns `{ pooled [B, M, C], mask [B, M], plan }`; the caller disposes `pooled` and `mask`
 * @throws if shapes or options do not match
 * @example
 * const geometry = encoder.geometry(1000)[2];
 * const { pooled, mask } = beatRoiPool(stages[2], [rPeaks], { geometry, fs: 100, maxBeats: 8, seed: 1 });
 */
export function beatRoiPool(featureMap: tf.Tensor3D, rPeaks: ArrayLike<number>[] | BeatRoiPlan, opts?: BeatRoiOptions): BeatRoiPoolOutput {
  const FN = 'beatRoiPool';
  check(featureMap instanceof tf.Tensor && featureMap.rank === 3 && featureMap.shape[0] >= 1 && featureMap.shape[1] >= 1, FN, 'featureMap', 'a tensor [batch, frames, channels] with batch ≥ 1 and frames ≥ 1', featureMap);
  const [B, F] = featureMap.shape;
  let plan: BeatRoiPlan;
  if (Array.isArray(rPeaks)) {
    check(rPeaks.length === B, FN, 'rPeaks', `one peak array per record (${B})`, rPeaks.length);
    check(opts !== undefined, FN, 'opts', 'BeatRoiOptions { geometry or stride, fs, ... }', opts);
    plan = buildRoiPlan(rPeaks, F, opts, FN);
  } else {
    plan = rPeaks as BeatRoiPlan;
    check(plan !== null && typeof plan === 'object' && plan.matrix instanceof Float32Array, FN, 'rPeaks', 'one array of R-peak samples per record, or a BeatRoiPlan (beatRoiPlan)', rPeaks);
    check(plan.records === B && plan.frames === F, FN, 'plan', `a plan for ${B} records × ${F} frames`, `${plan.records} × ${plan.frames}`);
  }
  const M = plan.maxBeats;
  const pooled = tf.tidy(() => constMatMul(tf.tensor3d(plan.matrix, [B, M, F]), featureMap));
  const mask = tf.tensor2d(plan.mask, [B, M]);
  return { pooled, mask, plan };
}
