/**
 * Keras interop: the encoder and both heads saved by beat-ssl load in Python TensorFlow/Keras
 * (scripts/keras_interop.py, our own loader) with the same outputs within 1e-4 on real records, and
 * weights trained in Keras come back into beat-ssl the same way.
 *
 * Needs a Python with TensorFlow (Keras 3): $BEAT_SSL_TF_PYTHON, else `.venv-tf/bin/python` in the
 * checkout or up to two folders above it (e.g. /work/.venv-tf:
 * `python3 -m venv .venv-tf && .venv-tf/bin/pip install tensorflow-cpu==2.21.0`, ~20 s from a local
 * index). Skipped with the reason otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useTestBackend } from '../_backend';
import { readRecord } from '../../src/io/index';
import { interleaveLeads } from '../../src/data/preprocess';
import { BeatSslModel, createEncoder, ENCODER_PRESETS } from '../../src/models/index';
import { createClassifier, createSegmenter, EcgClassifier, EcgSegmenter } from '../../src/heads/index';
import { createRng } from '../../src/core/rng';

const root = resolve(new URL('../../', import.meta.url).pathname);
const SCRIPT = join(root, 'scripts', 'keras_interop.py');

/** The Python with TensorFlow: $BEAT_SSL_TF_PYTHON, else a .venv-tf near the checkout. */
function tfPython(): string | null {
  if (process.env.BEAT_SSL_TF_PYTHON) return process.env.BEAT_SSL_TF_PYTHON;
  let dir = root;
  for (let i = 0; i < 3; i++) {
    const c = join(dir, '.venv-tf', 'bin', 'python');
    if (existsSync(c)) return c;
    dir = dirname(dir);
  }
  return null;
}

const PY = tfPython();
const probe = PY ? spawnSync(PY, ['-c', 'import tensorflow, keras, numpy; print(keras.__version__)'], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } }) : null;
const skip: string | false = !PY
  ? 'no Python with TensorFlow: set BEAT_SSL_TF_PYTHON or create .venv-tf next to the checkout (pip install tensorflow-cpu==2.21.0)'
  : probe?.status !== 0
    ? `${PY} cannot import tensorflow/keras (${(probe?.stderr ?? '').trim().split('\n').pop()})`
    : false;

/**
 * Runs the script once (one TensorFlow start-up for several models), asynchronously so that the
 * test worker stays responsive; one JSON result per model.
 */
async function py(args: string[]): Promise<Record<string, unknown>[]> {
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(PY!, [SCRIPT, ...args], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CUDA_VISIBLE_DEVICES: '' } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  if (r.status !== 0 || !lines.length) throw new Error(`keras_interop.py ${args[0]} failed (exit ${r.status}): ${r.stderr.slice(-800)}`);
  return lines.map((l) => JSON.parse(l));
}

/**
 * Seeded mild perturbation of every weight (as after some training: kernels ×(1 ± 5%), biases, betas
 * and moving means ± 0.05, moving variances ×[0.8, 1.2]) so that a weight loaded into the wrong slot
 * shows, while activations keep a trained network's scale.
 */
function perturb(model: tfl.LayersModel, seed: number): void {
  const rng = createRng(seed);
  const ws = model.weights.map((w) => {
    const v = w.read();
    const d = Float32Array.from(v.dataSync());
    const kind = w.name.split('/').pop()!;
    for (let i = 0; i < d.length; i++) {
      if (kind === 'moving_variance') d[i] *= 0.8 + 0.4 * rng.next();
      else if (kind === 'kernel' || kind === 'gamma') d[i] *= 1 + 0.05 * rng.normal();
      else d[i] += 0.05 * rng.normal();
    }
    return tf.tensor(d, v.shape);
  });
  model.setWeights(ws);
  tf.dispose(ws);
}

/** Model outputs on x, flattened in output order (what the script compares). */
function outputs(model: tfl.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => {
    const y = model.predict(x) as tf.Tensor | tf.Tensor[];
    const ys = Array.isArray(y) ? y : [y];
    return Float32Array.from(ys.flatMap((t) => Array.from(t.dataSync())));
  });
}

