import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEncoder, ENCODER_PRESETS } from '../../src/models/index';
import { createClassifier, createSegmenter, EcgClassifier, EcgSegmenter, labelsToWaves } from '../../src/heads/index';
import { wavesToIntervals } from '../../src/beats/intervals';
import { modelToFiles, topologyClassNames } from '../../src/models/persist';
import { useTestBackend } from '../_backend';

const KERAS = new Set(['Model', 'Functional', 'InputLayer', 'Conv1D', 'Dense', 'BatchNormalization', 'LayerNormalization', 'Activation', 'Add', 'Concatenate', 'GlobalAveragePooling1D', 'Reshape', 'VarianceScaling', 'Zeros', 'Ones']);
let tmp: string;
beforeAll(async () => {
  await useTestBackend();
  tmp = mkdtempSync(join(tmpdir(), 'beat-ssl-heads-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('classification head', () => {
  it('predicts probabilities, saves one Keras model and reloads with identical outputs', async () => {
    const before = tf.memory().numTensors;
    const clf = createClassifier(createEncoder({ ...ENCODER_PRESETS.tiny, leads: 2, seed: 1 }), { numClasses: 3, seed: 2, labels: ['a', 'b', 'c'] });
    const x = tf.randomNormal([2, 40, 2], 0, 1, 'float32', 1) as tf.Tensor3D;
    const { logits, probabilities } = clf.predict(x);
    expect(probabilities.shape).toEqual([2, 3]);
    const viaModel = clf.model.predict(x) as tf.Tensor;
    expect(Array.from(viaModel.dataSync())).toEqual(Array.from(probabilities.dataSync()));
    const names = topologyClassNames((await modelToFiles(clf.model)).modelJson.modelTopology);
    expect(names.filter((n) => !KERAS.has(n))).toEqual([]);
    await clf.save(join(tmp, 'clf'));
    const back = await EcgClassifier.load(join(tmp, 'clf'));
    const p2 = back.predict(x);
    expect(Array.from(p2.probabilities.dataSync())).toEqual(Array.from(probabilities.dataSync()));
    expect(back.config.labels).toEqual(['a', 'b', 'c']);
    const frozen = createClassifier(createEncoder({ ...ENCODER_PRESETS.tiny, leads: 2 }), { numClasses: 3, freezeEncoder: true });
    expect(frozen.trainableVariables.length).toBe(2);
    expect(clf.trainableVariables.length).toBeGreaterThan(2);
    tf.dispose([x, logits, probabilities, viaModel, p2.logits, p2.probabilities]);
    clf.dispose();
    back.dispose();
    frozen.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('segmentation head', () => {
  it('gives [batch, time, 4] logits at the input rate for any length, standard Keras classes, save/load identical', async () => {
    const before = tf.memory().numTensors;
    const seg = createSegmenter(createEncoder({ ...ENCODER_PRESETS.tiny, leads: 1, seed: 3 }), { seed: 4 });
    for (const T of [64, 50]) {
      const x = tf.randomNormal([2, T, 1], 0, 1, 'float32', T) as tf.Tensor3D;
      const l = seg.logits(x);
      expect(l.shape).toEqual([2, T, 4]);
      tf.dispose([x, l]);
    }
    const names = topologyClassNames((await modelToFiles(seg.model)).modelJson.modelTopology);
    expect(names.filter((n) => !KERAS.has(n))).toEqual([]);
    expect(names).toContain('Concatenate');
    const sig = Float32Array.from({ length: 48 }, (_, i) => Math.sin(i / 3));
    const labels = seg.segmentSignals(sig);
    expect(labels.length).toBe(48);
    await seg.save(join(tmp, 'seg'));
    const back = await EcgSegmenter.load(join(tmp, 'seg'));
    expect(Array.from(back.segmentSignals(sig))).toEqual(Array.from(labels));
    seg.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('labelsToWaves / wavesToIntervals', () => {
  it('merges short gaps, drops short runs and measures PR, QRS, QT, QTc in ms', () => {
    const fs = 100;
    const labels = new Uint8Array(200);
    const fill = (a: number, b: number, c: number) => labels.fill(c, a, b + 1);
    // beat 1: P 10–19, QRS 30–38 (with a 1-sample gap at 34), T 50–74; beat 2 one second later
    fill(10, 19, 1); fill(30, 33, 2); fill(35, 38, 2); fill(50, 74, 3);
    fill(110, 119, 1); fill(130, 138, 2); fill(150, 174, 3);
    fill(190, 190, 1); // 10 ms P: dropped
    const waves = labelsToWaves(labels, fs);
    expect(waves.map((w) => `${w.type}:${w.onset}-${w.offset}`)).toEqual(['P:10-19', 'QRS:30-38', 'T:50-74', 'P:110-119', 'QRS:130-138', 'T:150-174']);
    const iv = wavesToIntervals(waves, fs);
    expect(iv.prMs).toBe(200);
    expect(iv.qrsMs).toBe(90);
    expect(iv.qtMs).toBe(450);
    expect(iv.rrMs).toBe(1000);
    expect(iv.qtcMs).toBeCloseTo(450, 6);
    expect(iv.heartRateBpm).toBe(60);
    expect(iv.beats).toHaveLength(2);
    expect(() => labelsToWaves([0, 7], fs)).toThrow('Error in labelsToWaves: labels[1] must be an integer class index in [0, 3], but got 7.');
  });
});
