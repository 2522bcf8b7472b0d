/**
 * Frozen-encoder probes for screening pretraining configurations cheaply (DESIGN §7, issue 13):
 * - PTB-XL: L2-regularised logistic regression on the pooled embedding `e` (folds 1–8, a seeded
 *   fraction of the labels) → macro AUROC on fold 9;
 * - LUDB: a per-sample linear softmax on the early-stage features (stem and strides 2, 4,
 *   upsampled to the input rate) trained on a few records of LUDB 1–120 → per-class Dice on 121–160
 *   (samples inside the annotated spans, at 100 Hz).
 * Both train in a few seconds on the `tensorflow` backend; the encoder is never updated.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Encoder } from '../src/models/encoder';
import { sampleFraction } from '../src/data/dataset';
import { macroAuroc } from '../src/metrics/classification';
import { createRng } from '../src/core/rng';
import type { ClsSet } from './_classification';
import type { SegItem } from './_segmentation';

/** Runs the encoder on `[T × 12]` records in batches; returns `fn`'s Float32Array per record. */
function mapEncoder(enc: Encoder, xs: Float32Array[], T: number, fn: (out: ReturnType<Encoder['apply']>, n: number) => tf.Tensor, batch = 32): Float32Array[] {
  const out: Float32Array[] = [];
  for (let s = 0; s < xs.length; s += batch) {
    const part = xs.slice(s, s + batch);
    const xb = new Float32Array(part.length * T * 12);
    part.forEach((x, b) => xb.set(x.subarray(0, T * 12), b * T * 12));
    const y = tf.tidy(() => fn(enc.apply(tf.tensor3d(xb, [part.length, T, 12])), part.length));
    const d = y.dataSync();
    const per = d.length / part.length;
    for (let b = 0; b < part.length; b++) out.push(Float32Array.from(d.subarray(b * per, (b + 1) * per)));
    y.dispose();
  }
  return out;
}

/** Standardises feature columns with the training rows' mean and SD. */
function standardizeColumns(train: Float32Array[], ...others: Float32Array[][]): void {
  const D = train[0].length;
  const mean = new Float64Array(D);
  const sd = new Float64Array(D);
  for (const r of train) for (let j = 0; j < D; j++) mean[j] += r[j] / train.length;
  for (const r of train) for (let j = 0; j < D; j++) sd[j] += (r[j] - mean[j]) ** 2 / train.length;
  for (let j = 0; j < D; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  for (const set of [train, ...others]) for (const r of set) for (let j = 0; j < D; j++) r[j] = (r[j] - mean[j]) / sd[j];
}

/**
 * Fits a linear model `softmax/sigmoid(X W + b)` by full-batch Adam with an L2 penalty.
 * `kind: 'sigmoid'` = independent logistic regressions (multilabel); `'softmax'` = multinomial with
 * per-row weights. Returns the predicting function.
 */
function fitLinear(
  X: Float32Array,
  Y: Float32Array,
  n: number,
  D: number,
  K: number,
  o: { kind: 'sigmoid' | 'softmax'; l2: number; steps: number; lr: number; weights?: Float32Array; seed: number },
): (Xt: Float32Array, m: number) => Float32Array {
  const rng = createRng(o.seed);
  const W = tf.variable(tf.tensor2d(Float32Array.from({ length: D * K }, () => 0.01 * rng.normal()), [D, K]));
  const b = tf.variable(tf.zeros([K]));
  const x = tf.tensor2d(X, [n, D]);
  const y = tf.tensor2d(Y, [n, K]);
  const w = o.weights ? tf.tensor1d(o.weights) : null;
  const wsum = o.weights ? o.weights.reduce((a, v) => a + v, 0) : n;
  const opt = tf.train.adam(o.lr);
  for (let s = 0; s < o.steps; s++) {
    const l = opt.minimize(() => {
      const logits = tf.add(tf.matMul(x, W), b);
      const per =
        o.kind === 'sigmoid'
          ? tf.mean(tf.sub(tf.softplus(logits), tf.mul(y, logits)), 1)
          : tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1));
      const data = w ? tf.div(tf.sum(tf.mul(per, w)), wsum) : tf.mean(per);
      return tf.add(data, tf.mul(o.l2, tf.sum(tf.square(W)))) as tf.Scalar;
    }, true);
    l?.dispose();
  }
  opt.dispose();
  tf.dispose([x, y, ...(w ? [w] : [])]);
  const predict = (Xt: Float32Array, m: number): Float32Array => {
    const p = tf.tidy(() => {
      const logits = tf.add(tf.matMul(tf.tensor2d(Xt, [m, D]), W), b);
      return o.kind === 'sigmoid' ? tf.sigmoid(logits) : tf.softmax(logits);
    });
    const d = p.dataSync() as Float32Array;
    p.dispose();
    return d;
  };
  const done = predict;
  // Keep W and b alive for predictions; free them after the caller's last call through `finish`.
  (done as unknown as { dispose: () => void }).dispose = () => tf.dispose([W, b]);
  return done;
}

/** Result of {@link ptbxlProbe}. */
export interface PtbxlProbeResult {
  /** Macro AUROC on the validation set, per label-subset seed. */
  macroAuroc: number[];
  mean: number;
}

/**
 * PTB-XL linear probe: logistic regression (L2 1e-3, 400 Adam steps) on the frozen encoder's pooled
 * embedding of whole records; `fraction` of the training labels (seeded subsets `3000 + seed`).
 */
