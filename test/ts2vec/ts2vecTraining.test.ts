import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createTs2VecEncoder, getTs2VecWeights, setTs2VecWeights } from '../../src/models/ts2vecEncoder';
import { sampleTs2VecCrops, cropTs2VecViews } from '../../src/augment/ts2vecCrop';
import { pretrainTs2Vec, ts2vecTrainable } from '../../src/train/pretrainTs2Vec';
import { createRng } from '../../src/core/rng';
import { hierarchicalContrastiveLoss } from '../../src/losses/hierarchicalContrastive';
import { useTestBackend } from '../_backend';

beforeAll(async () => {
  await useTestBackend();
});

/** Direct dilated conv: y[t] = Σ_j x[t + (j − (k−1)/2)·d] · W[j] + b, zero outside. */
function directDilatedConv(x: number[][], w: number[][][], b: number[], d: number): number[][] {
  const k = w.length;
  const half = (k - 1) / 2;
  return x.map((_, t) =>
    b.map((bias, o) => {
      let s = bias;
      for (let j = 0; j < k; j++) {
        const tt = t + (j - half) * d;
        if (tt < 0 || tt >= x.length) continue;
        for (let i = 0; i < x[0].length; i++) s += x[tt][i] * w[j][i][o];
      }
      return s;
    }),
  );
}

