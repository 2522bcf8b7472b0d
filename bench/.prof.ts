import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../src/backend/setBackend';
import { createEncoder } from '../src/models/encoder';
await setBackend((process.argv[2] ?? 'wasm') as 'wasm');
const preset = (process.argv[3] ?? 'small') as 'small';
const T = Number(process.argv[4] ?? 1000), B = Number(process.argv[5] ?? 32);
const e = createEncoder(preset);
const x = tf.randomNormal([B, T, 12]) as tf.Tensor3D;
const opt = tf.train.adam(1e-3);
const vars = e.model.trainableWeights.map((w: any) => w.val);
const step = () => { const l = opt.minimize(() => tf.mean(tf.square(e.apply(x, { training: true }).embedding)) as tf.Scalar, true, vars); l!.dataSync(); l!.dispose(); };
step();
const infer = () => { const y = tf.tidy(() => e.apply(x).embedding); y.dataSync(); y.dispose(); };
infer();
for (const [name, fn] of [['train', step], ['infer', infer]] as const) {
  const t0 = performance.now();
  const p = await tf.profile(fn as () => void);
  const wall = performance.now() - t0;
  const agg = new Map<string, [number, number]>();
  for (const k of p.kernels) { const a = agg.get(k.name) ?? [0, 0]; a[0] += k.kernelTimeMs as number; a[1]++; agg.set(k.name, a); }
  const rows = [...agg].sort((a, b) => b[1][0] - a[1][0]);
  const tot = rows.reduce((s, r) => s + r[1][0], 0);
  console.log(`${name}: wall ${wall.toFixed(0)} ms, kernels ${tot.toFixed(0)} ms`);
  for (const [k, [ms, n]] of rows.slice(0, 14)) console.log(`  ${k.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  x${n}`);
}
