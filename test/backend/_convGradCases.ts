import { beforeAll, describe, expect, it } from 'vitest';
import type { SetBackendResult } from '../../src/backend/setBackend';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { setBackend } from '../../src/backend/setBackend';
import { createRng } from '../../src/core/rng';

function randn(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return tf.tensor(v, shape);
}

/** max |a − b| / max(|b|) — relative to the reference's scale. */
function relErr(a: Float32Array | number[], b: Float32Array | number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-12);
}

async function onBackend<T>(name: string, fn: () => Promise<T>): Promise<T> {
  await tf.setBackend(name);
  return fn();
}

interface Case {
  n: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { n: 2, w: 50, cin: 3, cout: 4, k: 7, stride: 1, pad: 'same' },
  { n: 2, w: 50, cin: 3, cout: 4, k: 7, stride: 2, pad: 'same' },
  { n: 3, w: 33, cin: 5, cout: 6, k: 4, stride: 2, pad: 'same' },
  { n: 2, w: 40, cin: 4, cout: 3, k: 5, stride: 3, pad: 'valid' },
  { n: 1, w: 64, cin: 12, cout: 16, k: 15, stride: 2, pad: 'same' },
  { n: 2, w: 17, cin: 8, cout: 8, k: 1, stride: 2, pad: 'same' },
  { n: 2, w: 20, cin: 6, cout: 5, k: 1, stride: 1, pad: 'valid' },
  // Odd GEMM sizes: rows not a multiple of 12, columns not a multiple of 16/32.
  { n: 3, w: 101, cin: 20, cout: 50, k: 9, stride: 2, pad: 'same' },
  { n: 2, w: 77, cin: 33, cout: 17, k: 5, stride: 1, pad: 'same' },
  { n: 5, w: 40, cin: 48, cout: 96, k: 3, stride: 2, pad: 'valid' },
];

/**
 * Gradient exactness of the wasm training kernels against the cpu backend. Availability is decided
 * at collection time: when the wasm backend is absent the whole suite is skipped with the reason in
 * its title.
 */
