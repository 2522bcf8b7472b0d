/**
 * PTB-XL superdiagnostic helpers shared by eval/ptbxl-classification.ts and eval/_downstream.ts:
 * examples at 100 Hz from the library's one examples module (`classificationExample` with
 * {@link CLASSIFICATION_PREPROCESSING}), the library's fine-tuning loop (BCE, Adam, random 5-s crops), prediction on whole
 * records and the metrics (macro AUROC, macro F1 at 0.5 and at validation-chosen thresholds).
 */
import * as tf from '@tensorflow/tfjs-core';
import { finetuneClassifier } from '../src/train/finetuneClassifier';
import { readPtbxlLabels, type PtbxlEntry } from '../src/data/ptbxl';
import { classificationExample } from '../src/data/examples';
import { preprocessSpec } from '../src/signal/preprocess';
import { readRecord } from '../src/io/readRecord';
import type { EcgClassifier } from '../src/heads/classification';
import { chooseF1Thresholds, macroAuroc, macroF1 } from '../src/metrics/classification';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';

/** The preprocessing of the PTB-XL classifiers: 12 leads, 0.5–40 Hz, 100 Hz, per-lead z-score, 10 s (1000 samples). */
export const CLASSIFICATION_PREPROCESSING = preprocessSpec({ fs: 100, lengthSamples: 1000 });

export interface ClsSet {
  entries: PtbxlEntry[];
  /** `[T × 12]` per record, preprocessed (0.5–40 Hz, 100 Hz, standardised). */
  x: Float32Array[];
  y: Float32Array[];
  T: number;
}

/** Loads labelled PTB-XL records of `folds` (all folds when omitted) from `dir` at 100 Hz. */
export async function loadClsSet(dir: string, folds?: number[], statementsFallback?: string): Promise<ClsSet> {
  // A test folder may come without scp_statements.csv: fall back to the given copy.
  const statementsFile = statementsFallback && !existsSync(resolve(dir, 'scp_statements.csv')) ? statementsFallback : undefined;
  const entries = await readPtbxlLabels(dir, { folds, statementsFile });
  const x: Float32Array[] = [];
  for (const e of entries) x.push(classificationExample(await readRecord(resolve(dir, e.filename)), e.labels, CLASSIFICATION_PREPROCESSING).signals);
  return { entries, x, y: entries.map((e) => e.labels), T: CLASSIFICATION_PREPROCESSING.lengthSamples! };
}

export function subsetCls(set: ClsSet, idx: number[]): ClsSet {
  return { entries: idx.map((i) => set.entries[i]), x: idx.map((i) => set.x[i]), y: idx.map((i) => set.y[i]), T: set.T };
}

/** The augmentation of the PTB-XL classifiers: one amplitude factor per crop, uniform in [0.8, 1.2]. */
export const CLASSIFICATION_AUGMENT = { scale: [0.8, 1.2] as [number, number] };

export interface FinetuneClsOptions {
  epochs: number;
  batchSize?: number;
  lr?: number;
  seed: number;
  /** Crop length for training (samples); default 512 (5.12 s). Prediction uses the whole record. */
  crop?: number;
  onEpoch?: (epoch: number, loss: number, sec: number) => void;
}

/**
 * Fine-tunes a classifier with the library's one fine-tuning loop (`finetuneClassifier`): BCE on
 * random crops of `crop` samples, amplitude augmentation ×[0.8, 1.2], Adam with a cosine decay,
 * no validation (the evals score afterwards).
 */
export async function finetuneClassifierOnSet(clf: EcgClassifier, set: ClsSet, o: FinetuneClsOptions): Promise<{ seconds: number; losses: number[] }> {
  const t0 = performance.now();
  const res = await finetuneClassifier({
    classifier: clf,
    train: set.x.map((x, i) => ({ signals: x, labels: set.y[i] })),
    epochs: o.epochs,
    batchSize: o.batchSize ?? 32,
    windowSamples: Math.min(o.crop ?? 512, set.T),
    optimizer: { learningRate: o.lr ?? 1e-3 },
    lrSchedule: { type: 'cosine' },
    augment: CLASSIFICATION_AUGMENT,
    restoreBest: false,
    seed: o.seed,
    onEpoch: (info) => o.onEpoch?.(info.epoch - 1, info.loss, (performance.now() - t0) / 1000),
  });
  return { seconds: (performance.now() - t0) / 1000, losses: res.history.map((h) => h.loss) };
}

/** Probabilities `[records][classes]` on whole records. */
export function predictSet(clf: EcgClassifier, set: ClsSet, batch = 32): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < set.x.length; s += batch) {
    const xs = set.x.slice(s, s + batch);
    const xb = new Float32Array(xs.length * set.T * 12);
    xs.forEach((x, b) => xb.set(x, b * set.T * 12));
    const p = tf.tidy(() => clf.predict(tf.tensor3d(xb, [xs.length, set.T, 12])).probabilities);
    const d = p.dataSync();
    p.dispose();
    const K = d.length / xs.length;
    for (let b = 0; b < xs.length; b++) out.push(Array.from(d.subarray(b * K, (b + 1) * K)));
  }
  return out;
}

export interface ClsMetrics {
  macroAuroc: number;
  perClassAuroc: number[];
  macroF1At05: number;
  macroF1ValThresholds: number;
  perClassF1ValThresholds: number[];
}

/** Metrics on a set, with F1 thresholds chosen on the validation predictions. */
export function clsMetrics(scores: number[][], labels: ArrayLike<number>[], thresholds: number[]): ClsMetrics {
  const y = labels.map((l) => Array.from(l));
  const a = macroAuroc(scores, y);
  const f = macroF1(scores, y, thresholds);
  return { macroAuroc: a.macro, perClassAuroc: a.perClass, macroF1At05: macroF1(scores, y, 0.5).macro, macroF1ValThresholds: f.macro, perClassF1ValThresholds: f.perClass };
}

export function valThresholds(scores: number[][], labels: ArrayLike<number>[]): number[] {
  return chooseF1Thresholds(scores, labels.map((l) => Array.from(l)));
}
