import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mkdtempSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BeatSslModel, ENCODER_PRESETS } from '../../src/models/index';
import { pretrainBeatSsl, learningRateAt, readLatestCheckpoint, configDifferences } from '../../src/train/index';
import { syntheticRecords } from './_synthetic';
import { useTestBackend } from '../_backend';

const tiny = () => BeatSslModel.create({ encoder: { ...ENCODER_PRESETS.tiny, leads: 12 }, projectionDim: 8, seed: 1, beatStage: 1 });
/** An even smaller encoder for the long loops (memory, resume). */
const micro = () => BeatSslModel.create({ encoder: { stemWidth: 4, stemKernel: 3, widths: [4, 8], depths: [1, 1], kernelSizes: [3], kernelSize: 3 }, projectionDim: 4, seed: 1, beatStage: 1 });
let tmp: string;
beforeAll(async () => {
  await useTestBackend();
  tmp = mkdtempSync(join(tmpdir(), 'beat-ssl-train-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const data = syntheticRecords(8);

function weightsOf(m: BeatSslModel): number[] {
  return [m.encoder.model, m.projectorRhythm.model, m.projectorBeat.model].flatMap((mm) => mm.getWeights().flatMap((w) => Array.from(w.dataSync())));
}

describe('pretrainBeatSsl', () => {
  it('lowers the loss on tiny synthetic data (default objective: calibrated soft rhythm + hard beats, 3KG views) and reports the learning signal', async () => {
    const model = tiny();
    const res = await pretrainBeatSsl({ model, data, steps: 24, batchSize: 3, seed: 3, optimizer: { learningRate: 3e-3 }, maxBeats: 2, windowSamples: 96, preSec: 0.1, postSec: 0.2 });
    const h = res.history;
    expect(h).toHaveLength(24);
    expect(h[0].beatLoss).toBeGreaterThan(0);
    expect(h[0].beats).toBeGreaterThanOrEqual(2);
    // calibrated soft rhythm targets: γ chosen per batch so the other view holds ≈ half of each row's mass
    expect(h[0].rhythm!.positiveShare).toBeCloseTo(0.5, 2);
    expect(h[0].rhythm!.exponent).toBeGreaterThan(0);
    expect(h[0].rhythm!.targetEntropy).toBeGreaterThan(0);
    expect(h[0].rhythm!.kl).toBeCloseTo(h[0].rhythmLoss - h[0].rhythm!.targetEntropy, 4);
    // hard beat targets: entropy 0, KL = loss, the positive holds all the mass
    expect(h[0].beat!.targetEntropy).toBe(0);
    expect(h[0].beat!.kl).toBeCloseTo(h[0].beatLoss, 4);
    expect(h[0].beat!.positiveShare).toBe(1);
    for (const s of h) expect(s.rhythm!.top1).toBeGreaterThanOrEqual(0);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const first = mean(h.slice(0, 8).map((s) => s.loss));
    const last = mean(h.slice(-8).map((s) => s.loss));
    expect(last).toBeLessThan(first);
    model.dispose();
  });

  it('keeps tf.memory().numTensors constant across 50 steps', async () => {
    const model = micro();
    const counts: number[] = [];
    await pretrainBeatSsl({ model, data, steps: 52, batchSize: 2, seed: 4, maxBeats: 2, windowSamples: 64, preSec: 0.1, postSec: 0.2, objective: { beatTargets: 'hardClass' }, onStep: (s) => void counts.push(s.numTensors) });
    expect(new Set(counts.slice(2)).size).toBe(1);
    const before = tf.memory().numTensors;
    model.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('expresses every ablation configuration (hard/soft rhythm × none/hard/hardClass/soft beats × normalisations)', async () => {
    const model = micro();
    for (const rhythmTargets of ['hard', 'soft'] as const) {
      for (const beatTargets of ['none', 'hard', 'hardClass', 'soft'] as const) {
        const res = await pretrainBeatSsl({ model, data, steps: 1, batchSize: 3, seed: 1, objective: { rhythmTargets, beatTargets, exponent: 50 }, augment: false, windowSamples: 96, preSec: 0.1, postSec: 0.2 });
        expect(Number.isFinite(res.history[0].loss)).toBe(true);
        if (beatTargets === 'none') expect(res.history[0].beatLoss).toBe(0);
      }
    }
    for (const normalization of ['weighted', 'sigmoid'] as const) {
      const res = await pretrainBeatSsl({ model, data, steps: 1, batchSize: 3, seed: 1, objective: { normalization, similarity: 'gaussian', sigma: 2, beatTargets: 'soft' }, windowSamples: 96, preSec: 0.1, postSec: 0.2 });
      expect(Number.isFinite(res.history[0].loss)).toBe(true);
    }
    model.dispose();
  });

  it("patient-level targets: without patient ids they equal hard NT-Xent; shared ids change the loss", async () => {
    const run = async (rhythmTargets: 'hard' | 'patient', groups?: number[]) => {
      const model = micro();
      const d = data.map((r, i) => ({ ...r, groupId: groups?.[i] }));
      const res = await pretrainBeatSsl({ model, data: d, steps: 1, batchSize: 4, seed: 2, objective: { rhythmTargets, beatTargets: 'none' }, augment: false, windowSamples: 96 });
      model.dispose();
      return res.history[0].rhythmLoss;
    };
    const hard = await run('hard');
    expect(await run('patient')).toBeCloseTo(hard, 5);
    const grouped = await run('patient', [0, 0, 1, 1, 0, 0, 1, 1]);
    expect(Math.abs(grouped - hard)).toBeGreaterThan(1e-3);
    await expect(run('patient', [0.5, 0, 0, 0, 0, 0, 0, 0])).rejects.toThrow(/groupId must be an integer patient id/);
  });

  it('resumes exactly: N steps + stop + M steps equals N + M steps in one go; other configs are refused', async () => {
    const opts = { data, batchSize: 3, seed: 9, maxBeats: 3, windowSamples: 100, optimizer: { learningRate: 2e-3 }, lrSchedule: { type: 'cosine' as const } };
    const a = micro();
    await pretrainBeatSsl({ ...opts, model: a, steps: 7 });
    const dir = join(tmp, 'resume');
    const b1 = micro();
    let stopped = 0;
    await pretrainBeatSsl({ ...opts, model: b1, steps: 7, checkpoint: { dir, everySteps: 2 }, onStep: (s) => { stopped = s.step; return s.step < 4; } });
    expect(stopped).toBe(4);
    b1.dispose();
    expect((await readLatestCheckpoint(dir))?.step).toBe(4);
    const b2 = micro();
    const res = await pretrainBeatSsl({ ...opts, model: b2, steps: 7, checkpoint: { dir, everySteps: 2 }, resume: true });
    expect(res.resumedFrom).toBe(4);
    expect(res.steps).toBe(7);
    const wa = weightsOf(a);
    const wb = weightsOf(b2);
    let maxDiff = 0;
    wa.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - wb[i]))));
    expect(maxDiff).toBe(0); // bit-exact on the same backend
    expect(readdirSync(dir).filter((n) => n.startsWith('ckpt-')).length).toBeLessThanOrEqual(2);
    expect(readdirSync(dir).some((n) => n.startsWith('.tmp'))).toBe(false);
    const c = micro();
    await expect(pretrainBeatSsl({ ...opts, objective: { temperature: 0.2 }, model: c, steps: 8, checkpoint: { dir }, resume: true })).rejects.toThrow(
      /Error in pretrainBeatSsl: the checkpoint in .* must have been written with the same config, but got differences in: objective.temperature/,
    );
    tf.dispose([]);
    a.dispose();
    b2.dispose();
    c.dispose();
    expect(existsSync(join(dir, 'latest.json'))).toBe(true);
  });

  it('validates options with clear messages', async () => {
    const model = tiny();
    await expect(pretrainBeatSsl({ model, data, seed: 1 })).rejects.toThrow('Error in pretrainBeatSsl: options.steps must be given (or options.epochs)');
    await expect(pretrainBeatSsl({ model, data, steps: 1, seed: 1, objective: { beatTargets: 'x' as never } })).rejects.toThrow(
      "Error in pretrainBeatSsl: options.objective.beatTargets must be one of 'none', 'hard', 'hardClass', 'soft'",
    );
    await expect(pretrainBeatSsl({ model, data, steps: 1, seed: 1, objective: { exponent: -1 } })).rejects.toThrow("options.objective.exponent must be a number in [0, 10000] or 'calibrated'");
    await expect(pretrainBeatSsl({ model, data, steps: 1, seed: 1, objective: { exponnent: 5 } as never })).rejects.toThrow("options.objective must have only the keys 'temperature'");
    await expect(pretrainBeatSsl({ model, data, steps: 1, seed: 1, rhythmTargets: 'hard' } as never)).rejects.toThrow("Error in pretrainBeatSsl: options must have only the keys 'model', 'data'");
    await expect(pretrainBeatSsl({ model, data: data.map((d) => ({ ...d, recordFeatures: null })), steps: 1, seed: 1 })).rejects.toThrow('data[i].recordFeatures must be present in every record for soft rhythm targets');
    model.dispose();
  });
});

describe('schedules and config diffs', () => {
  it('cosine decays to minFactor, warm-up is linear', () => {
    expect(learningRateAt(1, 0, 100, { type: 'cosine' })).toBe(1);
    expect(learningRateAt(1, 50, 100, { type: 'cosine' })).toBeCloseTo(0.5, 10);
    expect(learningRateAt(1, 100, 100, { type: 'cosine', minFactor: 0.1 })).toBeCloseTo(0.1, 10);
    expect(learningRateAt(1, 1, 100, { warmupSteps: 4 })).toBe(0.5);
    expect(configDifferences({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toEqual(['b.c.1']);
  });
});
