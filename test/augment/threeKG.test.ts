import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { threeKG, threeKGRecord, threeKGMatrix, threeKGAugment, twoViews, compose, gaussianNoise } from 'beat-ssl/augment';
import { createRng } from 'beat-ssl/core/rng';
import { DOWER, INVERSE_DOWER, KORS } from 'beat-ssl/signal/vcgCoefficients';
import { ecgToVcg, vcgToEcg } from 'beat-ssl/signal/vcg';

const ref = JSON.parse(readFileSync(new URL('../fixtures/augment/threeKGMatrix.json', import.meta.url), 'utf8')) as {
  cases: Array<{ transform: 'inverseDower' | 'kors'; anglesDeg: number[]; scales: number[]; rowForm: number[] }>;
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A synthetic 12-lead record (consistent limb leads), canonical order, `[T][12]` in float64. */
function syntheticLeads(T: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  const indep = Array.from({ length: 8 }, () => {
    const f = rng.uniform(0.5, 3);
    const ph = rng.uniform(0, 6);
    const a = rng.uniform(0.2, 1.5);
    return Float32Array.from({ length: T }, (_, t) => a * Math.sin((2 * Math.PI * f * t) / 500 + ph) + 0.05 * rng.normal());
  });
  const [I, II] = indep;
  const III = I.map((v, t) => II[t] - v);
  const aVR = I.map((v, t) => -(v + II[t]) / 2);
  const aVL = I.map((v, t) => v - II[t] / 2);
  const aVF = I.map((v, t) => II[t] - v / 2);
  return [I, II, III, aVR, aVL, aVF, ...indep.slice(2)];
}

function toBatch(records: Float32Array[][]): tf.Tensor3D {
  const B = records.length;
  const T = records[0][0].length;
  const data = new Float32Array(B * T * 12);
  records.forEach((rec, b) => rec.forEach((lead, l) => lead.forEach((v, t) => (data[(b * T + t) * 12 + l] = v))));
  return tf.tensor3d(data, [B, T, 12]);
}

function leadsOf(y: tf.Tensor3D, b: number): Float32Array[] {
  const [, T] = y.shape;
  const d = y.dataSync();
  return Array.from({ length: 12 }, (_, l) => Float32Array.from({ length: T }, (_, t) => d[(b * T + t) * 12 + l]));
}

describe('threeKGMatrix', () => {
  it('matches the numpy/scipy reference (test/fixtures/augment/threeKG-reference.py)', () => {
    for (const c of ref.cases) {
      const M = threeKGMatrix({ anglesDeg: c.anglesDeg, scales: c.scales, transform: c.transform });
      for (let k = 0; k < 144; k++) expect(Math.abs(M[k] - c.rowForm[k])).toBeLessThan(1e-12);
    }
  });

  it('the VCG tables satisfy invDower·Dower ≈ I₃ (±0.002) and use the shared coefficients', () => {
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let k = 0; k < 8; k++) acc += INVERSE_DOWER[r][k] * DOWER[k][c];
        expect(Math.abs(acc - (r === c ? 1 : 0))).toBeLessThan(0.002);
      }
    }
    // the identity-parameter matrix of Kors uses the KORS table: weight of V6 (input 11) on output V6
    const M = threeKGMatrix({ transform: 'kors' });
    const expected = DOWER[7][0] * KORS[0][7] + DOWER[7][1] * KORS[1][7] + DOWER[7][2] * KORS[2][7];
    expect(M[11 * 12 + 11]).toBeCloseTo(expected, 12);
  });
});

