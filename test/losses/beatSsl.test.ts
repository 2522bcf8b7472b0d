import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { useTestBackend } from '../_backend';
import { createBeatSslObjective, calibrateExponent, softTargets, BEAT_SSL_PRESETS, resolveBeatSslObjective } from 'beat-ssl/losses';
import { createRng } from 'beat-ssl/core/rng';

interface LevelRef {
  loss: number;
  targetEntropy: number;
  kl: number;
  top1: number;
  positiveShare: number;
}
interface Case {
  n: number;
  k: number;
  temperature: number;
  lambdaBeat: number;
  positiveShare: number;
  features: number[];
  featureDim: number;
  zRhythm: number[][];
  zBeat: number[][];
  exponent: number;
  targets: number[][];
  rhythm: LevelRef;
  beat: LevelRef;
  total: number;
}
// Independent reference: scripts/objective-reference.py (NumPy/SciPy float64, Brent's method for γ).
const ref = JSON.parse(readFileSync(new URL('../fixtures/losses/objective-reference.json', import.meta.url), 'utf8')) as { cases: Case[] };

beforeAll(async () => {
  await useTestBackend();
});

const rowsOf = (c: Case) => Array.from({ length: c.n }, (_, i) => c.features.slice(i * c.featureDim, (i + 1) * c.featureDim));

