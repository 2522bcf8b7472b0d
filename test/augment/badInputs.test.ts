import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { gaussianNoise, compose, twoViews, cropTs2VecViews, sampleTs2VecCrops, type Augmentation } from 'beat-ssl/augment';
import { createRng } from 'beat-ssl/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('augmentations reject bad call arguments without leaking', () => {
  it('an augmentation called without an Rng names the rng argument', () => {
    const x = tf.zeros([1, 10, 12]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const aug = gaussianNoise() as (x: tf.Tensor3D, rng?: unknown) => tf.Tensor3D;
    expect(() => aug(x)).toThrow(/Error in gaussianNoise: rng must be an Rng/);
    expect(() => aug(x, 42)).toThrow(/rng must be an Rng .*but got 42\./);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('compose fails clearly (and frees its intermediates) when a step returns no tensor', () => {
    const x = tf.zeros([2, 10, 12]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const bad = (() => 5) as unknown as Augmentation;
    expect(() => compose([gaussianNoise(), bad])(x, createRng(1))).toThrow(/Error in compose: augmentations\[1\] must be a function returning a tensor, but got 5\./);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('twoViews disposes view 1 when view 2 fails, and rejects non-tensor views', () => {
    const x = tf.zeros([2, 10, 12]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    let calls = 0;
    const flaky: Augmentation = (v) => {
      if (calls++ === 1) throw new Error('boom');
      return v.clone();
    };
    expect(() => twoViews(x, { seed: 1, augment: flaky })).toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
    expect(() => twoViews(x, { seed: 1, augment: (() => null) as unknown as Augmentation })).toThrow(/opts.augment must be a function returning a tensor/);
    x.dispose();
  });

  it('cropTs2VecViews rejects crops drawn for a longer series instead of reading out of range', () => {
    const x = tf.zeros([2, 50, 3]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const crops = sampleTs2VecCrops(500, 2, { seed: 1 });
    expect(() => cropTs2VecViews(x, crops)).toThrow(/Error in cropTs2VecViews: crops must be crops inside the 50 samples of x/);
    expect(tf.memory().numTensors).toBe(before);
    const ok = cropTs2VecViews(x, sampleTs2VecCrops(50, 2, { seed: 1 }));
    expect(ok.view1.shape[0]).toBe(2);
    ok.view1.dispose();
    ok.view2.dispose();
    x.dispose();
  });
});