describe('threeKG', () => {
  it('with angle 0, scale [1, 1] and no mask equals the Dower·invDower projection', () => {
    for (const transform of ['inverseDower', 'kors'] as const) {
      const T = 300;
      const rec = syntheticLeads(T, 1);
      const x = toBatch([rec]);
      const y = threeKG(x, { seed: 5, angleDeg: 0, scale: [1, 1], maskRatio: 0, transform });
      const got = leadsOf(y, 0);
      // independent float64 path: ecg8 → vcg (A) → ecg8 (DOWER) → derive 12 leads
      const A = transform === 'kors' ? KORS : INVERSE_DOWER;
      const idx = [0, 1, 6, 7, 8, 9, 10, 11];
      for (let t = 0; t < T; t++) {
        const e8 = idx.map((l) => rec[l][t]);
        const v = A.map((row) => row.reduce((s, a, k) => s + a * e8[k], 0));
        const back = DOWER.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]);
        const [I, II] = back;
        const full = [I, II, II - I, -(I + II) / 2, I - II / 2, II - I / 2, ...back.slice(2)];
        for (let l = 0; l < 12; l++) expect(Math.abs(got[l][t] - full[l])).toBeLessThan(1e-5);
      }
      tf.dispose([x, y]);
    }
  });

  it('with identity parameters equals vcgToEcg(ecgToVcg(x)) of beat-ssl/signal', () => {
    const rec = syntheticLeads(200, 20);
    for (const method of ['inverseDower', 'kors'] as const) {
      const expected = vcgToEcg(ecgToVcg(rec, { method }));
      const got = threeKGRecord(rec, { seed: 1, angleDeg: 0, scale: [1, 1], maskRatio: 0, transform: method });
      for (let l = 0; l < 12; l++) for (let t = 0; t < 200; t++) expect(Math.abs(got[l][t] - expected[l][t])).toBeLessThan(1e-5);
    }
  });

  it('outputs satisfy the Einthoven/Goldberger relations', () => {
    const x = toBatch([syntheticLeads(400, 2), syntheticLeads(400, 3), syntheticLeads(400, 4)]);
    const y = threeKG(x, { seed: 11, maskRatio: 0 });
    for (let b = 0; b < 3; b++) {
      const [I, II, III, aVR, aVL, aVF] = leadsOf(y, b);
      for (let t = 0; t < 400; t++) {
        expect(III[t]).toBeCloseTo(II[t] - I[t], 4);
        expect(aVR[t]).toBeCloseTo(-(I[t] + II[t]) / 2, 4);
        expect(aVL[t]).toBeCloseTo(I[t] - II[t] / 2, 4);
        expect(aVF[t]).toBeCloseTo(II[t] - I[t] / 2, 4);
      }
    }
    tf.dispose([x, y]);
  });

  it('masks one contiguous, wrapping block of round(maskRatio·T) samples per lead', () => {
    const T = 250;
    const x = tf.tidy(() => tf.add(tf.ones([2, T, 12]), tf.mul(toBatch([syntheticLeads(T, 6), syntheticLeads(T, 7)]), 0.01)) as tf.Tensor3D);
    for (const ratio of [0.5, 0.3, 1]) {
      const y = threeKG(x, { seed: 3, maskRatio: ratio, angleDeg: 0, scale: [1, 1] });
      const expectedLen = Math.round(ratio * T);
      for (let b = 0; b < 2; b++) {
        leadsOf(y, b).forEach((lead) => {
          const zero = Array.from(lead, (v) => v === 0);
          expect(zero.filter(Boolean).length).toBe(expectedLen);
          // contiguous on the circle: at most one 0→1 transition going around
          let transitions = 0;
          for (let t = 0; t < T; t++) if (zero[t] && !zero[(t + 1) % T]) transitions++;
          expect(transitions).toBeLessThanOrEqual(1);
        });
      }
      y.dispose();
    }
    x.dispose();
  });

  it('typed-array and tensor forms agree (same seed, same stream)', () => {
    const T = 500;
    const recs = [syntheticLeads(T, 8), syntheticLeads(T, 9), syntheticLeads(T, 10)];
    const x = toBatch(recs);
    for (const transform of ['inverseDower', 'kors'] as const) {
      const y = threeKG(x, { seed: 99, transform });
      const rng = createRng(99);
      recs.forEach((rec, b) => {
        const typed = threeKGRecord(rec, { rng, transform });
        const fromTensor = leadsOf(y, b);
        for (let l = 0; l < 12; l++) for (let t = 0; t < T; t++) expect(Math.abs(typed[l][t] - fromTensor[l][t])).toBeLessThan(1e-5);
      });
      y.dispose();
    }
    x.dispose();
  });

  it('standardize: z-scores each lead over its unmasked samples after the lead transform (3KG in mV first)', () => {
    const T = 400;
    const recs = [syntheticLeads(T, 21), syntheticLeads(T, 22)];
    const x = toBatch(recs);
    const y = threeKG(x, { seed: 7, standardize: true });
    const plain = threeKG(x, { seed: 7 });
    const maskLen = Math.round(0.5 * T);
    for (let b = 0; b < 2; b++) {
      const z = leadsOf(y, b);
      const p = leadsOf(plain, b);
      for (let l = 0; l < 12; l++) {
        // the mask is the same as without standardisation: zeros exactly where the plain view is masked
        const visible = Array.from(p[l]).map((v, t) => (v !== 0 ? t : -1)).filter((t) => t >= 0);
        expect(visible.length).toBeGreaterThanOrEqual(T - maskLen - 1);
        const vals = visible.map((t) => z[l][t]);
        const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
        const sd = Math.sqrt(vals.reduce((a, v) => a + (v - mean) ** 2, 0) / vals.length);
        expect(Math.abs(mean)).toBeLessThan(1e-4);
        expect(sd).toBeCloseTo(1, 3);
        for (let t = 0; t < T; t++) if (p[l][t] === 0 && !visible.includes(t)) expect(Math.abs(z[l][t])).toBe(0);
      }
      // typed-array form agrees
    }
    const rng = createRng(7);
    recs.forEach((rec, b) => {
      const typed = threeKGRecord(rec, { rng, standardize: true });
      const fromTensor = leadsOf(y, b);
      for (let l = 0; l < 12; l++) for (let t = 0; t < T; t++) expect(Math.abs(typed[l][t] - fromTensor[l][t])).toBeLessThan(2e-4);
    });
    // standardising before 3KG is not the same thing (the VCG matrices are defined in mV)
    const zFirst = threeKG(tf.div(x, tf.sqrt(tf.moments(x, 1, true).variance)) as tf.Tensor3D, { seed: 7, standardize: true });
    expect(tf.max(tf.abs(tf.sub(zFirst, y))).dataSync()[0]).toBeGreaterThan(0.05);
    tf.dispose([x, y, plain, zFirst]);
    expect(() => threeKG(x, { seed: 1, standardise: true } as never)).toThrow("Error in threeKG: opts must have only the keys 'transform'");
  });

  it('is deterministic: same seed, same view; different seed, different view', () => {
    const x = toBatch([syntheticLeads(200, 12), syntheticLeads(200, 13)]);
    const a = threeKG(x, { seed: 1 });
    const b = threeKG(x, { seed: 1 });
    const c = threeKG(x, { seed: 2 });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]).toBeGreaterThan(0.01);
    const rec = syntheticLeads(200, 14);
    expect(threeKGRecord(rec, { seed: 4 })).toEqual(threeKGRecord(rec, { seed: 4 }));
    expect(threeKGRecord(rec, { seed: 4 })).not.toEqual(threeKGRecord(rec, { seed: 5 }));
    tf.dispose([x, a, b, c]);
  });

  it('leaves no tensors behind', () => {
    const x = toBatch([syntheticLeads(100, 15)]);
    const before = tf.memory().numTensors;
    const y = threeKG(x, { seed: 1 });
    expect(tf.memory().numTensors).toBe(before + 1);
    y.dispose();
    const v = twoViews(x, { seed: 2 });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([v.view1, v.view2, x]);
  });

  it('rejects bad input with a clear message', () => {
    const x8 = tf.zeros([1, 10, 8]) as tf.Tensor3D;
    expect(() => threeKG(x8, { seed: 1 })).toThrow(/Error in threeKG: x must be a tensor \[batch, time, 12\]/);
    const x = tf.zeros([1, 10, 12]) as tf.Tensor3D;
    expect(() => threeKG(x, {})).toThrow(/opts.seed must be a seed/);
    expect(() => threeKG(x, { seed: 1, transform: 'frank' as never })).toThrow(/'inverseDower', 'kors'/);
    expect(() => threeKG(x, { seed: 1, scale: [1.5, 1] })).toThrow(/opts.scale must be a pair/);
    expect(() => threeKG(x, { seed: 1, maskRatio: 2 })).toThrow(/opts.maskRatio must be a number in \[0, 1\]/);
    expect(() => threeKGRecord([new Float32Array(3)], { seed: 1 })).toThrow(/signals must be an array of 12 leads/);
    tf.dispose([x8, x]);
  });
});

