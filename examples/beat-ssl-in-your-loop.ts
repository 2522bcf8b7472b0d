/**
 * The Beat-SSL objective in your own training loop: beat-ssl makes the views, the beat pooling plan
 * and the objective; the loop, optimiser and schedule are yours. This is exactly what
 * `pretrainBeatSsl` does per step, unrolled, and it prints the learning signal — KL to the targets
 * and top-1 retrieval of the other view — for the rhythm and the beat level.
 *
 *   npx tsx examples/beat-ssl-in-your-loop.ts
 *
 * Data: the 24 PTB-XL records embedded in examples/data (12 leads, 100 Hz, 10 s). Set
 * BEAT_SSL_EXAMPLE_QUICK=1 for a 3-step smoke run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { readRecord } from 'beat-ssl/io';
import { listWfdbRecords, sampleViewPairs, sslRecordFrom } from 'beat-ssl/data';
import { threeKG } from 'beat-ssl/augment';
import { createBeatSslObjective } from 'beat-ssl/losses';
import { BeatSslModel, beatPairPlan } from 'beat-ssl/models';
import { setBackend } from 'beat-ssl/backend';
import { createRng } from 'beat-ssl/core';

const QUICK = process.env.BEAT_SSL_EXAMPLE_QUICK === '1';
const STEPS = QUICK ? 3 : 40;
const BATCH = 8;
const CROP = 800; // 8-s views of the 10-s records, each with its own offset
const DATA = fileURLToPath(new URL('./data/ptbxl/', import.meta.url));

const backend = await setBackend('auto');
// Once per record: band-pass, 100 Hz, mV; R-peaks, record and beat features (beat-ssl/beats).
const records = await Promise.all((await listWfdbRecords(DATA)).map(async (p) => sslRecordFrom(await readRecord(p), { fs: 100 })));
const model = BeatSslModel.create({ encoder: QUICK ? 'tiny' : 'small', seed: 1 }); // beats pooled from the stride-4 stage
const objective = createBeatSslObjective({ rhythmTargets: 'soft', exponent: 'calibrated', positiveShare: 0.5, beatTargets: 'hard' });
const optimizer = tf.train.adam(1e-3); // yours: any optimiser, any schedule
const rng = createRng(42);

// z-scored record features φ for the soft rhythm targets (any [N, D] matrix works)
const D = records[0].recordFeatures!.length;
const mean = new Float64Array(D);
const sd = new Float64Array(D);
for (const r of records) r.recordFeatures!.forEach((v, j) => (mean[j] += (Number.isFinite(v) ? v : 0) / records.length));
for (const r of records) r.recordFeatures!.forEach((v, j) => (sd[j] += (Number.isFinite(v) ? v - mean[j] : 0) ** 2 / records.length));
const phi = records.map((r) => Float32Array.from(r.recordFeatures!, (v, j) => (Number.isFinite(v) ? (v - mean[j]) / (Math.sqrt(sd[j]) || 1) : 0)));

console.log(`backend ${backend.name}; ${records.length} records; ${STEPS} steps of ${BATCH} records × 2 views`);
const geometry = model.beatGeometry(CROP);
for (let step = 1; step <= STEPS; step++) {
  const idx = Array.from(rng.permutation(records.length).subarray(0, BATCH));
  // 1. two crops per record at independent offsets; R-peaks mapped into each with their identity
  const batch = sampleViewPairs(records, idx, { length: CROP, rng });
  // 2. the beats visible in both views, matched by identity, at the beat stage's real frame centres
  const plan = beatPairPlan(batch.peaks.slice(0, BATCH), batch.peaks.slice(BATCH), Math.ceil(CROP / geometry.stride), { geometry, fs: 100, inputLength: CROP, maxBeats: 8, seed: rng });
  // 3. targets of this batch (outside the gradient): calibrated soft rhythm targets, hard beat targets
  const targets = objective.targets({ rhythm: { n: BATCH, features: idx.flatMap((i) => Array.from(phi[i])) }, beat: { n: plan.slots.length } });
  // 4. 3KG views in mV, standardised per lead afterwards
  const views = tf.tidy(() => threeKG(tf.tensor3d(batch.x, [2 * BATCH, CROP, 12]), { rng, standardize: true }));
  let zr: tf.Tensor2D | null = null;
  let zb: tf.Tensor2D | null = null;
  const variables = model.trainableVariables;
  const { value, grads } = tf.variableGrads(() => {
    const e = model.embed(views, plan, { training: true }); // z_r [2N, d], z_b [2K, d]
    zr = tf.keep(e.rhythm);
    zb = e.beat ? tf.keep(e.beat) : null;
    return objective.loss({ rhythm: e.rhythm, beat: e.beat }, targets).total;
  }, variables);
  optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
  // 5. the learning signal: watch KL and retrieval, not only the loss
  const d = objective.diagnostics({ rhythm: zr!, beat: zb }, targets);
  console.log(
    `step ${String(step).padStart(3)}  loss ${value.dataSync()[0].toFixed(3)}  ` +
      `rhythm KL ${d.rhythm.kl.toFixed(3)} top-1 ${d.rhythm.top1.toFixed(2)} (γ ${d.rhythm.exponent!.toFixed(1)})  ` +
      (d.beat ? `beat KL ${d.beat.kl.toFixed(3)} top-1 ${d.beat.top1.toFixed(2)} (${plan.slots.length} beats)` : ''),
  );
  tf.dispose([value, views, zr!, ...(zb ? [zb] : []), ...Object.values(grads)]);
  targets.dispose();
}
model.dispose();
optimizer.dispose();
console.log(`tensors alive: ${tf.memory().numTensors}`);