describe('createBeatSslObjective (against an independent NumPy/SciPy reference)', () => {
  it('calibrates γ, builds the targets and returns the loss, its parts and the learning signal', () => {
    for (const c of ref.cases) {
      const objective = createBeatSslObjective({ temperature: c.temperature, lambdaBeat: c.lambdaBeat, rhythmTargets: 'soft', exponent: 'calibrated', positiveShare: c.positiveShare, beatTargets: 'hard' });
      const before = tf.memory().numTensors;
      const targets = objective.targets({ rhythm: { n: c.n, features: c.features }, beat: { n: c.k } });
      expect(targets.rhythm.exponent!).toBeCloseTo(c.exponent, 4);
      const t = targets.rhythm.matrix!.arraySync();
      t.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(c.targets[i][j], 4)));
      const zr = tf.tensor2d(c.zRhythm);
      const zb = tf.tensor2d(c.zBeat);
      const l = objective.loss({ rhythm: zr, beat: zb }, targets);
      expect(l.total.dataSync()[0]).toBeCloseTo(c.total, 4);
      expect(l.rhythm.dataSync()[0]).toBeCloseTo(c.rhythm.loss, 4);
      expect(l.beat!.dataSync()[0]).toBeCloseTo(c.beat.loss, 4);
      const d = objective.diagnostics({ rhythm: zr, beat: zb }, targets);
      for (const [level, r] of [[d.rhythm, c.rhythm], [d.beat!, c.beat]] as const) {
        expect(level.loss).toBeCloseTo(r.loss, 4);
        expect(level.targetEntropy).toBeCloseTo(r.targetEntropy, 5);
        expect(level.kl).toBeCloseTo(r.kl, 4);
        expect(level.top1).toBeCloseTo(r.top1, 10);
        expect(level.positiveShare).toBeCloseTo(r.positiveShare, 4);
      }
      expect(d.rhythm.positiveShare).toBeCloseTo(c.positiveShare, 4);
      tf.dispose([zr, zb, l.total, l.rhythm, l.beat!]);
      targets.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('calibrateExponent and softTargets(exponent: "calibrated") agree with the objective', () => {
    const c = ref.cases[0];
    expect(calibrateExponent(rowsOf(c), { positiveShare: c.positiveShare }).exponent).toBeCloseTo(c.exponent, 4);
    const t = softTargets(rowsOf(c), { exponent: 'calibrated', positiveShare: c.positiveShare });
    t.arraySync().forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(c.targets[i][j], 4)));
    t.dispose();
  });

  it('γ = 1 on (1 + cos)/2 is near uniform at N = 32, γ = 50 near hard; calibration hits its share', () => {
    const rng = createRng(5);
    const phi = Array.from({ length: 32 }, () => Array.from({ length: 20 }, () => rng.normal()));
    const shareAt = (exponent: number) => {
      const obj = createBeatSslObjective({ exponent, beatTargets: 'none' });
      const t = obj.targets({ rhythm: { n: 32, features: phi.flat() } });
      const z = tf.tensor2d(Array.from({ length: 64 * 8 }, () => rng.normal()), [64, 8]);
      const d = obj.diagnostics({ rhythm: z }, t);
      tf.dispose(z);
      t.dispose();
      return d.rhythm;
    };
    const g1 = shareAt(1);
    expect(g1.positiveShare).toBeLessThan(0.05); // ≈ 3 %: the loss sits at its targets' entropy
    expect(g1.targetEntropy).toBeGreaterThan(0.95 * Math.log(63));
    expect(shareAt(50).positiveShare).toBeGreaterThan(0.95);
    for (const share of [0.2, 0.5, 0.9]) {
      expect(calibrateExponent(phi, { positiveShare: share }).positiveShare).toBeCloseTo(share, 3);
    }
  });

  it('hard / class / none levels, presets, and gradients flow to both levels', () => {
    expect(resolveBeatSslObjective('paperExp50').rhythm.soft.exponent).toBe(50);
    expect(resolveBeatSslObjective('simclr3kg').beat.targets).toBe('none');
    expect(createBeatSslObjective(BEAT_SSL_PRESETS.simclr3kg).usesBeats).toBe(false);
    const obj = createBeatSslObjective({ rhythmTargets: 'patient', beatTargets: 'hardClass', lambdaBeat: 2 });
    expect(obj.needs).toEqual({ rhythm: 'labels', beat: 'labels' });
    const t = obj.targets({ rhythm: { n: 3, labels: [0, 0, -1] }, beat: { n: 4, labels: [1, 1, 2, -1] } });
    const zr = tf.randomNormal([6, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const zb = tf.randomNormal([8, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => obj.loss({ rhythm: a as tf.Tensor2D, beat: b as tf.Tensor2D }, t).total)([zr, zb]);
    expect(g.every((x) => tf.sum(tf.abs(x)).dataSync()[0] > 0)).toBe(true);
    tf.dispose([zr, zb, ...g]);
    t.dispose();
  });

  it('errors name the option, list valid keys, and say what a level needs', () => {
    expect(() => createBeatSslObjective({ exponent: -2 })).toThrow("Error in createBeatSslObjective: options.exponent must be a number in [0, 10000] or 'calibrated', but got -2.");
    expect(() => createBeatSslObjective({ positiveShare: 1 })).toThrow('options.positiveShare must be a number in (0, 1), but got 1.');
    expect(() => createBeatSslObjective({ beatExponent: 'sharp' as never })).toThrow("options.beatExponent must be a number in [0, 10000] or 'calibrated'");
    expect(() => createBeatSslObjective({ gamma: 5 } as never)).toThrow("options must have only the keys 'temperature', 'lambdaBeat'");
    expect(() => createBeatSslObjective('paper' as never)).toThrow("options must be one of 'default', 'paperExp1', 'paperExp50', 'simclr3kg', 'hardHard'");
    expect(() => createBeatSslObjective({ similarity: 'gaussian' })).toThrow("options.sigma must be a positive kernel width (feature units) when similarity is 'gaussian'");
    const obj = createBeatSslObjective();
    expect(() => obj.targets({ rhythm: { n: 4 } })).toThrow("Error in BeatSslObjective.targets: batch.rhythm.features must be [4 × D] finite numbers for 'soft' targets");
    expect(() => obj.targets({ rhythm: { n: 2, features: [1, NaN] } })).toThrow('batch.rhythm.features[1] must be a finite number');
  });
});
