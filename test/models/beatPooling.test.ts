import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { useTestBackend } from '../_backend';
import { createEncoder, encoderGeometry, beatRoiPlan, beatPairPlan, pooledBeatPairs, BeatSslModel } from '../../src/models/index';

beforeAll(async () => {
  await useTestBackend();
});

/**
 * Input samples with a non-zero gradient of frame `f` of stage `s` (union over three random inputs: a
 * ReLU that is off for one input can hide an edge sample), and the centre of mass of |grad|.
 */
function measuredSpan(enc: ReturnType<typeof createEncoder>, L: number, s: number, f: number): { first: number; last: number; centre: number } {
  const mag = new Float64Array(L);
  for (const seed of [11, 12, 13]) {
    const x = tf.randomNormal([1, L, enc.config.leads], 0, 1, 'float32', seed) as tf.Tensor3D;
    const g = tf.grad((v: tf.Tensor) => {
      const { stages, embedding } = enc.apply(v as tf.Tensor3D);
      const out = tf.sum(tf.slice(stages[s], [0, f, 0], [1, 1, -1]));
      tf.dispose([embedding, ...stages]);
      return out;
    })(x);
    const m = tf.sum(tf.abs(g), [0, 2]);
    m.dataSync().forEach((v, t) => (mag[t] += v));
    tf.dispose([x, g, m]);
  }
  let first = -1;
  let last = -1;
  let m = 0;
  let w = 0;
  mag.forEach((v, t) => {
    if (v > 0) {
      if (first < 0) first = t;
      last = t;
      m += v * t;
      w += v;
    }
  });
  return { first, last, centre: m / w };
}

describe('encoder geometry (where a frame looks in the input)', () => {
  it('matches the input span measured by gradients, for every stage; centres are not (f + 0.5)·stride', () => {
    const enc = createEncoder({ leads: 2, stemWidth: 4, stemKernel: 7, widths: [4, 4, 4, 4], kernelSizes: [3, 9], kernelSize: 5, seed: 3 });
    const L = 400;
    const geo = encoderGeometry(enc.config, L);
    expect(enc.geometry(L)).toEqual(geo);
    expect(geo.map((g) => g.stride)).toEqual([1, 2, 4, 8, 16]);
    for (let s = 1; s < geo.length; s++) {
      const f = Math.round(L / geo[s].stride / 2); // a frame in the middle: its span is inside the input
      const m = measuredSpan(enc, L, s, f);
      expect(m.first).toBe(f * geo[s].stride + geo[s].first);
      expect(m.last).toBe(f * geo[s].stride + geo[s].last);
      expect(Math.abs(m.centre - (f * geo[s].stride + geo[s].centre))).toBeLessThan(geo[s].stride);
    }
    // The stride-16 frame's real centre (15 samples in) is 7 samples (70 ms at 100 Hz) later than (f + 0.5)·16 assumed.
    expect(geo[4].centre - 8).toBe(7);
    enc.dispose();
  });

  it("the small preset's stride-4 stage sees 0.55 s at 100 Hz (well under one beat), the last stage 2.47 s", () => {
    const g = encoderGeometry('small', 800);
    expect(g[2]).toEqual({ stride: 4, first: -24, last: 30, centre: 3, receptiveField: 55 });
    expect(g[4].receptiveField).toBe(247);
    expect(BeatSslModel.create({ encoder: 'small' }).config.beatStage).toBe(2);
  });
});

