/**
 * Pins the outputs of the shipped segmentation weights (weights/segmentation-v1) on two LUDB sample
 * records: the per-sample probabilities of the preprocessed record and the final waves of
 * `segmentRecord` (model + post-processing + rule-based P/QRS per the folder's `waveSources`).
 * The values were recorded on the cpu backend before the pipeline refactor of issue 15; any
 * change to preprocessing, the model loader or the analysis chain that moves a wave fails here.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readRecord } from '../../src/io/readRecord';
import { loadSegmentationModel } from '../../src/heads/segmentationModel';
import { segmentRecord } from '../../src/analysis/segmentRecord';
import { interleaveLeads, preprocessRecord } from '../../src/signal/preprocess';

const SHIPPED = resolve(__dirname, '../../weights/segmentation-v1/model.json');
const PINNED = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/heads/shipped-segmentation-v1.json'), 'utf8')) as Record<string, [string, number, number][]>;
const ludb = (id: number) => resolve(__dirname, `../../examples/data/ludb/${id}`);

describe.skipIf(!existsSync(SHIPPED))('shipped weights weights/segmentation-v1 (pinned outputs)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the pinned class probabilities on LUDB 1 (preprocessed as the folder says)', async () => {
    const model = await loadSegmentationModel();
    try {
      expect(model.preprocessing).toEqual({ fs: 100, leads: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], bandpassHz: [0.5, 40], standardize: 'lead', lengthSamples: null });
      const p = preprocessRecord(await readRecord(ludb(1)), model.preprocessing);
      const x = interleaveLeads(p.signals);
      expect(x[0]).toBeCloseTo(1.7651763, 5);
      expect(x[5000]).toBeCloseTo(-0.5481865, 5);
      const T = p.signals[0].length;
      const probs = tf.tidy(() => model.segmenter.predict(tf.tensor3d(x, [1, T, 12])).probabilities);
      const d = probs.dataSync();
      probs.dispose();
      const pinned: Record<number, number[]> = {
        0: [0.00008, 0.000445, 0.989586, 0.009889],
        130: [0.000437, 0.000279, 0.999059, 0.000225],
        200: [0.998887, 0.000575, 0.000357, 0.000181],
        999: [0.234237, 0.764575, 0.00082, 0.000368],
      };
      for (const [t, want] of Object.entries(pinned)) {
        const got = Array.from(d.subarray(Number(t) * 4, Number(t) * 4 + 4));
        got.forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThan(2e-5));
      }
    } finally {
      model.dispose();
    }
  });

  it.each([1, 2])('segmentRecord gives the pinned waves on LUDB %i', async (id) => {
    const r = await segmentRecord(await readRecord(ludb(id)));
    expect(r.waves.map((w) => [w.type, w.onset, w.offset])).toEqual(PINNED[`ludb/${id}`]);
  });
});
