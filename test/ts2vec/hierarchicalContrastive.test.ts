import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import {
  hierarchicalContrastiveLoss,
  instanceContrastiveLoss,
  temporalContrastiveLoss,
  maxPoolTime2,
} from '../../src/losses/hierarchicalContrastive';
import { useTestBackend, wasmUnavailable } from '../_backend';

interface Case { shape: [number, number, number]; alpha: number; temporalUnit: number; z1: number[]; z2: number[]; instance: number; temporal: number; hierarchical: number }
const ref = JSON.parse(readFileSync(new URL('../fixtures/ts2vec/loss-reference.json', import.meta.url), 'utf8')) as { cases: Case[] };

beforeAll(async () => {
  await useTestBackend();
});

describe('TS2Vec hierarchical contrastive loss', () => {
  it('matches the independent PyTorch reference (scripts/ts2vec-reference.py)', () => {
    for (const c of ref.cases) {
      const z1 = tf.tensor3d(c.z1, c.shape);
      const z2 = tf.tensor3d(c.z2, c.shape);
      const inst = instanceContrastiveLoss(z1, z2);
      const temp = temporalContrastiveLoss(z1, z2);
      const hier = hierarchicalContrastiveLoss(z1, z2, { alpha: c.alpha, temporalUnit: c.temporalUnit });
      expect(inst.dataSync()[0]).toBeCloseTo(c.instance, 4);
      expect(temp.dataSync()[0]).toBeCloseTo(c.temporal, 4);
      expect(hier.dataSync()[0]).toBeCloseTo(c.hierarchical, 4);
      tf.dispose([z1, z2, inst, temp, hier]);
    }
  });

  it('gradients agree with central finite differences', () => {
    const c = ref.cases[0];
    const z2 = tf.tensor3d(c.z2, c.shape);
    const base = Float64Array.from(c.z1);
    const lossAt = (v: ArrayLike<number>) => tf.tidy(() => hierarchicalContrastiveLoss(tf.tensor3d(Float32Array.from(v), c.shape), z2).dataSync()[0]);
    const g = tf.tidy(() => tf.grad((z: tf.Tensor) => hierarchicalContrastiveLoss(z as tf.Tensor3D, z2))(tf.tensor3d(Float32Array.from(base), c.shape)).dataSync());
    const h = 1e-2;
    for (const i of [0, 7, 23, 61, 100, 150]) {
      const p = Float64Array.from(base); p[i] += h;
      const m = Float64Array.from(base); m[i] -= h;
      const fd = (lossAt(p) - lossAt(m)) / (2 * h);
      expect(Math.abs(g[i] - fd)).toBeLessThan(2e-3 + 2e-2 * Math.abs(fd));
    }
    z2.dispose();
  });

  it('max-pools time with kernel 2, dropping an odd last step', () => {
    const z = tf.tensor3d([1, 5, 3, 2, 9, 0, 4, 4, 7, 8], [1, 5, 2]);
    const p = maxPoolTime2(z);
    expect(p.shape).toEqual([1, 2, 2]);
    expect(Array.from(p.dataSync())).toEqual([3, 5, 9, 4]);
    tf.dispose([z, p]);
    const flat = tf.zeros([2, 4]);
    const single = tf.zeros([1, 1, 3]);
    expect(() => maxPoolTime2(flat as tf.Tensor3D)).toThrow(/Error in maxPoolTime2: z must be a tensor \[batch ≥ 1, time ≥ 2, channels\], but got tensor of shape \[2, 4\]\./);
    expect(() => maxPoolTime2(single as tf.Tensor3D)).toThrow(/time ≥ 2/);
    tf.dispose([flat, single]);
  });

  it('is finite for identical representations and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const z = tf.ones([4, 12, 6]) as tf.Tensor3D;
    const l = hierarchicalContrastiveLoss(z, z);
    expect(Number.isFinite(l.dataSync()[0])).toBe(true);
    tf.dispose([z, l]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad input with named arguments', () => {
    const a = tf.zeros([2, 4, 3]) as tf.Tensor3D;
    const b = tf.zeros([2, 5, 3]) as tf.Tensor3D;
    expect(() => hierarchicalContrastiveLoss(a, b)).toThrow('Error in hierarchicalContrastiveLoss: z2 must be a tensor [2, 4, 3] like z1, but got tensor of shape [2, 5, 3].');
    expect(() => hierarchicalContrastiveLoss(a, a, { alpha: 2 })).toThrow(/opts.alpha must be a number in \[0, 1\]/);
    tf.dispose([a, b]);
  });
});

const wasmSkip = await wasmUnavailable();

describe.skipIf(wasmSkip)(`TS2Vec pieces on the wasm backend${wasmSkip ? ` (skipped: ${wasmSkip})` : ''}`, () => {
  it('give the same loss, gradient and crops as on cpu', async () => {
    const { cropTs2VecViews, sampleTs2VecCrops } = await import('../../src/augment/ts2vecCrop');
    const c = ref.cases[1];
    const run = () =>
      tf.tidy(() => {
        const z1 = tf.tensor3d(c.z1, c.shape);
        const z2 = tf.tensor3d(c.z2, c.shape);
        const g = tf.grad((z: tf.Tensor) => hierarchicalContrastiveLoss(z as tf.Tensor3D, z2))(z1);
        const x = tf.tensor3d(Float32Array.from({ length: 3 * 40 * 2 }, (_, i) => i), [3, 40, 2]);
        const { view1 } = cropTs2VecViews(x, sampleTs2VecCrops(40, 3, { seed: 4, stride: 2 }));
        return [hierarchicalContrastiveLoss(z1, z2).dataSync()[0], Array.from(g.dataSync()), Array.from(view1.dataSync())] as const;
      });
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('wasm');
    const wasm = run();
    await tf.setBackend('cpu');
    expect(wasm[0]).toBeCloseTo(cpu[0], 4);
    cpu[1].forEach((v, i) => expect(Math.abs(v - wasm[1][i])).toBeLessThan(1e-4 + 1e-4 * Math.abs(v)));
    expect(wasm[2]).toEqual(cpu[2]);
  });
});
