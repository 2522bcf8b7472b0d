/**
 * Use beat-ssl's 3KG augmentation and soft-target contrastive loss inside your own TensorFlow.js
 * training loop: your model, your data loading, your optimiser. Only `beat-ssl/augment` and
 * `beat-ssl/losses` come from beat-ssl.
 *
 *   npx tsx examples/losses-in-your-pipeline.ts
 *
 * Data: the 24 PTB-XL records embedded in examples/data (12 leads, 100 Hz, 10 s), read with a few
 * lines of plain Node (WFDB format 16) to show that beat-ssl does not need to own your data.
 * Set BEAT_SSL_EXAMPLE_QUICK=1 for a 3-step smoke run.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu'; // tfjs-layers also registers the gradients in Node
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { twoViews } from 'beat-ssl/augment';
import { ntXent, softInfoNCE, softTargets } from 'beat-ssl/losses';

const QUICK = process.env.BEAT_SSL_EXAMPLE_QUICK === '1';
const STEPS = QUICK ? 2 : 30;
const BATCH = QUICK ? 4 : 8;
const DATA = fileURLToPath(new URL('./data/ptbxl/records100/00000/', import.meta.url));

// --- your data: [records, 1000, 12] in mV, standardised per lead -------------------------------
function readFormat16(base: string): Float32Array {
  const lines = readFileSync(base + '.hea', 'utf8').split(/\r?\n/).filter((l) => l && !l.startsWith('#'));
  const [, nsig, , nsamp] = lines[0].split(/\s+/).map(Number);
  const gains = lines.slice(1, 1 + nsig).map((l) => parseFloat(l.split(/\s+/)[2]));
  const raw = new Int16Array(readFileSync(base + '.dat').buffer.slice(0));
  const out = new Float32Array(nsamp * nsig); // interleaved [time, lead], channels last
  for (let i = 0; i < nsamp * nsig; i++) out[i] = raw[i] / gains[i % nsig];
  return out;
}
const names = readdirSync(DATA).filter((f) => f.endsWith('.hea')).map((f) => f.slice(0, -4)).sort();
const records = names.map((n) => readFormat16(DATA + n));
const x = tf.tidy(() => {
  const t = tf.tensor3d(Float32Array.from(records.flatMap((r) => Array.from(r))), [records.length, 1000, 12]);
  const { mean, variance } = tf.moments(t, 1, true);
  return tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 1e-6))) as tf.Tensor3D;
});
// Your own per-record features for the soft targets (here: per-lead RMS of the raw signal and
// the dominant-lead autocorrelation peak as a crude heart-rate proxy). Beat-SSL uses clinical
// features (heart rate, QRS, PR, QT, axis, ...) from `beat-ssl/beats`; any [N, F] matrix works.
const features = records.map((r) => {
  const f: number[] = [];
  for (let l = 0; l < 12; l++) {
    let s = 0;
    for (let i = l; i < r.length; i += 12) s += r[i] * r[i];
    f.push(Math.sqrt(s / 1000));
  }
  let best = 0;
  let lag = 40;
  for (let k = 40; k < 150; k++) {
    let c = 0;
    for (let i = 0; i + k < 1000; i++) c += r[i * 12 + 1] * r[(i + k) * 12 + 1];
    if (c > best) [best, lag] = [c, k];
  }
  f.push(6000 / lag / 60); // beats per second
  return f;
});

// --- your model: a small 1D CNN encoder + projector ---------------------------------------------
const model = tfl.sequential({
  layers: [
    tfl.layers.conv1d({ inputShape: [1000, 12], filters: 16, kernelSize: 7, strides: 2, padding: 'same', activation: 'relu' }),
    tfl.layers.conv1d({ filters: 32, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu' }),
    tfl.layers.globalAveragePooling1d(),
    tfl.layers.dense({ units: 32, activation: 'relu' }),
    tfl.layers.dense({ units: 16 }),
  ],
});
const optimizer = tf.train.adam(1e-3);

// --- the loop: 3KG views → embeddings → soft InfoNCE ---------------------------------------------
console.log(`backend ${tf.getBackend()}, ${records.length} records, ${STEPS} steps of batch ${BATCH}`);
for (let step = 0; step < STEPS; step++) {
  const idx = Array.from({ length: BATCH }, (_, i) => (step * BATCH + i) % records.length);
  const batch = tf.tidy(() => tf.gather(x, idx) as tf.Tensor3D);
  const { view1, view2 } = twoViews(batch, { seed: 1000 + step }); // rotation ±45°, scale 1–1.5, 50% mask
  const targets = softTargets(idx.map((i) => features[i]), { similarity: 'cosine', exponent: 50 }); // [2N, 2N]
  const cost = optimizer.minimize(() => {
    const z = tf.concat([model.apply(view1) as tf.Tensor2D, model.apply(view2) as tf.Tensor2D]) as tf.Tensor2D; // [2N, d]
    return softInfoNCE(z, targets, { temperature: 0.1 });
  }, true) as tf.Scalar;
  const hard = tf.tidy(() => ntXent(tf.concat([model.apply(view1) as tf.Tensor2D, model.apply(view2) as tf.Tensor2D]) as tf.Tensor2D));
  console.log(`step ${String(step + 1).padStart(3)}  soft InfoNCE ${cost.dataSync()[0].toFixed(4)}  (hard NT-Xent ${hard.dataSync()[0].toFixed(4)})`);
  tf.dispose([batch, view1, view2, targets, cost, hard]);
}
console.log(`tensors alive: ${tf.memory().numTensors} (model weights, optimiser state and the data)`);
