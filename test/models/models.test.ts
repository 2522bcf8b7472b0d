import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEncoder, ENCODER_PRESETS, createProjector, l2NormalizeRows, beatRoiPlan, beatRoiPool, BeatSslModel } from '../../src/models/index';
import { modelToFiles, topologyClassNames } from '../../src/models/persist';
import { useTestBackend } from '../_backend';

/** Standard Keras classes (layers, models, initializers) that the TF.js converter / Keras read. */
const KERAS_CLASSES = new Set([
  'Model', 'Functional', 'Sequential', 'InputLayer', 'Conv1D', 'Dense', 'BatchNormalization', 'LayerNormalization',
  'Activation', 'Add', 'Concatenate', 'GlobalAveragePooling1D', 'Reshape', 'UpSampling1D', 'UpSampling2D',
  'VarianceScaling', 'Zeros', 'Ones', 'GlorotUniform', 'HeNormal', 'Constant',
]);

let tmp: string;
beforeAll(async () => {
  await useTestBackend();
  tmp = mkdtempSync(join(tmpdir(), 'beat-ssl-models-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('createEncoder', () => {
  it('returns every stage and the embedding for any input length, with presets of the documented size', () => {
    const enc = createEncoder({ ...ENCODER_PRESETS.tiny, leads: 3, seed: 1 });
    const before = tf.memory().numTensors;
    for (const T of [64, 77]) {
      const x = tf.zeros([2, T, 3]) as tf.Tensor3D;
      const out = enc.apply(x);
      expect(out.stages.map((s) => s.shape)).toEqual([
        [2, T, 8],
        [2, Math.ceil(T / 2), 8],
        [2, Math.ceil(T / 4), 16],
      ]);
      expect(out.embedding.shape).toEqual([2, 16]);
      tf.dispose([x, ...out.stages, out.embedding]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(enc.stageStrides).toEqual([1, 2, 4]);
    expect(enc.totalStride).toBe(4);
    expect(enc.flopsPerRecord(100)).toBeGreaterThan(0);
    enc.dispose();
    const small = createEncoder('small');
    const base = createEncoder('base');
    expect(small.countParams()).toBeGreaterThan(1e5);
    expect(small.countParams()).toBeLessThan(5e5);
    expect(base.countParams()).toBeGreaterThan(1.5e6);
    expect(base.countParams()).toBeLessThan(2.5e6);
    expect(base.flopsPerRecord(1000)).toBeGreaterThan(small.flopsPerRecord(1000));
    small.dispose();
    base.dispose();
  });

  it('is deterministic for a seed and rejects bad configs with a clear message', () => {
    const a = createEncoder({ ...ENCODER_PRESETS.tiny, seed: 5 });
    const b = createEncoder({ ...ENCODER_PRESETS.tiny, seed: 5 });
    const wa = a.model.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa).toEqual(wb);
    a.dispose();
    b.dispose();
    expect(() => createEncoder({ widths: [8], depths: [1, 1] })).toThrow('Error in createEncoder: config.depths must be an array of 1 integers (one per stage)');
    expect(() => createEncoder({ norm: 'group' as never })).toThrow("config.norm must be one of 'batch', 'layer'");
    expect(() => createEncoder('huge' as never)).toThrow("config must be one of 'tiny', 'small', 'base'");
  });

  it('saves a topology made only of standard Keras classes (TF.js converter compatible), for both norms', async () => {
    for (const norm of ['batch', 'layer'] as const) {
      const enc = createEncoder({ ...ENCODER_PRESETS.tiny, norm });
      const files = await modelToFiles(enc.model);
      const names = topologyClassNames(files.modelJson.modelTopology);
      expect(names.filter((n) => !KERAS_CLASSES.has(n))).toEqual([]);
      expect(names).toContain('Conv1D');
      enc.dispose();
    }
  });
});

describe('projector', () => {
  it('outputs unit-norm rows', () => {
    const g = createProjector({ inputDim: 6, outputDim: 4, seed: 1 });
    const z = g.apply(tf.randomNormal([5, 6], 0, 1, 'float32', 2) as tf.Tensor2D);
    const norms = tf.norm(z, 'euclidean', 1).dataSync();
    for (const n of norms) expect(n).toBeCloseTo(1, 5);
    expect(Array.from(l2NormalizeRows(tf.tensor2d([[3, 4]])).dataSync())).toEqual([0.6000000238418579, 0.800000011920929]);
    g.dispose();
  });
});

describe('beatRoiPool', () => {
  it('equals a direct per-beat average of the frames around each R-peak, with mask and padding', () => {
    const B = 2, F = 50, C = 3, stride = 4, fs = 100;
    const fm = tf.randomNormal([B, F, C], 0, 1, 'float32', 3) as tf.Tensor3D;
    const peaks = [Int32Array.of(10, 60, 120, 150, 195), Int32Array.of(80)];
    const { pooled, mask, plan } = beatRoiPool(fm, peaks, { stride, fs, maxBeats: 3, seed: 7 });
    expect(pooled.shape).toEqual([B, 3, C]);
    const fmv = fm.arraySync();
    const pv = pooled.arraySync();
    const mv = mask.arraySync();
    // record 0: 10 (window starts before 0) and 195 (window ends after 200) are skipped → 60, 120, 150
    expect(Array.from(plan.beatIndex)).toEqual([1, 2, 3, 0, -1, -1]);
    expect(mv).toEqual([[1, 1, 1], [1, 0, 0]]);
    for (let b = 0; b < B; b++) {
      for (let m = 0; m < 3; m++) {
        const k = plan.beatIndex[b * 3 + m];
        if (k < 0) {
          expect(pv[b][m]).toEqual([0, 0, 0]);
          continue;
        }
        const r = peaks[b][k];
        const frames = [];
        for (let f = 0; f < F; f++) {
          const centre = f * stride + (stride - 1) / 2; // a plain feature map: frame f is the middle of its block
          if (centre >= r - 25 && centre <= r + 45) frames.push(f);
        }
        for (let c = 0; c < C; c++) {
          const direct = frames.reduce((s, f) => s + fmv[b][f][c], 0) / frames.length;
          expect(pv[b][m][c]).toBeCloseTo(direct, 5);
        }
      }
    }
    tf.dispose([fm, pooled, mask]);
  });

  it('samples at most maxBeats beats with the seed, and lets gradients reach the features', () => {
    const peaks = [Int32Array.from({ length: 20 }, (_, i) => 40 + i * 45)];
    const a = beatRoiPlan(peaks, 250, { stride: 4, fs: 100, maxBeats: 5, seed: 1 });
    const b = beatRoiPlan(peaks, 250, { stride: 4, fs: 100, maxBeats: 5, seed: 1 });
    const c = beatRoiPlan(peaks, 250, { stride: 4, fs: 100, maxBeats: 5, seed: 2 });
    expect(Array.from(a.beatIndex)).toEqual(Array.from(b.beatIndex));
    expect(Array.from(a.beatIndex)).not.toEqual(Array.from(c.beatIndex));
    const sorted = [...a.beatIndex].sort((x, y) => x - y);
    expect(Array.from(a.beatIndex)).toEqual(sorted);
    const before = tf.memory().numTensors;
    const fm = tf.ones([1, 250, 2]) as tf.Tensor3D;
    const g = tf.grad((x: tf.Tensor) => {
      const out = beatRoiPool(x as tf.Tensor3D, a);
      out.mask.dispose();
      return tf.sum(out.pooled);
    })(fm);
    const total = tf.sum(g);
    expect(total.dataSync()[0]).toBeCloseTo(5 * 2, 4); // each beat's weights sum to 1, per channel
    total.dispose();
    tf.dispose([fm, g]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => beatRoiPlan(peaks, 10, { stride: 0, fs: 100 })).toThrow('Error in beatRoiPlan: opts.stride must be a finite positive number (samples), but got 0.');
  });
});

describe('BeatSslModel', () => {
  it('saves and loads with identical outputs, and disposes all weights', async () => {
    const before = tf.memory().numTensors;
    const model = BeatSslModel.create({ encoder: { ...ENCODER_PRESETS.tiny, leads: 2 }, projectionDim: 8, seed: 3 });
    const x = tf.randomNormal([2, 32, 2], 0, 1, 'float32', 4) as tf.Tensor3D;
    const out1 = model.apply(x);
    const dir = join(tmp, 'm1');
    await model.save(dir);
    expect(JSON.parse(readFileSync(join(dir, 'encoder', 'model.json'), 'utf8')).format).toBe('layers-model');
    const loaded = await BeatSslModel.load(dir);
    const out2 = loaded.apply(x);
    expect(Array.from(out2.rhythm.dataSync())).toEqual(Array.from(out1.rhythm.dataSync()));
    expect(Array.from(out2.embedding.dataSync())).toEqual(Array.from(out1.embedding.dataSync()));
    expect(loaded.config).toEqual(model.config);
    expect(loaded.countParams()).toBe(model.countParams());
    tf.dispose([x, out1.embedding, out1.rhythm, ...out1.stages, out2.embedding, out2.rhythm, ...out2.stages]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(BeatSslModel.load(join(tmp, 'nope'))).rejects.toThrow('Error in BeatSslModel.load: dir must be a directory written by BeatSslModel.save');
  });
});

describe('writeModelDir (issue 17: one way of writing files)', () => {
  it('writes through the atomic writer: a failure before the rename leaves the previous files whole and no temporary file', async () => {
    const { writeModelDir, readModelDir } = await import('../../src/models/persist');
    const { setFaultHook } = await import('../../src/core/_internal/faults');
    const { readdirSync } = await import('node:fs');
    const dir = join(tmp, 'wmd-atomic');
    const a = createEncoder({ ...ENCODER_PRESETS.tiny, leads: 2, seed: 1 });
    const b = createEncoder({ ...ENCODER_PRESETS.tiny, leads: 2, seed: 2 });
    try {
      await writeModelDir(dir, a.model);
      const before = readFileSync(join(dir, 'weights.bin'));
      const points: string[] = [];
      setFaultHook((p) => {
        points.push(p);
        if (p === 'file:before-rename') throw new Error('injected crash');
      });
      await expect(writeModelDir(dir, b.model)).rejects.toThrow(/^Error in writeModelDir: /);
      setFaultHook(null);
      expect(points).toContain('file:before-rename');
      expect(readFileSync(join(dir, 'weights.bin')).equals(before)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
      const back = await readModelDir(dir, 'test');
      back.dispose();
      // the savers name themselves in its errors
      await expect(writeModelDir(join(dir, 'weights.bin', 'x'), a.model, { fn: 'BeatSslModel.save' })).rejects.toThrow(/^Error in BeatSslModel\.save: /);
      await expect(writeModelDir(dir, a.model, { nope: 1 } as never)).rejects.toThrow("Error in writeModelDir: opts must have only the keys 'fn', but got unknown key 'nope'.");
    } finally {
      setFaultHook(null);
      a.dispose();
      b.dispose();
    }
  });
});
