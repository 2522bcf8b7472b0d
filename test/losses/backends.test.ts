import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { ntXent, softInfoNCE, multiPositiveInfoNCE, softTargets, classTargets } from 'beat-ssl/losses';
import { createRng } from 'beat-ssl/core/rng';
import { wasmUnavailable } from '../_backend';


const wasmSkip = await wasmUnavailable();

describe.skipIf(wasmSkip)(`losses on the wasm backend${wasmSkip ? ` (skipped: ${wasmSkip})` : ''}`, () => {
  it('give the same values and gradients as on cpu (no gather gradient needed)', async () => {
    const rng = createRng(3);
    const zData = Float32Array.from({ length: 24 * 6 }, () => rng.normal());
    const fData = Array.from({ length: 12 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const labels = Array.from({ length: 12 }, () => rng.int(3));
    const validMask = Array.from({ length: 12 }, (_, i) => (i % 5 === 4 ? 0 : 1));
    const run = (): number[][] => {
      const z = tf.tensor2d(zData, [24, 6]);
      const t = softTargets(fData, { exponent: 3 });
      const pos = classTargets(labels);
      const fns: Array<(v: tf.Tensor2D) => tf.Scalar> = [
        (v) => ntXent(v, { validMask }),
        (v) => softInfoNCE(v, t, { validMask }),
        (v) => softInfoNCE(v, t, { normalization: 'weighted', validMask }),
        (v) => softInfoNCE(v, t, { normalization: 'sigmoid', validMask }),
        (v) => multiPositiveInfoNCE(v, pos, { validMask }),
      ];
      const out = fns.map((f) => {
        const { value, grad } = tf.valueAndGrad((v) => f(v as tf.Tensor2D))(z);
        const r = [value.dataSync()[0], ...Array.from(grad.dataSync())];
        tf.dispose([value, grad]);
        return r;
      });
      tf.dispose([z, t, pos]);
      return out;
    };
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('wasm');
    const wasm = run();
    await tf.setBackend('cpu');
    cpu.forEach((r, k) => r.forEach((v, i) => expect(Math.abs(v - wasm[k][i]), `loss ${k} entry ${i}`).toBeLessThan(1e-4 + 1e-4 * Math.abs(v))));
  });
});
