import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEncoder, ENCODER_PRESETS } from '../../src/models/index';
import { createClassifier, createSegmenter, EcgClassifier } from '../../src/heads/index';
import { finetuneClassifier, finetuneSegmenter, evaluateClassifier, segmentationLoss } from '../../src/train/index';
import { syntheticRecords } from './_synthetic';
import { useTestBackend } from '../_backend';

let tmp: string;
beforeAll(async () => {
  await useTestBackend();
  tmp = mkdtempSync(join(tmpdir(), 'beat-ssl-ft-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const recs = syntheticRecords(12, 64, 100, 5);
const cls = recs.map((r) => ({ signals: r.signals, labels: [r.recordFeatures![1] > 1 ? 1 : 0, r.rPeaks.length > 1 ? 1 : 0] }));

describe('finetuneClassifier', () => {
  it('lowers BCE, reports validation AUROC/F1 per epoch, keeps the best epoch, no tensor growth', async () => {
    const clf = createClassifier(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 1 }), { numClasses: 2, seed: 1 });
    const before = tf.memory().numTensors;
    const dir = join(tmp, 'clf');
    const res = await finetuneClassifier({ classifier: clf, train: cls.slice(0, 8), val: cls.slice(8), epochs: 4, batchSize: 4, seed: 2, optimizer: { learningRate: 1e-2 }, checkpoint: { dir } });
    expect(res.history).toHaveLength(4);
    expect(res.history[3].loss).toBeLessThan(res.history[0].loss);
    for (const h of res.history) expect(h.valAuroc === h.valAuroc || Number.isNaN(h.valAuroc)).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 0);
    const val = evaluateClassifier(clf, cls.slice(8));
    expect(val.auroc).toBeCloseTo(res.bestValAuroc, 5);
    expect(existsSync(join(dir, 'best', 'model.json'))).toBe(true);
    const back = await EcgClassifier.load(join(dir, 'best'));
    expect(evaluateClassifier(back, cls.slice(8)).auroc).toBeCloseTo(res.bestValAuroc, 5);
    back.dispose();
    clf.dispose();
  });

  it('linear probe trains only the head; label fraction subsets the training set', async () => {
    const enc = createEncoder({ ...ENCODER_PRESETS.tiny, seed: 1 });
    const clf = createClassifier(enc, { numClasses: 2, freezeEncoder: true });
    const encBefore = enc.model.getWeights().map((w) => Array.from(w.dataSync()));
    const res = await finetuneClassifier({ classifier: clf, train: cls, epochs: 1, batchSize: 4, seed: 1, labelFraction: 0.5 });
    expect(res.trainRecords).toBe(6);
    expect(enc.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(encBefore);
    clf.dispose();
  });
});

describe('finetuneSegmenter', () => {
  it('trains with CE + Dice and reports per-class validation Dice', async () => {
    const seg = createSegmenter(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { seed: 1 });
    const ex = recs.map((r) => {
      const labels = new Uint8Array(64);
      for (const p of r.rPeaks) for (let d = -3; d <= 3; d++) if (p + d >= 0 && p + d < 64) labels[p + d] = 2;
      return { signals: r.signals, labels, span: [2, 61] as const };
    });
    const before = tf.memory().numTensors;
    const res = await finetuneSegmenter({ segmenter: seg, train: ex.slice(0, 8), val: ex.slice(8), epochs: 4, batchSize: 4, seed: 1, optimizer: { learningRate: 1e-2 } });
    expect(res.history[3].loss).toBeLessThan(res.history[0].loss);
    expect(res.history[0].valDice).toHaveLength(4);
    expect(res.bestValMeanDice).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    seg.dispose();
  });

  it('segmentationLoss is CE (+ Dice) over the weighted samples only', () => {
    const logits = tf.tensor3d([[[10, 0, 0, 0], [0, 0, 10, 0]]]);
    const good = segmentationLoss(logits, tf.tensor2d([[0, 2]], [1, 2], 'int32'), tf.ones([1, 2]) as tf.Tensor2D, 0).dataSync()[0];
    const masked = segmentationLoss(logits, tf.tensor2d([[0, 1]], [1, 2], 'int32'), tf.tensor2d([[1, 0]]), 0).dataSync()[0];
    expect(good).toBeLessThan(1e-3);
    expect(masked).toBeLessThan(1e-3);
  });

  const segExamples = () =>
    recs.map((r) => {
      const labels = new Uint8Array(64);
      for (const p of r.rPeaks) for (let d = -3; d <= 3; d++) if (p + d >= 0 && p + d < 64) labels[p + d] = 2;
      return { signals: r.signals, labels };
    });
  // trainable weights only (batch-norm moving statistics move in training mode whatever the learning rate)
  const weightsOf = (m: { trainableWeights: { read(): tf.Tensor }[] }) => m.trainableWeights.map((w) => Float32Array.from(w.read().dataSync()));
  const maxChange = (a: Float32Array[], b: Float32Array[]) => a.reduce((m, w, i) => w.reduce((mm, v, j) => Math.max(mm, Math.abs(v - b[i][j])), m), 0);

  it('encoderLearningRateScale: 0 freezes the encoder weights, 0.1 moves them ~10× less than 1', async () => {
    const changes: number[] = [];
    for (const scale of [0, 0.1, 1]) {
      const enc = createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 });
      const seg = createSegmenter(enc, { seed: 1 });
      const encBefore = weightsOf(enc.model);
      const before = tf.memory().numTensors;
      // one step: Adam's first update is ±lr per weight, so the largest change is ~ lr × scale
      await finetuneSegmenter({ segmenter: seg, train: segExamples(), epochs: 1, batchSize: 12, seed: 1, optimizer: { learningRate: 1e-2 }, encoderLearningRateScale: scale });
      expect(tf.memory().numTensors).toBe(before);
      changes.push(maxChange(encBefore, weightsOf(enc.model)));
      seg.dispose();
    }
    expect(changes[2]).toBeGreaterThan(5e-3);
    expect(changes[1]).toBeGreaterThan(changes[2] * 0.05);
    expect(changes[1]).toBeLessThan(changes[2] * 0.2);
    expect(changes[0]).toBe(0);
  });

  it('augment scales and perturbs crops deterministically per seed, and bad ranges are refused', async () => {
    const run = async (seed: number) => {
      const seg = createSegmenter(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { seed: 1 });
      const res = await finetuneSegmenter({ segmenter: seg, train: segExamples(), epochs: 2, batchSize: 4, seed, augment: { scale: [0.5, 1.5], noiseSd: 0.3 } });
      seg.dispose();
      return res.history.map((h) => h.loss);
    };
    const plain = createSegmenter(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { seed: 1 });
    const noAug = (await finetuneSegmenter({ segmenter: plain, train: segExamples(), epochs: 2, batchSize: 4, seed: 1 })).history.map((h) => h.loss);
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(a).not.toEqual(noAug);
    await expect(finetuneSegmenter({ segmenter: plain, train: segExamples(), epochs: 1, seed: 1, augment: { scale: [1.2, 0.8] } })).rejects.toThrow(/options\.augment\.scale must be a range/);
    await expect(finetuneSegmenter({ segmenter: plain, train: segExamples(), epochs: 1, seed: 1, encoderLearningRateScale: -1 })).rejects.toThrow(/options\.encoderLearningRateScale/);
    plain.dispose();
  });
});

describe('finetuneClassifier encoderLearningRateScale', () => {
  it('0 keeps the encoder weights (head still trains)', async () => {
    const enc = createEncoder({ ...ENCODER_PRESETS.tiny, seed: 1 });
    const clf = createClassifier(enc, { numClasses: 2, seed: 1 });
    const kernel = (m: { getWeights(): tf.Tensor[] }) => m.getWeights().filter((w) => w.shape.length === 3).map((w) => Array.from(w.dataSync()));
    const encBefore = kernel(enc.model);
    const headBefore = clf.model.getWeights().map((w) => Array.from(w.dataSync()));
    await finetuneClassifier({ classifier: clf, train: cls, epochs: 1, batchSize: 4, seed: 1, encoderLearningRateScale: 0 });
    expect(kernel(enc.model)).toEqual(encBefore);
    expect(clf.model.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(headBefore);
    clf.dispose();
  });
});
