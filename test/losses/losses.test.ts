import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import {
  ntXent,
  softInfoNCE,
  multiPositiveInfoNCE,
  pairTargets,
  softTargets,
  classTargets,
  paddedValidMask,
  type SoftInfoNCENormalization,
} from 'beat-ssl/losses';
import { createRng } from 'beat-ssl/core/rng';
import { useTestBackend } from '../_backend';

interface RefLoss {
  value: number;
  grad: number[][];
}
interface RefCase {
  z: number[][];
  features: number[][];
  labels: number[];
  validMask: number[];
  targets: Record<string, number[][]>;
  losses: Record<string, Record<string, RefLoss>>;
}
const ref = JSON.parse(readFileSync(new URL('../fixtures/losses/reference.json', import.meta.url), 'utf8')) as { cases: RefCase[] };

beforeAll(async () => {
  await useTestBackend();
});

function randomZ(seed: number, rows: number, d: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(Float32Array.from({ length: rows * d }, () => rng.normal()), [rows, d]);
}

function valueAndGrad(f: (z: tf.Tensor2D) => tf.Scalar, z: tf.Tensor2D): { value: number; grad: number[][] } {
  const { value, grad } = tf.valueAndGrad(f)(z);
  const out = { value: value.dataSync()[0], grad: grad.arraySync() as number[][] };
  value.dispose();
  grad.dispose();
  return out;
}

function expectClose2d(actual: number[][], expected: number[][], atol: number, rtol = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    for (let j = 0; j < expected[i].length; j++) {
      const tol = atol + rtol * Math.abs(expected[i][j]);
      if (Math.abs(actual[i][j] - expected[i][j]) > tol) {
        throw new Error(`[${i}][${j}]: ${actual[i][j]} vs expected ${expected[i][j]} (tol ${tol})`);
      }
    }
  }
}

