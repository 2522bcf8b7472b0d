import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecord } from '../../src/io/readRecord';
import { DOWER, ecgToVcg, ecgToVcgMatrix, INVERSE_DOWER, KORS, toTwelveLead, VCG_LEADS, vcgToEcg, vcgToEcgMatrix } from '../../src/signal';

const ludb = (n: number) => new URL(`../../examples/data/ludb/${n}`, import.meta.url).pathname;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function matmul(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

describe('coefficient tables', () => {
  it('have the published shapes and lead order', () => {
    expect(VCG_LEADS).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(KORS.map((r) => r.length)).toEqual([8, 8, 8]);
    expect(INVERSE_DOWER.map((r) => r.length)).toEqual([8, 8, 8]);
    expect(DOWER.length).toBe(8);
    expect(DOWER.every((r) => r.length === 3)).toBe(true);
  });
  it('spot-check against the published tables (Kors 1990; Edenbrandt & Pahlm 1988; Dower 1980)', () => {
    // Kors: X = 0.38 I − 0.07 II − 0.13 V1 + 0.05 V2 − 0.01 V3 + 0.14 V4 + 0.06 V5 + 0.54 V6, ...
    expect(KORS[0]).toEqual([0.38, -0.07, -0.13, 0.05, -0.01, 0.14, 0.06, 0.54]);
    expect(KORS[1]![1]).toBe(0.93);
    expect(KORS[2]![2]).toBe(-0.43);
    expect(KORS[2]![7]).toBe(0.31);
    expect(INVERSE_DOWER[0]![5]).toBe(0.231);
    expect(INVERSE_DOWER[1]![1]).toBe(0.887);
    expect(INVERSE_DOWER[2]![3]).toBe(-0.31);
    expect(DOWER[0]).toEqual([0.632, -0.235, 0.059]);
    expect(DOWER[3]![2]).toBe(-1.387);
    expect(DOWER[5]![0]).toBe(1.213);
    expect(DOWER[7]).toEqual([0.831, 0.076, 0.23]);
  });
  it('invDower · Dower ≈ I₃ (±0.002)', () => {
    const p = matmul(INVERSE_DOWER, DOWER);
    p.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - (i === j ? 1 : 0))).toBeLessThan(0.002)));
  });
  it('INVERSE_DOWER is the pseudo-inverse of DOWER rounded to 3 decimals', () => {
    // pinv(D) = (DᵀD)⁻¹ Dᵀ
    const Dt = DOWER[0]!.map((_, j) => DOWER.map((r) => r[j]!));
    const m = matmul(Dt, DOWER);
    const det = m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
    const inv = [0, 1, 2].map((i) => [0, 1, 2].map((j) => {
      const r = [0, 1, 2].filter((k) => k !== j);
      const c = [0, 1, 2].filter((k) => k !== i);
      const minor = m[r[0]!]![c[0]!]! * m[r[1]!]![c[1]!]! - m[r[0]!]![c[1]!]! * m[r[1]!]![c[0]!]!;
      return (((i + j) % 2 ? -1 : 1) * minor) / det;
    }));
    const pinv = matmul(inv, Dt);
    pinv.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - INVERSE_DOWER[i]![j]!)).toBeLessThanOrEqual(0.0005 + 1e-12)));
  });
});

describe('ecgToVcg / vcgToEcg on typed arrays', () => {
  it('vcgToEcg returns 12 leads that satisfy Einthoven and Goldberger', () => {
    const n = 50;
    const v = [0, 1, 2].map((a) => Float64Array.from({ length: n }, (_, t) => Math.sin(t / 5 + a) * (a + 1)));
    const e = vcgToEcg(v);
    expect(e.length).toBe(12);
    for (let t = 0; t < n; t++) {
      const [I, II, III, aVR, aVL, aVF] = e.map((s) => s[t]!);
      expect(III!).toBeCloseTo(II! - I!, 12);
      expect(aVR!).toBeCloseTo(-(I! + II!) / 2, 12);
      expect(aVL!).toBeCloseTo(I! - II! / 2, 12);
      expect(aVF!).toBeCloseTo(II! - I! / 2, 12);
      expect(aVR! + aVL! + aVF!).toBeCloseTo(0, 12);
      // V2 = 0.044 X + 0.164 Y − 1.387 Z
      expect(e[7]![t]!).toBeCloseTo(0.044 * v[0]![t]! + 0.164 * v[1]![t]! - 1.387 * v[2]![t]!, 12);
    }
    // Round trip through the inverse Dower is the identity within the tables' ±0.002.
    const back = ecgToVcg(e, { method: 'inverseDower' });
    for (let a = 0; a < 3; a++) for (let t = 0; t < n; t++) expect(Math.abs(back[a]![t]! - v[a]![t]!)).toBeLessThan(0.002 * 3 * 3);
  });
  it('12-lead, 8-lead and record inputs give the same VCG; Kors matches the formula', async () => {
    const rec = await readRecord(ludb(1));
    const r12 = toTwelveLead(rec);
    const a = ecgToVcg(r12.signals, { method: 'kors' });
    const b = ecgToVcg([0, 1, 6, 7, 8, 9, 10, 11].map((i) => r12.signals[i]!), { method: 'kors' });
    const c = ecgToVcg(rec, { method: 'kors' });
    expect(c.leads).toEqual(['X', 'Y', 'Z']);
    expect(a[0]).toBeInstanceOf(Float32Array);
    for (let k = 0; k < 3; k++) {
      expect(b[k]).toEqual(a[k]);
      expect(c.signals[k]).toEqual(a[k]);
    }
    const t = 1234;
    const s = r12.signals;
    const x = 0.38 * s[0]![t]! - 0.07 * s[1]![t]! - 0.13 * s[6]![t]! + 0.05 * s[7]![t]! - 0.01 * s[8]![t]! + 0.14 * s[9]![t]! + 0.06 * s[10]![t]! + 0.54 * s[11]![t]!;
    expect(a[0]![t]!).toBeCloseTo(x, 5);
  });
  it('validates input', () => {
    expect(() => ecgToVcg([new Float32Array(3)], {})).toThrow(/x must be an array of 12 or 8 lead arrays/);
    expect(() => ecgToVcg(Array.from({ length: 12 }, () => new Float32Array(3)), { method: 'frank' as never })).toThrow(/options.method must be one of 'kors', 'inverseDower'/);
    expect(() => ecgToVcg({ name: 'r', fs: 500, leads: ['I', 'II'], signals: [new Float32Array(2), new Float32Array(2)], units: ['mV', 'mV'], comments: [] })).toThrow(/lead "V1"/);
    expect(() => vcgToEcg([new Float32Array(3), new Float32Array(4), new Float32Array(3)])).toThrow(/v\[1\] must be 3 samples like v\[0\]/);
  });
});

