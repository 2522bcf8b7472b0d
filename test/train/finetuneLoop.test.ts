/**
 * One fine-tuning loop (issue 15): `finetuneClassifier` and `finetuneSegmenter` are `finetuneLoop`
 * with a task. The numbers below were recorded on the cpu backend with the two separate loops
 * before they were merged; the merged loop must reproduce them exactly (same seeds, crops,
 * augmentation, optimizer groups, best-epoch choice).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createEncoder, ENCODER_PRESETS } from '../../src/models/index';
import { createClassifier, createSegmenter } from '../../src/heads/index';
import { finetuneClassifier, finetuneSegmenter } from '../../src/train/index';
import { syntheticRecords } from './_synthetic';

const recs = syntheticRecords(12, 64, 100, 5);
const cls = recs.map((r) => ({ signals: r.signals, labels: [r.recordFeatures![1] > 1 ? 1 : 0, r.rPeaks.length > 1 ? 1 : 0] }));
const seg = recs.map((r) => {
  const labels = new Uint8Array(64);
  for (const p of r.rPeaks) for (let d = -3; d <= 3; d++) if (p + d >= 0 && p + d < 64) labels[p + d] = 2;
  return { signals: r.signals, labels, span: [2, 61] as const };
});
/** A position-weighted sum of every weight: one number that moves with any weight. */
const checksum = (m: { getWeights(): tf.Tensor[] }) => m.getWeights().reduce((a, w) => a + Array.from(w.dataSync()).reduce((x: number, v: number, i: number) => x + v * ((i % 7) + 1), 0), 0);

describe('finetuneLoop reproduces the loops it replaced (cpu, pinned)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('classification: label fraction, crops, cosine schedule, encoder learning-rate scale', async () => {
    const clf = createClassifier(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { numClasses: 2, seed: 2 });
    const r = await finetuneClassifier({ classifier: clf, train: cls.slice(0, 8), val: cls.slice(8), epochs: 3, batchSize: 4, seed: 7, labelFraction: 0.9, windowSamples: 48, optimizer: { learningRate: 5e-3 }, lrSchedule: { type: 'cosine' }, encoderLearningRateScale: 0.5 });
    expect(r.history.map((h) => [h.loss, h.valLoss, h.valAuroc])).toEqual([
      [0.7567216753959656, 0.7101428508758545, 0.3333333333333333],
      [0.7308967113494873, 0.6945728063583374, 0],
      [0.6603630185127258, 0.6892675161361694, 0],
    ]);
    expect(r.bestEpoch).toBe(1);
    expect(checksum(clf.model)).toBe(559.5129398595745);
    clf.dispose();
  });

  it('segmentation: CE + Dice, amplitude/noise augmentation, encoder learning-rate scale', async () => {
    const s = createSegmenter(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { seed: 1 });
    const r = await finetuneSegmenter({ segmenter: s, train: seg.slice(0, 8), val: seg.slice(8), epochs: 3, batchSize: 4, seed: 1, windowSamples: 48, diceWeight: 0.5, augment: { scale: [0.8, 1.2], noiseSd: 0.05 }, optimizer: { learningRate: 1e-2 }, encoderLearningRateScale: 0.1 });
    expect(r.history.map((h) => [h.loss, h.valMeanDice])).toEqual([
      [2.220128297805786, 0.024691358024691357],
      [1.7313755750656128, 0.1590909090909091],
      [1.5452492237091064, 0.38144329896907214],
    ]);
    expect(r.bestEpoch).toBe(3);
    expect(checksum(s.model)).toBe(647.3825760576583);
    s.dispose();
  });

  it('classification now takes the augmentation of the shared loop too (deterministic per seed)', async () => {
    const run = async () => {
      const clf = createClassifier(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { numClasses: 2, seed: 2 });
      const r = await finetuneClassifier({ classifier: clf, train: cls, epochs: 2, batchSize: 4, seed: 3, augment: { scale: [0.8, 1.2] } });
      clf.dispose();
      return r.history.map((h) => h.loss);
    };
    const a = await run();
    expect(await run()).toEqual(a);
    const clf = createClassifier(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { numClasses: 2, seed: 2 });
    const plain = (await finetuneClassifier({ classifier: clf, train: cls, epochs: 2, batchSize: 4, seed: 3 })).history.map((h) => h.loss);
    clf.dispose();
    expect(plain).not.toEqual(a);
  });
});

describe('fine-tuning checkpoints are model folders', () => {
  it('with `preprocessing`, checkpoint.dir/best carries the spec and loads with loadModelFolder', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadModelFolder } = await import('../../src/heads/modelFolder');
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-ftbest-'));
    try {
      const s = createSegmenter(createEncoder({ ...ENCODER_PRESETS.tiny, seed: 3 }), { seed: 1 });
      await finetuneSegmenter({ segmenter: s, train: seg.slice(0, 8), val: seg.slice(8), epochs: 1, batchSize: 4, seed: 1, checkpoint: { dir }, preprocessing: { fs: 100, leads: ['II'] } });
      s.dispose();
      const best = await loadModelFolder(join(dir, 'best'));
      expect(best.kind).toBe('segmenter');
      expect(best.preprocessing).toEqual({ fs: 100, leads: ['II'], bandpassHz: [0.5, 40], standardize: 'lead', lengthSamples: null });
      best.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
