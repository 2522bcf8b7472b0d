import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  threeKG,
  compose,
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
} from 'beat-ssl/augment';
import { createRng } from 'beat-ssl/core/rng';
import { wasmUnavailable } from '../_backend';


const wasmSkip = await wasmUnavailable();

describe.skipIf(wasmSkip)(`same seed, same views on every backend${wasmSkip ? ` (skipped: ${wasmSkip})` : ''}`, () => {
  it('threeKG and a compose chain agree between cpu and wasm', async () => {
    const rng = createRng(1);
    const data = Float32Array.from({ length: 3 * 400 * 12 }, () => rng.normal());
    const aug = compose([
      baselineWander({ fs: 500 }),
      powerlineNoise({ fs: 500 }),
      gaussianNoise(),
      emgNoise({ fs: 500 }),
      baselineShift(),
      amplitudeScale({ perLead: true }),
      timeShift({ fs: 500, mode: 'wrap' }),
      timeShift({ fs: 500, maxShiftSec: 0.3 }),
      randomCrop({ fs: 500, lengthSec: 0.6 }),
      leadDropout(),
      timeMask({ fs: 500, perLead: true }),
    ]);
    const run = (): { kg: Float32Array; chain: Float32Array } => {
      const x = tf.tensor3d(data, [3, 400, 12]);
      const kg = threeKG(x, { seed: 42 });
      const chain = aug(x, createRng(42));
      const out = { kg: kg.dataSync() as Float32Array, chain: chain.dataSync() as Float32Array };
      tf.dispose([x, kg, chain]);
      return out;
    };
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('wasm');
    const wasm = run();
    await tf.setBackend('cpu');
    for (let i = 0; i < cpu.kg.length; i++) expect(Math.abs(cpu.kg[i] - wasm.kg[i])).toBeLessThan(1e-5);
    expect(cpu.chain.length).toBe(wasm.chain.length);
    for (let i = 0; i < cpu.chain.length; i++) expect(Math.abs(cpu.chain[i] - wasm.chain[i])).toBeLessThan(1e-4);
  });
});