export function ptbxlProbe(enc: Encoder, train: ClsSet, val: ClsSet, o: { fraction: number; seeds: number[] }): PtbxlProbeResult {
  const eTrain = mapEncoder(enc, train.x, train.T, (out) => out.embedding);
  const eVal = mapEncoder(enc, val.x, val.T, (out) => out.embedding);
  const D = eTrain[0].length;
  const K = train.y[0].length;
  const aurocs: number[] = [];
  for (const seed of o.seeds) {
    const idx = sampleFraction(eTrain.length, o.fraction, 3000 + seed);
    const tr = idx.map((i) => Float32Array.from(eTrain[i]));
    const va = eVal.map((r) => Float32Array.from(r));
    standardizeColumns(tr, va);
    const X = new Float32Array(tr.length * D);
    tr.forEach((r, i) => X.set(r, i * D));
    const Y = new Float32Array(tr.length * K);
    idx.forEach((i, r) => Y.set(train.y[i], r * K));
    const predict = fitLinear(X, Y, tr.length, D, K, { kind: 'sigmoid', l2: 1e-3, steps: 400, lr: 0.05, seed });
    const Xv = new Float32Array(va.length * D);
    va.forEach((r, i) => Xv.set(r, i * D));
    const p = predict(Xv, va.length);
    (predict as unknown as { dispose: () => void }).dispose();
    const scores = va.map((_, i) => Array.from(p.subarray(i * K, (i + 1) * K)));
    aurocs.push(macroAuroc(scores, val.y.map((l) => Array.from(l))).macro);
  }
  return { macroAuroc: aurocs, mean: aurocs.reduce((a, v) => a + v, 0) / aurocs.length };
}

/** Result of {@link ludbProbe}. */
export interface LudbProbeResult {
  /** Mean Dice over P, QRS, T per training-subset seed. */
  meanDice: number[];
  /** Dice per class [P, QRS, T] averaged over seeds. */
  dice: [number, number, number];
  mean: number;
}

/** Early-stage features `[T, C0 + C1 + C2]` per record (stages 0–2, nearest-neighbour upsampled). */
function earlyFeatures(enc: Encoder, items: SegItem[], T: number, stages: number[]): Float32Array[] {
  return mapEncoder(enc, items.map((it) => it.x), T, (out, n) => {
    const maps = stages.map((s) => {
      const m = out.stages[s];
      const stride = enc.stageStrides[s];
      const [, F, C] = m.shape;
      const up = stride === 1 ? m : tf.reshape(tf.tile(tf.reshape(m, [n, F, 1, C]), [1, 1, stride, 1]), [n, F * stride, C]);
      return tf.slice(up, [0, 0, 0], [n, T, C]);
    });
    return tf.concat(maps, 2);
  });
}

/**
 * LUDB per-sample linear probe on early-stage features: softmax regression over {none, P, QRS, T}
 * trained on `records` records of `train` (seeded subsets `4000 + seed`, samples inside the annotated
 * span only), scored by per-class Dice on `val` (annotated spans, working rate).
 */
export function ludbProbe(enc: Encoder, train: SegItem[], val: SegItem[], o: { records: number; seeds: number[]; stages?: number[] }): LudbProbeResult {
  const stages = o.stages ?? [0, 1, 2];
  const T = Math.min(...[...train, ...val].map((it) => it.T));
  const fVal = earlyFeatures(enc, val, T, stages);
  const D = fVal[0].length / T;
  const perSeed: number[] = [];
  const diceSum = [0, 0, 0];
  for (const seed of o.seeds) {
    const pick = sampleFraction(train.length, o.records / train.length, 4000 + seed).map((i) => train[i]);
    const fTrain = earlyFeatures(enc, pick, T, stages);
    // samples inside the annotated span
    const rows: number[][] = [];
    pick.forEach((it, r) => {
      for (let t = 0; t < T; t++) if (it.w[t] > 0) rows.push([r, t]);
    });
    const X = new Float32Array(rows.length * D);
    const Y = new Float32Array(rows.length * 4);
    rows.forEach(([r, t], i) => {
      X.set(fTrain[r].subarray(t * D, (t + 1) * D), i * D);
      Y[i * 4 + pick[r].y[t]] = 1;
    });
    // standardise columns on the training samples
    const mean = new Float64Array(D);
    const sd = new Float64Array(D);
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < D; j++) mean[j] += X[i * D + j] / rows.length;
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < D; j++) sd[j] += (X[i * D + j] - mean[j]) ** 2 / rows.length;
    for (let j = 0; j < D; j++) sd[j] = Math.sqrt(sd[j]) || 1;
    const norm = (A: Float32Array, n: number) => {
      for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) A[i * D + j] = (A[i * D + j] - mean[j]) / sd[j];
    };
    norm(X, rows.length);
    const predict = fitLinear(X, Y, rows.length, D, 4, { kind: 'softmax', l2: 1e-4, steps: 300, lr: 0.05, seed });
    const inter = [0, 0, 0, 0];
    const size = [0, 0, 0, 0];
    val.forEach((it, r) => {
      const Xv = Float32Array.from(fVal[r]);
      norm(Xv, T);
      const p = predict(Xv, T);
      for (let t = 0; t < T; t++) {
        if (it.w[t] <= 0) continue;
        let best = 0;
        for (let k = 1; k < 4; k++) if (p[t * 4 + k] > p[t * 4 + best]) best = k;
        const ref = it.y[t];
        size[best]++;
        size[ref]++;
        if (best === ref) inter[ref] += 2;
      }
    });
    (predict as unknown as { dispose: () => void }).dispose();
    const dice = [1, 2, 3].map((k) => (size[k] > 0 ? inter[k] / size[k] : NaN));
    dice.forEach((d, i) => (diceSum[i] += d / o.seeds.length));
    perSeed.push((dice[0] + dice[1] + dice[2]) / 3);
  }
  return { meanDice: perSeed, dice: diceSum as [number, number, number], mean: perSeed.reduce((a, v) => a + v, 0) / perSeed.length };
}