describe('TS2Vec encoder', () => {
  it('computes the residual dilated conv stack exactly (depth 1 vs a direct loop)', () => {
    const enc = createTs2VecEncoder({ inputChannels: 2, hiddenChannels: 3, outputChannels: 3, depth: 1, dropout: 0, seed: 5 });
    const rng = createRng(9);
    const T = 11;
    const xArr = Array.from({ length: T }, () => [rng.normal(), rng.normal()]);
    const out = tf.tidy(() => Array.from(enc.apply(tf.tensor3d([xArr])).dataSync()));
    const W = getTs2VecWeights(enc);
    const mat = (e: { shape: number[]; data: number[] }) => {
      const [r, c] = e.shape;
      return Array.from({ length: r }, (_, i) => e.data.slice(i * c, i * c + c));
    };
    const conv = (e: { shape: number[]; data: number[] }) => {
      const [k, ci, co] = e.shape;
      return Array.from({ length: k }, (_, j) => Array.from({ length: ci }, (_, i) => e.data.slice((j * ci + i) * co, (j * ci + i) * co + co)));
    };
    const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));
    const lin = (x: number[][], w: number[][], b: number[]) => x.map((r) => b.map((bb, o) => bb + r.reduce((s, v, i) => s + v * w[i][o], 0)));
    // order: input w,b; block0 (dilation 1, hidden): c1w c1b c2w c2b; block1 (dilation 2, last, proj): c1w c1b c2w c2b pw pb
    let h = lin(xArr, mat(W[0]), W[1].data);
    const block = (hin: number[][], o: number, d: number, proj?: [number, number]) => {
      const res = proj ? lin(hin, mat(W[proj[0]]), W[proj[1]].data) : hin;
      let y = directDilatedConv(hin.map((r) => r.map(gelu)), conv(W[o]), W[o + 1].data, d);
      y = directDilatedConv(y.map((r) => r.map(gelu)), conv(W[o + 2]), W[o + 3].data, d);
      return y.map((r, t) => r.map((v, i) => v + res[t][i]));
    };
    h = block(h, 2, 1);
    h = block(h, 6, 2, [10, 11]);
    const flat = h.flat();
    flat.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4));
    enc.dispose();
  });

  it('creating and disposing an encoder leaves no tensor behind (issue 17 sweep: 12 initial values were left per encoder)', () => {
    const before = tf.memory().numTensors;
    const enc = createTs2VecEncoder({ inputChannels: 2, hiddenChannels: 4, outputChannels: 4, depth: 1, seed: 1 });
    expect(tf.memory().numTensors - before).toBe(enc.variables.length);
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('round-trips weights and rejects bad configs', () => {
    const a = createTs2VecEncoder({ inputChannels: 3, hiddenChannels: 4, outputChannels: 5, depth: 2, seed: 1 });
    const b = createTs2VecEncoder({ inputChannels: 3, hiddenChannels: 4, outputChannels: 5, depth: 2, seed: 2 });
    setTs2VecWeights(b, getTs2VecWeights(a));
    const x = tf.randomNormal([2, 20, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
    const ya = a.apply(x);
    const yb = b.apply(x);
    expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
    tf.dispose([x, ya, yb]);
    a.dispose();
    b.dispose();
    expect(() => createTs2VecEncoder({ inputChannels: 3, kernelSize: 4, seed: 1 })).toThrow(/config.kernelSize must be an odd integer/);
    expect(() => createTs2VecEncoder({ inputChannels: 0, seed: 1 })).toThrow(/config.inputChannels must be an integer/);
  });
});

describe('TS2Vec crops', () => {
  it('draws overlapping crops inside every series, aligned to the stride', () => {
    for (let seed = 0; seed < 50; seed++) {
      const c = sampleTs2VecCrops(96, 4, { seed, stride: 8 });
      expect(c.start1 <= c.overlapStart && c.overlapStart < c.overlapEnd && c.overlapEnd <= c.end2).toBe(true);
      expect(c.overlapEnd - c.overlapStart).toBeGreaterThanOrEqual(2);
      for (const o of c.offsets) {
        expect(o + c.start1).toBeGreaterThanOrEqual(0);
        expect(o + c.end2).toBeLessThanOrEqual(12);
      }
    }
    expect(() => sampleTs2VecCrops(10, 1, { seed: 1, stride: 8 })).toThrow(/length must be at least 16 samples/);
  });

  it('cuts views whose overlaps hold the same samples', () => {
    const x = tf.tensor3d(Float32Array.from({ length: 3 * 40 * 2 }, (_, i) => i), [3, 40, 2]);
    const crops = sampleTs2VecCrops(40, 3, { seed: 4, stride: 2 });
    const { view1, view2, overlap } = cropTs2VecViews(x, crops);
    const o1 = tf.slice(view1, [0, view1.shape[1] - overlap * 2, 0], [3, overlap * 2, 2]);
    const o2 = tf.slice(view2, [0, 0, 0], [3, overlap * 2, 2]);
    expect(Array.from(o1.dataSync())).toEqual(Array.from(o2.dataSync()));
    tf.dispose([x, view1, view2, o1, o2]);
  });
});

describe('pretrainTs2Vec', () => {
  it('lowers the loss, is deterministic for a seed, and leaks no tensors across steps', async () => {
    const rng = createRng(1);
    const n = 8;
    const T = 32;
    const data = new Float32Array(n * T * 2);
    for (let r = 0; r < n; r++) {
      const f = 1 + (r % 4);
      for (let t = 0; t < T; t++) {
        data[(r * T + t) * 2] = Math.sin((2 * Math.PI * f * t) / T) + 0.1 * rng.normal();
        data[(r * T + t) * 2 + 1] = Math.cos((2 * Math.PI * f * t) / T) + 0.1 * rng.normal();
      }
    }
    const x = tf.tensor3d(data, [n, T, 2]);
    // Held-out objective: fixed crops of all records, encoder in inference mode.
    const crops = sampleTs2VecCrops(T, n, { seed: 99, minOverlap: 8 });
    const evalLoss = (enc: ReturnType<typeof createTs2VecEncoder>) =>
      tf.tidy(() => {
        const { view1, view2, overlap } = cropTs2VecViews(x, crops);
        const r1 = enc.apply(view1);
        const r2 = enc.apply(view2);
        const z1 = tf.slice(r1, [0, r1.shape[1] - overlap, 0], [n, overlap, r1.shape[2]]);
        const z2 = tf.slice(r2, [0, 0, 0], [n, overlap, r2.shape[2]]);
        return hierarchicalContrastiveLoss(z1, z2).dataSync()[0];
      });
    const run = async () => {
      const enc = createTs2VecEncoder({ inputChannels: 2, hiddenChannels: 8, outputChannels: 8, depth: 1, seed: 3 });
      const before = evalLoss(enc);
      const counts: number[] = [];
      const { losses } = await pretrainTs2Vec({ model: ts2vecTrainable(enc), data: x, steps: 16, batchSize: 4, learningRate: 0.02, seed: 7, onStep: (s) => counts.push(s.numTensors) });
      const after = evalLoss(enc);
      enc.dispose();
      return { losses, counts, before, after };
    };
    const a = await run();
    const b = await run();
    expect(b.losses).toEqual(a.losses);
    expect(a.after).toBeLessThan(a.before);
    expect(new Set(a.counts.slice(2)).size).toBe(1);
    x.dispose();
  });
});

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for 1e-4; use a series/continued fraction via high-precision approximation.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : -y;
}
