import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  gaussianNoise,
  emgNoise,
  powerlineNoise,
  baselineWander,
  baselineShift,
  amplitudeScale,
  timeShift,
  randomCrop,
  leadDropout,
  timeMask,
  compose,
  type Augmentation,
} from 'beat-ssl/augment';
import { createRng } from 'beat-ssl/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const FS = 250;
function batch(B: number, T: number, L: number, seed = 1): tf.Tensor3D {
  const rng = createRng(seed);
  return tf.tensor3d(Float32Array.from({ length: B * T * L }, () => rng.normal()), [B, T, L]);
}
const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

const all: Array<[string, Augmentation]> = [
  ['gaussianNoise', gaussianNoise({ stdMv: 0.1 })],
  ['emgNoise', emgNoise({ fs: FS })],
  ['powerlineNoise', powerlineNoise({ fs: FS, freqHz: 60 })],
  ['baselineWander', baselineWander({ fs: FS })],
  ['baselineShift', baselineShift()],
  ['amplitudeScale', amplitudeScale({ perLead: true })],
  ['timeShift', timeShift({ fs: FS })],
  ['timeShift wrap', timeShift({ fs: FS, mode: 'wrap' })],
  ['leadDropout', leadDropout({ leadProb: 0.5 })],
  ['timeMask', timeMask({ fs: FS, perLead: true, count: 2 })],
];