export async function defineConvGradTests(label: string): Promise<void> {
  let skip: string | false = false;
  try {
    const r: SetBackendResult = await setBackend('wasm');
    if (r.name !== 'wasm' || !r.wasmTrainingKernels) skip = `wasm backend without the training kernels (${r.name})`;
  } catch (e) {
    skip = `wasm backend unavailable (${String(e).slice(0, 160)})`;
  }
  await tf.setBackend('cpu');
describe.skipIf(skip)(`${label}${skip ? ` (skipped: ${skip})` : ''}`, () => {
  beforeAll(async () => {
    const r = await setBackend('wasm');
    expect(r.wasmTrainingKernels).toBe(true);
  });

  it.each(CASES)('conv1d gradients match cpu to 1e-4 (%o)', async (c) => {
    const x = randn([c.n, c.w, c.cin], 1);
    const w = randn([c.k, c.cin, c.cout], 2);
    const probe = tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, c.stride, c.pad);
    const probeShape = probe.shape;
    probe.dispose();
    const g = randn(probeShape, 3);
    const f = (xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(xx as tf.Tensor3D, ww as tf.Tensor3D, c.stride, c.pad), g));
    const run = async () => {
      const before = tf.memory().numTensors;
      const [dx, dw] = tf.grads(f)([x, w]);
      const y = tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, c.stride, c.pad);
      const out = [await dx.data(), await dw.data(), await y.data()] as Float32Array[];
      tf.dispose([dx, dw, y]);
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expect(relErr(got[2], ref[2])).toBeLessThan(1e-4);
    expect(relErr(got[0], ref[0])).toBeLessThan(1e-4);
    expect(relErr(got[1], ref[1])).toBeLessThan(1e-4);
    tf.dispose([x, w, g]);
  });

  it('Tile (block fast path and stock shapes) matches cpu exactly', async () => {
    const cases: [number[], number[]][] = [
      [[1, 1, 1, 5], [3, 1, 7, 1]],
      [[1, 4], [6, 1]],
      [[1, 1], [2, 3]],
      [[2, 3], [2, 2]],
      [[1, 2, 3], [2, 1, 2]],
    ];
    for (const [shape, reps] of cases) {
      const x = randn(shape, 9);
      const run = async () => {
        const y = tf.tile(x, reps);
        const v = (await y.data()) as Float32Array;
        y.dispose();
        return v;
      };
      const ref = await onBackend('cpu', run);
      const got = await onBackend('wasm', run);
      expect(Array.from(got)).toEqual(Array.from(ref));
      x.dispose();
    }
  });

  it('batch-norm shapes (Sum/Mean over leading axes, batchNorm, clone) match cpu to 1e-5', async () => {
    const x = randn([6, 37, 20], 11);
    const x4 = randn([1, 6, 37, 20], 12);
    const mean = randn([20], 13);
    const variance = tf.tidy(() => tf.add(tf.abs(randn([20], 14)), 0.1));
    const offset = randn([20], 15);
    const scale = randn([20], 16);
    const run = async () => {
      const before = tf.memory().numTensors;
      const outs = tf.tidy(() => [
        tf.sum(x, [0, 1]),
        tf.mean(x, [0, 1], true),
        tf.sum(x4, [0, 1, 2]),
        tf.sum(x, -1),
        tf.mean(x),
        tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
        tf.batchNorm(x, mean, variance),
        tf.clone(x),
        tf.mul(x, scale),
        tf.mul(tf.reshape(scale, [1, 1, 20]), x),
        tf.add(x, offset),
        tf.sub(x, mean),
        tf.sub(mean, x),
        tf.mul(x, tf.scalar(0.5)),
        tf.sub(tf.scalar(2), x),
        tf.mul(x, x),
      ]);
      const vals = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
      const shapes = outs.map((t) => t.shape);
      tf.dispose(outs);
      expect(tf.memory().numTensors).toBe(before);
      return { vals, shapes };
    };
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expect(got.shapes).toEqual(ref.shapes);
    for (let i = 0; i < ref.vals.length; i++) expect(relErr(got.vals[i], ref.vals[i]), `output ${i}`).toBeLessThan(1e-5);
    tf.dispose([x, x4, mean, variance, offset, scale]);
  });

  it('conv2d weight gradient (2D, fallback shapes) matches cpu', async () => {
    const x = randn([2, 9, 11, 3], 4);
    const w = randn([3, 2, 3, 4], 5);
    const f = (xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, [2, 1], 'same')));
    const run = async () => {
      const [dx, dw] = tf.grads(f)([x, w]);
      const out = [await dx.data(), await dw.data()] as Float32Array[];
      tf.dispose([dx, dw]);
      return out;
    };
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expect(relErr(got[0], ref[0])).toBeLessThan(1e-4);
    expect(relErr(got[1], ref[1])).toBeLessThan(1e-4);
    tf.dispose([x, w]);
  });

  it('a tf.layers conv1d/batchnorm/dense model gets the same gradients on wasm as on cpu', async () => {
    const build = () => {
      const input = tfl.input({ shape: [64, 12] });
      let h = tfl.layers.conv1d({ filters: 8, kernelSize: 7, strides: 2, padding: 'same', useBias: false, kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }) }).apply(input) as tfl.SymbolicTensor;
      h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
      h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
      const s = tfl.layers.conv1d({ filters: 16, kernelSize: 1, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }) }).apply(h) as tfl.SymbolicTensor;
      // No bias before batch norm: its true gradient is 0 and a relative check would compare noise.
      let r = tfl.layers.conv1d({ filters: 16, kernelSize: 5, strides: 2, padding: 'same', useBias: false, kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 }) }).apply(h) as tfl.SymbolicTensor;
      r = tfl.layers.batchNormalization().apply(r) as tfl.SymbolicTensor;
      h = tfl.layers.add().apply([r, s]) as tfl.SymbolicTensor;
      h = tfl.layers.globalAveragePooling1d().apply(h) as tfl.SymbolicTensor;
      const out = tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotNormal({ seed: 4 }) }).apply(h) as tfl.SymbolicTensor;
      return tfl.model({ inputs: input, outputs: out });
    };
    const x = randn([4, 64, 12], 6);
    const run = async () => {
      const model = build();
      const vars = model.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
      const { grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, vars);
      const out: Float32Array[] = [];
      for (const v of vars) out.push((await grads[v.name].data()) as Float32Array);
      tf.dispose(Object.values(grads));
      model.dispose();
      return out;
    };
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expect(got.length).toBe(ref.length);
    for (let i = 0; i < ref.length; i++) expect(relErr(got[i], ref[i]), `weight ${i}`).toBeLessThan(1e-4);
    x.dispose();
  });
});
}