describe('beat pooling over two views', () => {
  it('matches beats by identity across differently cropped views and pools each at its own position', () => {
    const geometry = { stride: 4, centre: 3 };
    const F = 50;
    // Record 0: beats 1..4 at 60, 130, 200, 270 in the record; view 1 starts at 40, view 2 at 0.
    const rec = [60, 130, 200, 270];
    const v1 = { samples: rec.map((r) => r - 40), ids: [0, 1, 2, 3] };
    const v2 = { samples: rec, ids: [0, 1, 2, 3] };
    const plan = beatPairPlan([v1], [v2], F, { geometry, fs: 100, inputLength: 200, maxBeats: 8 });
    // windows [r − 25, r + 45] inside [0, 200): view 1 keeps 90, 160 → no (160+45 ≥ 200) …
    const inside = (r: number) => r - 25 >= 0 && r + 45 < 200;
    const expected = [0, 1, 2, 3].filter((k) => inside(rec[k] - 40) && inside(rec[k]));
    expect(Array.from(plan.beatIds)).toEqual(expected);
    const fm = tf.randomNormal([2, F, 3], 0, 1, 'float32', 5) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const pooled = pooledBeatPairs(fm, plan);
    const K = expected.length;
    expect(pooled.shape).toEqual([2 * K, 3]);
    const fmv = fm.arraySync();
    const pv = pooled.arraySync();
    expected.forEach((k, j) => {
      for (const [row, view, pos] of [[j, 0, rec[k] - 40], [K + j, 1, rec[k]]] as const) {
        const frames = [];
        for (let f = 0; f < F; f++) {
          const c = f * 4 + 3;
          if (c >= pos - 25 && c <= pos + 45) frames.push(f);
        }
        for (let ch = 0; ch < 3; ch++) expect(pv[row][ch]).toBeCloseTo(frames.reduce((s, f) => s + fmv[view][f][ch], 0) / frames.length, 5);
      }
    });
    pooled.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const g = tf.grad((x: tf.Tensor) => tf.sum(pooledBeatPairs(x as tf.Tensor3D, plan)))(fm);
    expect(tf.sum(g).dataSync()[0]).toBeCloseTo(2 * K * 3, 4); // each pooled row's weights sum to 1
    tf.dispose([fm, g]);
  });

  it('a beat embedding depends on the input around its own R-peak: gradients of the pooled beat peak near r', () => {
    const model = BeatSslModel.create({ encoder: { leads: 2, stemWidth: 4, stemKernel: 7, widths: [4, 4, 4, 4], kernelSizes: [3, 9], kernelSize: 5 }, projectionDim: 4, seed: 2 });
    const L = 400;
    const r = 200;
    const geometry = model.beatGeometry(L);
    const plan = beatPairPlan([{ samples: [r], ids: [0] }], [{ samples: [r], ids: [0] }], Math.ceil(L / geometry.stride), { geometry, fs: 100, inputLength: L });
    const x = tf.randomNormal([2, L, 2], 0, 1, 'float32', 4) as tf.Tensor3D;
    const g = tf.grad((v: tf.Tensor) => {
      const e = model.embed(v as tf.Tensor3D, plan);
      const out = tf.sum(e.beat!);
      tf.dispose([e.embedding, e.rhythm, ...e.stages]);
      return out;
    })(x);
    const mag = tf.sum(tf.abs(tf.slice(g, [0, 0, 0], [1, L, 2])), [0, 2]).dataSync();
    let first = -1;
    let last = -1;
    mag.forEach((v, t) => {
      if (v > 0) {
        if (first < 0) first = t;
        last = t;
      }
    });
    // window [r − 25, r + 45] of frame centres, widened by the stage's receptive field (55 samples)
    expect(first).toBeGreaterThanOrEqual(r - 25 - 30);
    expect(last).toBeLessThanOrEqual(r + 45 + 30);
    expect(first).toBeLessThan(r - 25);
    expect(last).toBeGreaterThan(r + 45);
    tf.dispose([x, g]);
    model.dispose();
  });

  it('beatRoiPlan takes the same geometry; bad input is named', () => {
    const plan = beatRoiPlan([Int32Array.of(100, 180)], 64, { geometry: encoderGeometry('small', 256)[2], fs: 100, maxBeats: 4 });
    expect(Array.from(plan.mask)).toEqual([1, 1, 0, 0]);
    expect(() => beatRoiPlan([Int32Array.of(100)], 64, { stride: 4, fs: 100, strides: 2 } as never)).toThrow("Error in beatRoiPlan: opts must have only the keys 'geometry', 'stride'");
    expect(() => beatRoiPlan([[NaN]], 64, { stride: 4, fs: 100 })).toThrow('rPeaks[0][0] must be a finite sample index');
    expect(() => beatPairPlan([{ samples: [1], ids: [0] }], [], 8, { stride: 4, fs: 100 })).toThrow('Error in beatPairPlan: view1/view2 must be two arrays with the peaks of the same records in each view');
    const empty = beatPairPlan([{ samples: [], ids: [] }], [{ samples: [], ids: [] }], 8, { stride: 4, fs: 100 });
    const fm = tf.zeros([2, 8, 2]) as tf.Tensor3D;
    expect(() => pooledBeatPairs(fm, empty)).toThrow('plan.slots must be at least one beat visible in both views');
    fm.dispose();
  });
});