describe('twoViews', () => {
  it('gives two different, reproducible views', () => {
    const x = toBatch([syntheticLeads(200, 16), syntheticLeads(200, 17)]);
    const a = twoViews(x, { seed: 3 });
    const b = twoViews(x, { seed: 3 });
    expect(Array.from(a.view1.dataSync())).toEqual(Array.from(b.view1.dataSync()));
    expect(Array.from(a.view2.dataSync())).toEqual(Array.from(b.view2.dataSync()));
    expect(tf.max(tf.abs(tf.sub(a.view1, a.view2))).dataSync()[0]).toBeGreaterThan(0.01);
    // view 1 is threeKG with the seed's stream, view 2 continues it
    const rng = createRng(3);
    const v1 = threeKG(x, { rng });
    const v2 = threeKG(x, { rng });
    expect(Array.from(v1.dataSync())).toEqual(Array.from(a.view1.dataSync()));
    expect(Array.from(v2.dataSync())).toEqual(Array.from(a.view2.dataSync()));
    tf.dispose([x, a.view1, a.view2, b.view1, b.view2, v1, v2]);
  });

  it('accepts a custom augmentation', () => {
    const x = toBatch([syntheticLeads(200, 18)]);
    const before = tf.memory().numTensors;
    const { view1, view2 } = twoViews(x, { seed: 1, augment: compose([threeKGAugment({ angleDeg: 10 }), gaussianNoise({ stdMv: 0.1 })]) });
    expect(view1.shape).toEqual([1, 200, 12]);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([x, view1, view2]);
  });
});