describe('losses vs the PyTorch reference (scripts/losses-reference.py)', () => {
  ref.cases.forEach((c, ci) => {
    for (const tauKey of Object.keys(c.losses)) {
      const tau = Number(tauKey.slice(3));
      it(`case ${ci}, τ = ${tau}: values and gradients`, () => {
        const before = tf.memory().numTensors;
        const z = tf.tensor2d(c.z);
        const validMask = c.validMask;
        const targets: Record<string, tf.Tensor2D> = {
          cosine1: softTargets(c.features, { similarity: 'cosine', exponent: 1 }),
          cosine3: softTargets(c.features, { similarity: 'cosine', exponent: 3 }),
          gaussian: softTargets(c.features, { similarity: 'gaussian', exponent: 2, sigma: 1.5 }),
        };
        const fns: Record<string, (z: tf.Tensor2D) => tf.Scalar> = {
          ntXent: (x) => ntXent(x, { temperature: tau, validMask }),
          'softInfoNCE_sigmoid_cosine1_bias-3': (x) =>
            softInfoNCE(x, targets.cosine1, { temperature: tau, normalization: 'sigmoid', bias: -3, validMask }),
          multiPositiveInfoNCE_class: (x) => {
            const pos = classTargets(c.labels);
            const l = multiPositiveInfoNCE(x, pos, { temperature: tau, validMask });
            pos.dispose();
            return l;
          },
        };
        for (const name of Object.keys(targets)) {
          for (const normalization of ['row', 'weighted', 'sigmoid'] as SoftInfoNCENormalization[]) {
            fns[`softInfoNCE_${normalization}_${name}`] = (x) => softInfoNCE(x, targets[name], { temperature: tau, normalization, validMask });
          }
        }
        const expected = c.losses[tauKey];
        expect(Object.keys(fns).sort()).toEqual(Object.keys(expected).sort());
        for (const [name, f] of Object.entries(fns)) {
          const got = valueAndGrad(f, z);
          const e = expected[name];
          expect(got.value, name).toBeCloseTo(e.value, 3);
          expect(Math.abs(got.value - e.value) / Math.abs(e.value), name).toBeLessThan(2e-5 + 1e-3 / Math.abs(e.value));
          expectClose2d(got.grad, e.grad, 2e-4, 1e-3);
        }
        Object.values(targets).forEach((t) => t.dispose());
        z.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });

  it('target builders match the reference', () => {
    for (const c of ref.cases) {
      const cos1 = softTargets(c.features);
      const cos3 = softTargets(c.features, { exponent: 3 });
      const gau = softTargets(c.features, { similarity: 'gaussian', exponent: 2, sigma: 1.5 });
      const cls = classTargets(c.labels);
      expectClose2d(cos1.arraySync(), c.targets.cosine1, 1e-6, 1e-5);
      expectClose2d(cos3.arraySync(), c.targets.cosine3, 1e-6, 1e-5);
      expectClose2d(gau.arraySync(), c.targets['gaussian2_sigma1.5'], 1e-6, 1e-4);
      expectClose2d(cls.arraySync(), c.targets.class, 0);
      tf.dispose([cos1, cos3, gau, cls]);
    }
  });
});

describe('ntXent and softInfoNCE agree', () => {
  it("'row' with one-hot other-view targets equals ntXent", () => {
    for (const [seed, tau] of [
      [1, 0.1],
      [2, 0.5],
      [3, 0.01],
    ] as const) {
      const z = randomZ(seed, 16, 8);
      const t = pairTargets(8);
      const a = ntXent(z, { temperature: tau });
      const b = softInfoNCE(z, t, { temperature: tau, normalization: 'row' });
      const w = softInfoNCE(z, t, { temperature: tau, normalization: 'weighted' });
      const expected = a.dataSync()[0];
      expect(b.dataSync()[0]).toBeCloseTo(expected, 4);
      expect(w.dataSync()[0]).toBeCloseTo(expected, 4); // one-hot rows: weighted = row
      // gradients agree too
      const ga = tf.grad((x) => ntXent(x as tf.Tensor2D, { temperature: tau }))(z);
      const gb = tf.grad((x) => softInfoNCE(x as tf.Tensor2D, t, { temperature: tau }))(z);
      expectClose2d(gb.arraySync() as number[][], ga.arraySync() as number[][], 1e-5, 1e-4);
      tf.dispose([z, t, a, b, w, ga, gb]);
    }
  });

  it('agree with a validity mask too, and padded rows get no gradient', () => {
    const z = randomZ(9, 12, 4);
    const validMask = [1, 1, 0, 1, 0, 1];
    const t = pairTargets(6);
    const a = ntXent(z, { validMask });
    const b = softInfoNCE(z, t, { validMask });
    expect(b.dataSync()[0]).toBeCloseTo(a.dataSync()[0], 5);
    const g = tf.grad((x) => softInfoNCE(x as tf.Tensor2D, t, { validMask }))(z).arraySync() as number[][];
    for (const row of [2, 4, 8, 10]) expect(g[row].every((v) => v === 0)).toBe(true);
    expect(g[0].some((v) => v !== 0)).toBe(true);
    // changing a padded row does not change the loss
    const bump = Float32Array.from({ length: 12 }, (_, i) => (i === 2 || i === 10 ? 5 : 0));
    const z2 = tf.tidy(() => tf.add(z, tf.tensor2d(bump, [12, 1])) as tf.Tensor2D);
    const c = softInfoNCE(z2, t, { validMask });
    expect(c.dataSync()[0]).toBeCloseTo(b.dataSync()[0], 5);
    tf.dispose([z, z2, t, a, b, c]);
  });
});

describe('numerical stability', () => {
  const cases: Array<[string, (z: tf.Tensor2D, t: tf.Tensor2D) => tf.Scalar]> = [
    ['ntXent', (z) => ntXent(z, { temperature: 0.01 })],
    ['row', (z, t) => softInfoNCE(z, t, { temperature: 0.01 })],
    ['weighted', (z, t) => softInfoNCE(z, t, { temperature: 0.01, normalization: 'weighted' })],
    ['sigmoid', (z, t) => softInfoNCE(z, t, { temperature: 0.01, normalization: 'sigmoid' })],
    ['multiPositive', (z, t) => multiPositiveInfoNCE(z, t, { temperature: 0.01 })],
  ];
  const inputs: Array<[string, () => tf.Tensor2D]> = [
    ['identical embeddings', () => tf.ones([16, 8]) as tf.Tensor2D],
    ['random embeddings', () => randomZ(4, 16, 8)],
    ['opposite views', () => tf.tidy(() => tf.concat([tf.ones([8, 8]), tf.neg(tf.ones([8, 8]))]) as tf.Tensor2D)],
    ['zero rows', () => tf.zeros([16, 8]) as tf.Tensor2D],
  ];
  for (const [inputName, make] of inputs) {
    it(`finite values and gradients at τ = 0.01 with ${inputName}`, () => {
      const z = make();
      const feats = randomZ(5, 8, 3);
      const t = softTargets(feats, { exponent: 50 });
      for (const [name, f] of cases) {
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor2D) => f(x, t))(z);
        const v = value.dataSync()[0];
        expect(Number.isFinite(v), `${name} value ${v}`).toBe(true);
        expect(Array.from(grad.dataSync()).every(Number.isFinite), `${name} grad`).toBe(true);
        tf.dispose([value, grad]);
      }
      tf.dispose([z, feats, t]);
    });
  }

  it("'sigmoid' has the right value and gradient where the logit is exactly 0", () => {
    // identical unit embeddings: cos = 1, default bias −1/τ → every logit is 0, σ = 0.5.
    const z = tf.ones([4, 3]) as tf.Tensor2D;
    const t = pairTargets(2);
    const { value, grad } = tf.valueAndGrad((x) => softInfoNCE(x as tf.Tensor2D, t, { normalization: 'sigmoid' }))(z);
    // per anchor: 3 pairs, BCE = log 2 each
    expect(value.dataSync()[0]).toBeCloseTo(3 * Math.log(2), 5);
    // dL/dlogit = σ(0) − t ≠ 0, but cosine is at its maximum, so dL/dz = 0 for identical rows
    expect(Array.from(grad.dataSync()).every((g) => Math.abs(g) < 1e-5)).toBe(true);
    const bias = tf.variable(tf.scalar(-10));
    const gb = tf.grad((b) => softInfoNCE(z, t, { normalization: 'sigmoid', bias: b as tf.Scalar, temperature: 0.1 }))(bias);
    // d/db Σ_anchors mean: per anchor Σ_j (σ(0) − t_ij) = 3·0.5 − 1 = 0.5
    expect(gb.dataSync()[0]).toBeCloseTo(0.5, 5);
    tf.dispose([z, t, value, grad, bias, gb]);
  });

  it('identical embeddings give log(2N − 1) for ntXent', () => {
    const z = tf.ones([16, 8]) as tf.Tensor2D;
    const l = ntXent(z, { temperature: 0.01 });
    expect(l.dataSync()[0]).toBeCloseTo(Math.log(15), 4);
    tf.dispose([z, l]);
  });
});

describe('gradients vs finite differences', () => {
  const fns: Array<[string, (z: tf.Tensor2D) => tf.Scalar]> = [];
  const setup = (): { t: tf.Tensor2D; pos: tf.Tensor2D } => ({
    t: softTargets([[1, 0.5], [0.2, -1], [-0.3, 0.3], [2, 1]], { exponent: 2 }),
    pos: classTargets([0, 1, 0, -1]),
  });
  it('ntXent, softInfoNCE (row, weighted, sigmoid), multiPositiveInfoNCE', () => {
    const { t, pos } = setup();
    fns.push(
      ['ntXent', (z) => ntXent(z, { temperature: 0.5 })],
      ['row', (z) => softInfoNCE(z, t, { temperature: 0.5 })],
      ['weighted', (z) => softInfoNCE(z, t, { temperature: 0.5, normalization: 'weighted' })],
      ['sigmoid', (z) => softInfoNCE(z, t, { temperature: 0.5, normalization: 'sigmoid' })],
      ['multiPositive', (z) => multiPositiveInfoNCE(z, pos, { temperature: 0.5, validMask: [1, 1, 1, 0] })],
    );
    const z0 = randomZ(11, 8, 3);
    const base = z0.arraySync() as number[][];
    const eps = 1e-2;
    for (const [name, f] of fns) {
      const g = tf.grad((x) => f(x as tf.Tensor2D))(z0);
      const analytic = g.arraySync() as number[][];
      g.dispose();
      for (let i = 0; i < 8; i++) {
        for (let j = 0; j < 3; j++) {
          const at = (delta: number): number => {
            const zz = base.map((r) => r.slice());
            zz[i][j] += delta;
            return tf.tidy(() => f(tf.tensor2d(zz)).dataSync()[0]);
          };
          const fd = (at(eps) - at(-eps)) / (2 * eps);
          expect(Math.abs(fd - analytic[i][j]), `${name} d/dz[${i}][${j}]: fd ${fd} vs ${analytic[i][j]}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(fd));
        }
      }
    }
    tf.dispose([z0, t, pos]);
  });
});

describe('training use', () => {
  it('works inside optimizer.minimize and leaks nothing', () => {
    const z = tf.variable(randomZ(12, 8, 4));
    const feats = randomZ(13, 4, 3);
    const t = softTargets(feats);
    const opt = tf.train.sgd(0.5);
    const before = tf.memory().numTensors;
    const first = ntXent(z);
    const l0 = first.dataSync()[0];
    first.dispose();
    for (let k = 0; k < 20; k++) opt.minimize(() => ntXent(z));
    const last = ntXent(z);
    expect(last.dataSync()[0]).toBeLessThan(l0);
    last.dispose();
    for (let k = 0; k < 3; k++) opt.minimize(() => softInfoNCE(z, t, { normalization: 'sigmoid' }));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, feats, t]);
    opt.dispose();
  });

  it('a learnable sigmoid bias receives a gradient', () => {
    const z = randomZ(14, 8, 4);
    const t = pairTargets(4);
    const bias = tf.variable(tf.scalar(-10));
    const opt = tf.train.sgd(0.1);
    opt.minimize(() => softInfoNCE(z, t, { normalization: 'sigmoid', bias }), false, [bias]);
    expect(bias.dataSync()[0]).not.toBe(-10);
    tf.dispose([z, t, bias]);
    opt.dispose();
  });

  it('every loss and builder leaves no tensor behind', () => {
    const z = randomZ(15, 8, 4);
    const before = tf.memory().numTensors;
    tf.dispose([
      ntXent(z),
      softInfoNCE(z, [[0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0, 0]]),
      multiPositiveInfoNCE(z, [[1, 1, 0, 0, 1, 1, 0, 0], [1, 1, 0, 0, 1, 1, 0, 0], [0, 0, 1, 0, 0, 0, 1, 0], [0, 0, 0, 1, 0, 0, 0, 1], [1, 1, 0, 0, 1, 1, 0, 0], [1, 1, 0, 0, 1, 1, 0, 0], [0, 0, 1, 0, 0, 0, 1, 0], [0, 0, 0, 1, 0, 0, 0, 1]]),
    ]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([pairTargets(3), softTargets([[1, 2]]), softTargets([[1, 2], [3, 4]], { similarity: 'gaussian', sigma: 1, stacked: true }), classTargets([1, 2]), paddedValidMask([1, 2], 3)]);
    expect(tf.memory().numTensors).toBe(before);
    z.dispose();
  });
});

describe('target builders', () => {
  it('pairTargets and classTargets layout', () => {
    expect(pairTargets(2).arraySync()).toEqual([
      [0, 0, 1, 0],
      [0, 0, 0, 1],
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    expect(classTargets([5, -1]).arraySync()).toEqual([
      [1, 0, 1, 0],
      [0, 1, 0, 1],
      [1, 0, 1, 0],
      [0, 1, 0, 1],
    ]);
    expect(classTargets([5, 5, 7, 5], { stacked: true }).arraySync()[0]).toEqual([1, 1, 1, 1]);
  });

  it('softTargets: 1 on the other view, sim^γ elsewhere, in [0, 1]', () => {
    const t = softTargets([[1, 0], [0, 1], [-1, 0]], { exponent: 2 });
    const a = t.arraySync();
    expect(a[0][3]).toBe(1);
    expect(a[0][0]).toBe(1);
    expect(a[0][1]).toBeCloseTo(0.25, 6); // cos = 0 → 0.5, squared
    expect(a[0][2]).toBeCloseTo(0, 6); // cos = −1 → 0
    expect(a[0][4]).toBeCloseTo(0.25, 6);
    t.dispose();
    const stacked = softTargets([[1, 0], [0, 1], [1, 1], [0, 2]], { stacked: true, similarity: 'gaussian', sigma: 1 }).arraySync();
    expect(stacked[0][2]).toBe(1); // other view of row 0 is row 2
    expect(stacked[0][1]).toBeCloseTo(Math.exp(-1), 6);
  });

  it('paddedValidMask layout', () => {
    expect(Array.from(paddedValidMask([3, 1], 4).dataSync())).toEqual([1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0]);
  });

  it('beat loss with padded rows equals the loss on the valid rows alone', () => {
    // 2 records, up to 3 beats; record 0 has 3 beats, record 1 has 1.
    const zAll = randomZ(21, 12, 5); // [2 views × 2 records × 3 slots, 5]
    const validMask = paddedValidMask([3, 1], 3);
    const keep = [0, 1, 2, 3, 6, 7, 8, 9];
    const zValid = tf.gather(zAll, tf.tensor1d(keep, 'int32')) as tf.Tensor2D;
    const feats = randomZ(22, 6, 2);
    const tAll = softTargets(feats, { exponent: 2 });
    const tValid = tf.gather(tf.gather(tAll, keep), keep, 1) as tf.Tensor2D;
    const a = softInfoNCE(zAll, tAll, { validMask });
    const b = softInfoNCE(zValid, tValid);
    expect(a.dataSync()[0]).toBeCloseTo(b.dataSync()[0], 5);
    const s1 = softInfoNCE(zAll, tAll, { validMask, normalization: 'sigmoid' });
    const s2 = softInfoNCE(zValid, tValid, { normalization: 'sigmoid' });
    expect(s1.dataSync()[0]).toBeCloseTo(s2.dataSync()[0], 4);
    tf.dispose([zAll, validMask, zValid, feats, tAll, tValid, a, b, s1, s2]);
  });
});

describe('argument errors', () => {
  it('explain what was expected', () => {
    const z = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => ntXent(z)).toThrow(/Error in ntXent: z must be a tensor \[2N, d\]/);
    const z4 = tf.zeros([4, 2]) as tf.Tensor2D;
    expect(() => ntXent(z4, { temperature: 0 })).toThrow(/opts.temperature must be a finite positive number/);
    expect(() => softInfoNCE(z4, pairTargets(3))).toThrow(/targets must be a matrix \[4, 4\]/);
    expect(() => softInfoNCE(z4, pairTargets(2), { normalization: 'soft' as never })).toThrow(/'row', 'weighted', 'sigmoid'/);
    expect(() => ntXent(z4, { validMask: [1, 0, 1] })).toThrow(/validMask must be a vector of length 4 \(2N\) or 2/);
    expect(() => softTargets([[1]], { similarity: 'gaussian' })).toThrow(/sigma must be a positive kernel width/);
    expect(() => classTargets([1.5])).toThrow(/labels\[0\] must be an integer/);
    expect(() => paddedValidMask([4], 3)).toThrow(/counts\[0\] must be an integer in \[0, 3\]/);
    tf.dispose([z, z4]);
  });

  it('softTargets checks plain feature arrays (empty, ragged, non-finite) and leaks nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => softTargets([])).toThrow(/Error in softTargets: features must be a tensor or a non-empty array \[N, F\]/);
    expect(() => softTargets([[1, 2], [3]])).toThrow(/features\[1\] must be a row of 2 numbers like features\[0\]/);
    expect(() => softTargets([[1, 2], [NaN, 3]])).toThrow(/features\[1\]\[0\] must be a finite number \(replace missing features/);
    expect(tf.memory().numTensors).toBe(before);
    const t = softTargets([Float32Array.from([1, 0]), Float32Array.from([0, 1])]);
    expect(t.shape).toEqual([4, 4]);
    t.dispose();
  });
});
