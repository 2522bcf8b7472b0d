/**
 * Where a training step's time goes: process CPU time and wall time per tfjs kernel (all threads),
 * aggregated over one step of an encoder preset (batch 32, 1000 × 12), after one warm-up step.
 * CPU time holds on a machine shared with other processes; wall time shows what threads buy.
 *
 * `npx tsx bench/profile-kernels.ts [small|base]`; `BACKEND=tensorflow` (default wasm);
 * `SHAPES=Multiply,Sum` breaks those kernels down by input shapes; `MODE=infer` profiles inference.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { setBackend } from '../src/backend/setBackend';
import { createEncoder } from '../src/models/encoder';

const BACKEND = (process.env.BACKEND ?? 'wasm') as 'wasm' | 'tensorflow' | 'cpu';
await setBackend(BACKEND);
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
const agg = new Map<string, [number, number, number]>();
let depth = 0;
for (const k of tf.getKernelsForBackend(BACKEND)) {
  const f = k.kernelFunc;
  const name = k.kernelName;
  tf.unregisterKernel(name, BACKEND);
  const timed: KernelFunc = (args) => {
    depth++;
    const t0 = cpu();
    const w0 = performance.now();
    const r = f(args);
    const dt = cpu() - t0;
    const dw = performance.now() - w0;
    depth--;
    if (depth === 0) {
      const key = shapes.includes(name)
        ? `${name} ${Object.values(args.inputs).map((t) => `[${t!.shape}]`).join(' ')} ${JSON.stringify(args.attrs ?? {}).slice(0, 50)}`
        : name;
      const a = agg.get(key) ?? [0, 0, 0];
      a[0] += dt;
      a[1]++;
      a[2] += dw;
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
const w0 = performance.now();
mode();
const total = cpu() - c0;
const wall = performance.now() - w0;
const rows = [...agg].sort((a, b) => b[1][2] - a[1][2]);
const inKernels = rows.reduce((s, r) => s + r[1][0], 0);
const inKernelsWall = rows.reduce((s, r) => s + r[1][2], 0);
const calls = rows.reduce((s, r) => s + r[1][1], 0);
console.log(`${BACKEND}: step CPU ${total.toFixed(0)} ms / wall ${wall.toFixed(0)} ms; in kernels CPU ${inKernels.toFixed(0)} ms / wall ${inKernelsWall.toFixed(0)} ms in ${calls} calls (rest = engine/JS overhead)`);
for (const [k, [ms, n, w]] of rows.slice(0, Number(process.env.TOP ?? 20))) console.log(`  ${k.padEnd(22)} cpu ${ms.toFixed(1).padStart(7)} ms  wall ${w.toFixed(1).padStart(7)} ms x${n}`);
