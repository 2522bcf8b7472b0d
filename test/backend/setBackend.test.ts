import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../../src/backend/setBackend';
import { ensureGradients } from '../../src/backend/ensureGradients';
import { backendInfo } from '../../src/backend/backendInfo';
import { BeatSslError } from '../../src/core/errors';

const tfjsNodeInstalled = existsSync('node_modules/@tensorflow/tfjs-node') || existsSync('node_modules/@tensorflow/tfjs-node-gpu');

describe('setBackend', () => {
  it('rejects an unknown name with the standard message', async () => {
    await expect(setBackend('gpu' as never)).rejects.toThrow(/^Error in setBackend: name must be one of/);
  });

  it('starts the cpu backend and reports the attempt', async () => {
    const r = await setBackend('cpu');
    expect(r.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(r.tried.at(-1)).toMatchObject({ backend: 'cpu', ok: true });
    expect(r.wasmTrainingKernels).toBe(false);
    expect(r.tensorflowTrainingKernels).toBe(false);
  });

  it.skipIf(tfjsNodeInstalled)("'tensorflow' without tfjs-node fails clearly, listing both packages", async () => {
    const err = await setBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BeatSslError);
    expect(String((err as Error).message)).toMatch(/tfjs-node-gpu: not installed.*tfjs-node: not installed/);
  });

  it("'auto' skips missing optional backends quietly and picks the fastest available (tensorflow, else wasm)", async () => {
    const r = await setBackend('auto');
    expect(r.tried[0]).toMatchObject({ source: '@tensorflow/tfjs-node-gpu', ok: false });
    if (tfjsNodeInstalled) {
      expect(r.tried[1]).toMatchObject({ source: '@tensorflow/tfjs-node', backend: 'tensorflow', ok: true });
      expect(r.name).toBe('tensorflow');
      expect(r.wasmTrainingKernels).toBe(false);
      expect(r.tensorflowTrainingKernels).toBe(true);
    } else {
      expect(r.tried[1]).toMatchObject({ source: '@tensorflow/tfjs-node', ok: false });
      expect(r.name).toBe('wasm');
      expect(r.wasmTrainingKernels).toBe(true);
    }
    expect(tf.getBackend()).toBe(r.name);
  });

  it('ensureGradients registers gradients and backendInfo describes the setup', async () => {
    expect(await ensureGradients()).not.toBe('none');
    await setBackend('wasm');
    const info = backendInfo();
    expect(info.name).toBe('wasm');
    expect(info.gradients).toBe(true);
    expect(info.wasmTrainingKernels).toBe(true);
    expect(info.registered).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    expect(info.isNode).toBe(true);
    expect(typeof info.tensorflowTrainingKernels).toBe('boolean');
  });

  it('a tf.layers conv1d model trains on wasm (loss falls) without tensor growth', async () => {
    const tfl = await import('@tensorflow/tfjs-layers');
    await setBackend('wasm');
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv1d({ inputShape: [32, 3], filters: 4, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
        tfl.layers.batchNormalization(),
        tfl.layers.reLU(),
        tfl.layers.globalAveragePooling1d(),
        tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const x = tf.tidy(() => tf.sin(tf.reshape(tf.range(0, 8 * 32 * 3), [8, 32, 3])));
    const y = tf.tidy(() => tf.reshape(tf.linspace(-1, 1, 8), [8, 1]));
    const opt = tf.train.adam(0.05);
    const losses: number[] = [];
    let tensorsAfterFirst = -1;
    for (let i = 0; i < 15; i++) {
      const l = opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
      losses.push((await l.data())[0]);
      l.dispose();
      if (i === 0) tensorsAfterFirst = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.8);
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  });
});
