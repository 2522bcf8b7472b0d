import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '../../src/backend/setBackend';
import { BeatSslModel } from '../../src/models/index';
import { pretrainBeatSsl } from '../../src/train/index';
import { syntheticRecords } from './_synthetic';
import { wasmUnavailable } from '../_backend';

const micro = () => BeatSslModel.create({ encoder: { stemWidth: 4, stemKernel: 3, widths: [4, 8], depths: [1, 1], kernelSizes: [3], kernelSize: 3 }, projectionDim: 4, seed: 1, beatStage: 1 });

const wasmSkip = await wasmUnavailable();

describe.skipIf(wasmSkip)(`pretrainBeatSsl on the wasm backend${wasmSkip ? ` (skipped: ${wasmSkip})` : ''}`, () => {
  it('trains and matches the cpu backend (same seed, 3 steps) to float tolerance', async () => {
    const data = syntheticRecords(6);
    const run = async () => {
      const m = micro();
      const res = await pretrainBeatSsl({ model: m, data, steps: 3, batchSize: 3, seed: 2, maxBeats: 2, windowSamples: 96, preSec: 0.1, postSec: 0.2 });
      const w = m.encoder.model.getWeights().flatMap((t) => Array.from(t.dataSync()));
      m.dispose();
      return { losses: res.history.map((h) => h.loss), w };
    };
    await tf.setBackend('cpu');
    const cpu = await run();
    const r = await setBackend('wasm');
    expect(r.name).toBe('wasm');
    const wasm = await run();
    // Steps 1–2 agree to ~1e-7; Adam amplifies last-bit gradient differences a little afterwards.
    wasm.losses.forEach((l, i) => expect(Math.abs(l - cpu.losses[i]) / Math.abs(cpu.losses[i])).toBeLessThan(1e-3));
    let maxDiff = 0;
    wasm.w.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - cpu.w[i]))));
    expect(maxDiff).toBeLessThan(1e-3);
  });
});