describe('ecgToVcg / vcgToEcg on tensors', () => {
  it('agree with the typed-array form, [batch, time, 12] ↔ [batch, time, 3], without leaking tensors', async () => {
    const r12 = toTwelveLead(await readRecord(ludb(3)));
    const T = 1000;
    const leads = r12.signals.map((s) => s.slice(0, T));
    const interleaved = new Float32Array(2 * T * 12);
    for (let b = 0; b < 2; b++) for (let t = 0; t < T; t++) for (let l = 0; l < 12; l++) interleaved[(b * T + t) * 12 + l] = leads[l]![t]! * (b + 1);
    const x = tf.tensor3d(interleaved, [2, T, 12]);
    const before = tf.memory().numTensors;
    for (const method of ['kors', 'inverseDower'] as const) {
      const v = ecgToVcg(x, { method });
      expect(v.shape).toEqual([2, T, 3]);
      const vd = await v.data();
      const ref = ecgToVcg(leads, { method });
      let err = 0;
      for (let b = 0; b < 2; b++) for (let t = 0; t < T; t++) for (let a = 0; a < 3; a++) err = Math.max(err, Math.abs(vd[(b * T + t) * 3 + a]! - ref[a]![t]! * (b + 1)));
      expect(err).toBeLessThan(1e-5);
      const e = vcgToEcg(v);
      expect(e.shape).toEqual([2, T, 12]);
      const ed = await e.data();
      const eref = vcgToEcg(ref);
      let err2 = 0;
      for (let t = 0; t < T; t++) for (let l = 0; l < 12; l++) err2 = Math.max(err2, Math.abs(ed[t * 12 + l]! - eref[l]![t]!));
      expect(err2).toBeLessThan(1e-5);
      v.dispose();
      e.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    // rank-2 [time, 12] and 8-lead [time, 8] (I, II, V1–V6) work too
    const v2 = ecgToVcg(tf.zeros([5, 12]));
    expect(v2.shape).toEqual([5, 3]);
    const eight = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8]]);
    const v8 = ecgToVcg(eight, { method: 'kors' });
    const want = ecgToVcg([1, 2, 3, 4, 5, 6, 7, 8].map((v) => Float64Array.of(v)), { method: 'kors' }).map((a) => a[0]!);
    const got = await v8.data();
    want.forEach((w, a) => expect(got[a]!).toBeCloseTo(w, 5));
    tf.dispose([v2, eight, v8]);
    // a wrong last dimension is rejected without leaking
    const bad = tf.zeros([2, 5, 7]);
    const n0 = tf.memory().numTensors;
    expect(() => ecgToVcg(bad)).toThrow(/x must be a tensor \[\.\.\., time, 12\] \(or \[\.\.\., time, 8\]\), but got tensor of shape \[2, 5, 7\]/);
    expect(() => vcgToEcg(bad)).toThrow(/last dimension is 3/);
    expect(tf.memory().numTensors).toBe(n0);
    bad.dispose();
    x.dispose();
  });
});

describe('ecgToVcgMatrix / vcgToEcgMatrix', () => {
  it('lay out the coefficient tables and reject unknown methods and lead counts', () => {
    const m8 = ecgToVcgMatrix('kors', 8);
    expect(m8.length).toBe(24);
    expect(m8[1 * 3 + 1]).toBe(KORS[1]![1]); // lead II → Y
    const m12 = ecgToVcgMatrix('inverseDower', 12);
    expect(m12[2 * 3 + 0]).toBe(0); // III gets no weight
    expect(vcgToEcgMatrix().length).toBe(36);
    expect(() => ecgToVcgMatrix('frank' as never, 12)).toThrow(/Error in ecgToVcgMatrix: method must be one of 'kors', 'inverseDower', but got "frank"\./);
    expect(() => ecgToVcgMatrix('kors', 6 as never)).toThrow(/nLeads must be one of 8, 12, but got 6\./);
  });
});