describe('composable augmentations', () => {
  for (const [name, aug] of all) {
    it(`${name}: shape kept, seeded, changes the input, no leaks`, () => {
      const x = batch(3, 500, 12);
      const before = tf.memory().numTensors;
      const a = aug(x, createRng(7));
      const b = aug(x, createRng(7));
      const c = aug(x, createRng(8));
      expect(a.shape).toEqual(x.shape);
      expect(arr(a)).toEqual(arr(b));
      expect(arr(a)).not.toEqual(arr(c));
      expect(arr(a)).not.toEqual(arr(x));
      expect(tf.memory().numTensors).toBe(before + 3);
      tf.dispose([a, b, c, x]);
    });
  }

  it('prob = 0 is the identity and prob gates per sample', () => {
    const x = batch(8, 100, 3);
    for (const aug of [
      gaussianNoise({ prob: 0 }),
      emgNoise({ fs: FS, prob: 0 }),
      powerlineNoise({ fs: FS, prob: 0 }),
      baselineWander({ fs: FS, prob: 0 }),
      baselineShift({ prob: 0 }),
      amplitudeScale({ prob: 0 }),
      timeShift({ fs: FS, prob: 0 }),
      leadDropout({ prob: 0, leadProb: 1 }),
      timeMask({ fs: FS, prob: 0 }),
    ]) {
      const y = aug(x, createRng(1));
      expect(arr(y)).toEqual(arr(x));
      y.dispose();
    }
    const y = baselineShift({ prob: 0.5 })(x, createRng(3));
    const diff = tf.tidy(() => arr(tf.max(tf.abs(tf.sub(y, x)), [1, 2])));
    const changed = diff.filter((d) => d > 0).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(8);
    tf.dispose([x, y]);
  });

  it('gaussianNoise has the requested standard deviation (mV)', () => {
    const x = tf.zeros([2, 2000, 4]) as tf.Tensor3D;
    const y = gaussianNoise({ stdMv: 0.2 })(x, createRng(2));
    const v = arr(y);
    const sd = Math.sqrt(v.reduce((s, e) => s + e * e, 0) / v.length);
    expect(sd).toBeGreaterThan(0.19);
    expect(sd).toBeLessThan(0.21);
    tf.dispose([x, y]);
  });

  it('emgNoise has the requested RMS and is high-frequency', () => {
    const x = tf.zeros([1, 4000, 1]) as tf.Tensor3D;
    const y = emgNoise({ fs: 500, stdMv: 0.05, cutoffHz: 20 })(x, createRng(2));
    const v = arr(y);
    const rms = Math.sqrt(v.reduce((s, e) => s + e * e, 0) / v.length);
    expect(rms).toBeCloseTo(0.05, 4);
    // lag-1 correlation of high-passed white noise is negative-ish/small, and its mean ≈ 0
    expect(Math.abs(v.reduce((s, e) => s + e, 0) / v.length)).toBeLessThan(0.005);
    tf.dispose([x, y]);
  });

  it('powerlineNoise is a sinusoid at freqHz with amplitude ≤ amplitudeMv', () => {
    const fs = 500;
    const T = 1000;
    const x = tf.zeros([2, T, 3]) as tf.Tensor3D;
    const y = powerlineNoise({ fs, freqHz: 50, amplitudeMv: 0.1 })(x, createRng(4));
    const v = arr(y);
    for (let b = 0; b < 2; b++) {
      for (let l = 0; l < 3; l++) {
        const s = Array.from({ length: T }, (_, t) => v[(b * T + t) * 3 + l]);
        expect(Math.max(...s.map(Math.abs))).toBeLessThanOrEqual(0.1 + 1e-6);
        // period of 10 samples at 50 Hz / 500 Hz
        for (let t = 0; t + 10 < T; t += 37) expect(s[t + 10]).toBeCloseTo(s[t], 4);
      }
    }
    tf.dispose([x, y]);
  });

  it('baselineWander is slow and bounded; baselineShift is constant per lead', () => {
    const x = tf.zeros([2, 1000, 2]) as tf.Tensor3D;
    const w = arr(baselineWander({ fs: 500, amplitudeMv: 0.1, components: 3 })(x, createRng(5)));
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.3 + 1e-6);
    // at ≤ 0.5 Hz, consecutive samples at 500 Hz differ by at most 3·0.1·2π·0.5/500
    for (let i = 2; i < w.length; i += 2) if (i % 2000 !== 0 && i % 2000 !== 1) expect(Math.abs(w[i] - w[i - 2])).toBeLessThan(0.002);
    const s = baselineShift({ maxShiftMv: 0.3 })(x, createRng(6));
    const sv = arr(s);
    for (let b = 0; b < 2; b++) for (let l = 0; l < 2; l++) for (let t = 1; t < 1000; t++) expect(sv[(b * 1000 + t) * 2 + l]).toBe(sv[b * 2000 + l]);
    tf.dispose([x, s]);
  });

  it('amplitudeScale stays within its range', () => {
    const x = tf.ones([4, 10, 3]) as tf.Tensor3D;
    const y = arr(amplitudeScale({ range: [0.5, 0.6] })(x, createRng(1)));
    expect(y.every((v) => v >= 0.5 && v < 0.6)).toBe(true);
    x.dispose();
  });

  it('timeShift wraps (a roll) or zero-fills; randomCrop crops', () => {
    const T = 50;
    const x = tf.tensor3d(Float32Array.from({ length: 2 * T }, (_, i) => (i % T) + 1), [2, T, 1]);
    const wrap = arr(timeShift({ fs: 10, maxShiftSec: 2, mode: 'wrap' })(x, createRng(3)));
    const zero = arr(timeShift({ fs: 10, maxShiftSec: 2 })(x, createRng(3)));
    for (let b = 0; b < 2; b++) {
      const w = wrap.slice(b * T, (b + 1) * T);
      const shift = ((1 - w[0]) % T + T) % T; // w[0] = x[−shift]
      for (let t = 0; t < T; t++) expect(w[t]).toBe((((t - shift) % T) + T) % T + 1);
      expect(Math.abs(shift > T / 2 ? shift - T : shift)).toBeLessThanOrEqual(20);
      const z = zero.slice(b * T, (b + 1) * T);
      for (let t = 0; t < T; t++) expect(z[t] === 0 || z[t] === w[t]).toBe(true);
    }
    const crop = randomCrop({ fs: 10, lengthSec: 2 })(x, createRng(4));
    expect(crop.shape).toEqual([2, 20, 1]);
    const c = arr(crop);
    for (let b = 0; b < 2; b++) for (let t = 1; t < 20; t++) expect(c[b * 20 + t]).toBe(c[b * 20 + t - 1] + 1);
    const centred = arr(randomCrop({ fs: 10, lengthSec: 2, prob: 0 })(x, createRng(4)));
    expect(centred[0]).toBe(16);
    expect(() => randomCrop({ fs: 10, lengthSec: 10 })(x, createRng(1))).toThrow(/at least 100 samples/);
    x.dispose();
  });

  it('leadDropout zeroes whole leads and keeps at least one', () => {
    const x = tf.ones([16, 20, 4]) as tf.Tensor3D;
    const y = arr(leadDropout({ leadProb: 1 })(x, createRng(1)));
    for (let b = 0; b < 16; b++) {
      const kept = [0, 1, 2, 3].filter((l) => y[b * 80 + l] === 1);
      expect(kept.length).toBe(1);
      for (let t = 0; t < 20; t++) for (let l = 0; l < 4; l++) expect(y[(b * 20 + t) * 4 + l]).toBe(kept.includes(l) ? 1 : 0);
    }
    x.dispose();
  });

  it('timeMask zeroes at most maxDurationSec per block, same block on all leads by default', () => {
    const x = tf.ones([4, 100, 3]) as tf.Tensor3D;
    const y = arr(timeMask({ fs: 10, maxDurationSec: 3 })(x, createRng(2)));
    for (let b = 0; b < 4; b++) {
      const zeros = Array.from({ length: 100 }, (_, t) => y[(b * 100 + t) * 3] === 0);
      expect(zeros.filter(Boolean).length).toBeLessThanOrEqual(30);
      for (let t = 0; t < 100; t++) for (let l = 1; l < 3; l++) expect(y[(b * 100 + t) * 3 + l] === 0).toBe(zeros[t]);
    }
    x.dispose();
  });

  it('compose chains in order with one stream and disposes intermediates', () => {
    const x = batch(2, 300, 12);
    const before = tf.memory().numTensors;
    const aug = compose([baselineWander({ fs: FS }), powerlineNoise({ fs: FS, prob: 0.5 }), gaussianNoise({ stdMv: 0.02 })]);
    const y = aug(x, createRng(1));
    expect(tf.memory().numTensors).toBe(before + 1);
    const rng = createRng(1);
    const s1 = baselineWander({ fs: FS })(x, rng);
    const s2 = powerlineNoise({ fs: FS, prob: 0.5 })(s1, rng);
    const s3 = gaussianNoise({ stdMv: 0.02 })(s2, rng);
    expect(arr(y)).toEqual(arr(s3));
    const id = compose([])(x, rng);
    expect(id).not.toBe(x);
    tf.dispose([x, y, s1, s2, s3, id]);
  });

  it('checks units and arguments', () => {
    expect(() => emgNoise({} as never)).toThrow(/Error in emgNoise: opts.fs must be a finite positive number \(Hz\)/);
    expect(() => powerlineNoise({ fs: 100, freqHz: 60 })).toThrow(/opts.fs must be above twice the mains frequency/);
    expect(() => powerlineNoise({ fs: 500, freqHz: 55 as never })).toThrow(/opts.freqHz must be one of 50, 60/);
    expect(() => baselineWander({ fs: 500, freqRangeHz: [1, 0.5] })).toThrow(/freqRangeHz must be a pair/);
    expect(() => gaussianNoise({ stdMv: -1 })).toThrow(/stdMv must be a finite number ≥ 0 \(mV\)/);
    expect(() => amplitudeScale({ prob: 2 })).toThrow(/opts.prob must be a probability in \[0, 1\]/);
    expect(() => timeShift({ fs: 500, mode: 'reflect' as never })).toThrow(/'zero', 'wrap'/);
    const bad = tf.zeros([10, 12]);
    expect(() => gaussianNoise()(bad as never, createRng(1))).toThrow(/x must be a non-empty tensor \[batch, time, leads\]/);
    bad.dispose();
    expect(() => compose([1 as never])).toThrow(/augmentations must be an array of augmentation functions/);
  });
});
