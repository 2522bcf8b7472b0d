/**
 * The shipped Beat-SSL-pretrained encoder (weights/beat-ssl-small-v1): it loads through the public
 * loaders, carries the preprocessing it was pretrained on, and has learned what its objective asks —
 * two independently cropped 3KG views of a record retrieve each other — where a randomly
 * initialised model of the same shape does not. Records: the 24 embedded PTB-XL samples (ecg_id
 * 1–25; some are in the pretraining folds 1–8, so this checks the weights, it does not evaluate them —
 * docs/evaluation.md does that on held-out records).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { useTestBackend } from '../_backend';
import { loadPretrainedEncoder, loadModelFolder, shippedModelDir, SHIPPED_MODELS, DEFAULT_PRETRAINED_WEIGHTS } from '../../src/heads/modelFolder';
import { BeatSslModel } from '../../src/models/beatSslModel';
import { readRecord } from '../../src/io/readRecord';
import { listWfdbRecords } from '../../src/data/wfdbFolder';
import { sslRecordFrom } from '../../src/data/precomputeSsl';
import { sampleViewPairs } from '../../src/data/sslBatch';
import { threeKG } from '../../src/augment/3kg';
import { createBeatSslObjective } from '../../src/losses/beatSsl';
import { createRng } from '../../src/core/rng';

const DIR = resolve(__dirname, '../../weights/beat-ssl-small-v1');
const PTBXL = resolve(__dirname, '../../examples/data/ptbxl');

/** Top-1 retrieval of the other view (rhythm embeddings) over the 24 sample records, one draw. */
async function viewRetrieval(model: BeatSslModel): Promise<number> {
  const records = await Promise.all((await listWfdbRecords(PTBXL)).map(async (p) => sslRecordFrom(await readRecord(p), { fs: 100 })));
  const objective = createBeatSslObjective({ rhythmTargets: 'hard', beatTargets: 'hard' });
  const rng = createRng(7);
  const idx = records.map((_, i) => i);
  let top1 = 0;
  const draws = 1;
  for (let d = 0; d < draws; d++) {
    const batch = sampleViewPairs(records, idx, { length: 800, rng });
    const targets = objective.targets({ rhythm: { n: idx.length } });
    const z = tf.tidy(() => model.embed(threeKG(tf.tensor3d(batch.x, [2 * idx.length, 800, 12]), { rng, standardize: true }), null).rhythm);
    top1 += objective.diagnostics({ rhythm: z, beat: null }, targets).rhythm.top1 / draws;
    z.dispose();
    targets.dispose();
  }
  return top1;
}

describe.skipIf(!existsSync(resolve(DIR, 'beat-ssl.json')))('shipped pretrained encoder weights/beat-ssl-small-v1', () => {
  beforeAll(async () => {
    await useTestBackend();
  });

  it('is a shipped model of kind pretrained that loadPretrainedEncoder loads by default', async () => {
    expect(DEFAULT_PRETRAINED_WEIGHTS).toBe('beat-ssl-small-v1');
    expect(SHIPPED_MODELS[DEFAULT_PRETRAINED_WEIGHTS]).toBe('pretrained');
    expect(await shippedModelDir('beat-ssl-small-v1')).toBe(DIR);
    const before = tf.memory().numTensors;
    const { encoder, preprocessing, dir } = await loadPretrainedEncoder();
    expect(dir).toBe(DIR);
    expect(preprocessing).toEqual({ fs: 100, leads: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], bandpassHz: [0.5, 40], standardize: 'lead', lengthSamples: null });
    const e = tf.tidy(() => encoder.apply(tf.zeros([1, 800, 12])).embedding);
    expect(e.shape).toEqual([1, encoder.embeddingDim]);
    e.dispose();
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loadPretrainedEncoder refuses the segmenter folder, naming the argument and what it is', async () => {
    await expect(loadPretrainedEncoder(await shippedModelDir('segmentation-v1'))).rejects.toThrow(/Error in loadPretrainedEncoder: dir must be a pretrained model folder.*segmenter folder/);
  });

  it('retrieves the other 3KG view of a record far better than a random model of the same shape', async () => {
    const loaded = await loadModelFolder(DIR);
    expect(loaded.kind).toBe('pretrained');
    const shipped = await viewRetrieval(loaded.model as BeatSslModel);
    loaded.dispose();
    const random = BeatSslModel.create({ encoder: 'small', seed: 0 });
    const baseline = await viewRetrieval(random);
    random.dispose();
    console.info(`view retrieval top-1 over 24 records: shipped ${shipped.toFixed(3)}, random init ${baseline.toFixed(3)}`);
    expect(shipped).toBeGreaterThan(0.8);
    expect(shipped - baseline).toBeGreaterThan(0.2);
  });
});