describe.skipIf(skip)(`Keras interop (scripts/keras_interop.py)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir = '';
  let x: tf.Tensor3D;
  // 992 samples (9.92 s at 100 Hz): a multiple of 16, as the segmenter's 4-level U-Net needs.
  const T = 992;
  const shape = `2,${T},12`;
  beforeAll(async () => {
    await useTestBackend();
    dir = mkdtempSync(join(tmpdir(), 'beat-ssl-keras-'));
    // Two real 12-lead records: PTB-XL 00001 and 00002 (100 Hz, 10 s), millivolts.
    const recs = await Promise.all(['00001_lr', '00002_lr'].map((r) => readRecord(join(root, 'examples/data/ptbxl/records100/00000', r))));
    const data = new Float32Array(2 * T * 12);
    recs.forEach((r, i) => data.set(interleaveLeads(r.signals.map((s) => s.subarray(0, T))), i * T * 12));
    x = tf.tensor3d(data, [2, T, 12]);
    writeFileSync(join(dir, 'x.bin'), data);
  });
  afterAll(() => {
    x?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the encoder, the classifier and the segmenter saved by beat-ssl give the same outputs in Keras (≤ 1e-4)', async () => {
    const ssl = BeatSslModel.create({ encoder: { ...ENCODER_PRESETS.small }, seed: 3 });
    perturb(ssl.encoder.model, 1);
    await ssl.save(join(dir, 'ssl'));
    const clf = createClassifier(createEncoder({ ...ENCODER_PRESETS.small, seed: 4 }), { numClasses: 5, seed: 5 });
    perturb(clf.model, 2);
    await clf.save(join(dir, 'clf'));
    const seg = createSegmenter(createEncoder({ ...ENCODER_PRESETS.small, seed: 6 }), { seed: 7 });
    perturb(seg.model, 3);
    await seg.save(join(dir, 'seg'));
    const cases: [string, tfl.LayersModel][] = [
      ['ssl/encoder', ssl.encoder.model],
      ['clf', clf.model],
      ['seg', seg.model],
    ];
    const args = ['check', join(dir, 'x.bin'), shape];
    for (const [name, model] of cases) {
      const file = join(dir, `${name.replace('/', '_')}.expected.bin`);
      writeFileSync(file, outputs(model, x));
      args.push(join(dir, name), file);
    }
    const results = await py(args);
    expect(results.length).toBe(cases.length);
    results.forEach((r, i) => {
      const name = cases[i][0];
      expect(r.error, name).toBeUndefined();
      expect(r.maxRelDiff as number, `${name}: ${JSON.stringify(r)}`).toBeLessThanOrEqual(1e-4);
      expect(r.ok).toBe(true);
      console.info(`keras check ${name}: max |diff| ${r.maxAbsDiff}, relative ${r.maxRelDiff} (keras ${r.keras}, tensorflow ${r.tensorflow})`);
    });
    ssl.dispose();
    clf.dispose();
    seg.dispose();
  }, 300_000);

  it('weights trained in Keras come back into beat-ssl (classifier and segmenter) with the same outputs (≤ 1e-4)', async () => {
    const loaders = {
      clf: (d: string) => EcgClassifier.load(d).then((m) => ({ model: m.model, dispose: () => m.dispose() })),
      seg: (d: string) => EcgSegmenter.load(d).then((m) => ({ model: m.model, dispose: () => m.dispose() })),
    };
    const names = ['clf', 'seg'] as const;
    const results = await py(['train', join(dir, 'x.bin'), shape, '2', ...names.flatMap((n) => [join(dir, n), join(dir, `${n}-keras`)])]);
    expect(results.length).toBe(names.length);
    for (const [i, name] of names.entries()) {
      const r = results[i];
      expect(r.ok, JSON.stringify(r)).toBe(true);
      // Training in Keras changed the outputs (the round trip is not a no-op)...
      expect(r.maxOutputChange as number).toBeGreaterThan(1e-3);
      const before = await loaders[name](join(dir, name));
      const out = join(dir, `${name}-keras`);
      const back = await loaders[name](out);
      const ours = outputs(back.model, x);
      const keras = new Float32Array(Uint8Array.from(readFileSync(join(out, 'keras-outputs.bin'))).buffer);
      expect(ours.length).toBe(keras.length);
      let maxAbs = 0;
      let scale = 1;
      for (let k = 0; k < ours.length; k++) {
        maxAbs = Math.max(maxAbs, Math.abs(ours[k] - keras[k]));
        scale = Math.max(scale, Math.abs(keras[k]));
      }
      // ...and beat-ssl reproduces the Keras outputs from the written weights.
      expect(maxAbs / scale, name).toBeLessThanOrEqual(1e-4);
      console.info(`keras → beat-ssl ${name}: output change from Keras training ${r.maxOutputChange}, max |diff| ${maxAbs} (relative ${maxAbs / scale})`);
      const old = outputs(before.model, x);
      expect(Math.max(...old.map((v, k) => Math.abs(v - ours[k])))).toBeGreaterThan(1e-3);
      before.dispose();
      back.dispose();
    }
  }, 300_000);
});
