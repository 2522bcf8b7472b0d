/**
 * Where a training step's CPU time goes on wasm: process CPU time per tfjs kernel (all threads),
 * aggregated over one step of an encoder preset (batch 32, 1000 × 12), after one warm-up step.
 * CPU time, not wall time, so that the breakdown holds on a machine shared with other processes.
 *
 * `npx tsx bench/profile-kernels.ts [small|base]`; `NATIVE=0` disables the native addon;
 * `SHAPES=Multiply,Sum` breaks those kernels down by input shapes; `MODE=infer` profiles inference.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { setBackend } from '../src/backend/setBackend';
import { createEncoder } from '../src/models/encoder';

await setBackend('wasm', { native: process.env.NATIVE !== '0' });
const e = createEncoder((process.argv[2] ?? 'small') as 'small');
const x = tf.randomNormal([32, 1000, 12]) as tf.Tensor3D;
const opt = tf.train.adam(1e-3);
const vars = e.model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
const step = () => {
  const l = opt.minimize(() => tf.mean(tf.square(e.apply(x, { training: true }).embedding)) as tf.Scalar, true, vars);
  l!.dataSync();
  l!.dispose();
};
step();
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const shapes = (process.env.SHAPES ?? '').split(',');
const agg = new Map<string, [number, number]>();
let depth = 0;
for (const k of tf.getKernelsForBackend('wasm')) {
  const f = k.kernelFunc;
  const name = k.kernelName;
  tf.unregisterKernel(name, 'wasm');
  const timed: KernelFunc = (args) => {
    depth++;
    const t0 = cpu();
    const r = f(args);
    const dt = cpu() - t0;
    depth--;
    if (depth === 0) {
      const key = shapes.includes(name)
        ? `${name} ${Object.values(args.inputs).map((t) => `[${t!.shape}]`).join(' ')} ${JSON.stringify(args.attrs ?? {}).slice(0, 50)}`
        : name;
      const a = agg.get(key) ?? [0, 0];
      a[0] += dt;
      a[1]++;
      agg.set(key, a);
    }
    return r;
  };
  tf.registerKernel({ ...k, kernelFunc: timed });
}
const infer = () => {
  const y = tf.tidy(() => e.apply(x).embedding);
  y.dataSync();
  y.dispose();
};
const mode = process.env.MODE === 'infer' ? infer : step;
mode();
agg.clear();
const c0 = cpu();
mode();
const total = cpu() - c0;
const rows = [...agg].sort((a, b) => b[1][0] - a[1][0]);
const inKernels = rows.reduce((s, r) => s + r[1][0], 0);
console.log(`step CPU ${total.toFixed(0)} ms, in kernels ${inKernels.toFixed(0)} ms (rest = engine/JS overhead)`);
for (const [k, [ms, n]] of rows.slice(0, 16)) console.log(`  ${k.padEnd(22)} ${ms.toFixed(1).padStart(7)} ms x${n}`);
