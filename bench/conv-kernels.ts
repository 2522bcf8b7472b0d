/**
 * Conv1d kernel micro-benchmark on the wasm backend: forward, input gradient (dX) and weight
 * gradient (dW) of typical encoder layers, ms and GFLOP/s (best of 3, wall clock); then the
 * batch-norm-shaped element-wise ops (CPU ms per call).
 *
 * `npx tsx bench/conv-kernels.ts`        wasm + beat-ssl kernels + native addon (when built)
 * `npx tsx bench/conv-kernels.ts off`    wasm + beat-ssl wasm kernels only (portable path)
 */
import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../src/backend/setBackend';

const native = process.argv[2] !== 'off';
console.log(JSON.stringify((await setBackend('wasm', { native })).native));
const time = (f: () => tf.Tensor, reps = 3) => {
  let best = Infinity;
  for (let i = 0; i < reps + 1; i++) {
    const t0 = performance.now();
    const y = f();
    y.dataSync();
    y.dispose();
    if (i) best = Math.min(best, performance.now() - t0);
  }
  return best;
};
// [batch, width, cin, cout, kernel, stride]
const cases = [
  [32, 500, 64, 64, 7, 1],
  [32, 500, 64, 128, 9, 2],
  [32, 250, 128, 128, 5, 1],
  [32, 1000, 12, 48, 15, 1],
];
for (const [n, w, cin, cout, k, s] of cases) {
  const x = tf.randomNormal([n, 1, w, cin]) as tf.Tensor4D;
  const f = tf.randomNormal([1, k, cin, cout]) as tf.Tensor4D;
  const y = tf.conv2d(x, f, [1, s], 'same');
  const dy = tf.randomNormal(y.shape);
  const attrs = { strides: [1, s], pad: 'same', dataFormat: 'NHWC' } as unknown as tf.NamedTensorMap;
  const fwd = time(() => tf.conv2d(x, f, [1, s], 'same'));
  const dx = time(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...attrs, inputShape: x.shape } as never) as tf.Tensor);
  const dw = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: f.shape } as never) as tf.Tensor);
  const gf = (2 * n * y.shape[2] * k * cin * cout) / 1e9;
  const rate = (ms: number) => ((gf / ms) * 1e3).toFixed(0);
  console.log(`${cin}->${cout} k${k} s${s} w${w}: fwd ${fwd.toFixed(1)} ms (${rate(fwd)} GF/s), dX ${dx.toFixed(1)} (${rate(dx)}), dW ${dw.toFixed(1)} (${rate(dw)})`);
  tf.dispose([x, f, y, dy]);
}

// Batch-norm-shaped element-wise ops (CPU ms per call, 1M elements, after warm-up).
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const full = tf.randomNormal([32, 500, 64]);
const vec = tf.randomNormal([1, 1, 64]);
const ops: [string, () => tf.Tensor][] = [
  ['mul [1,1,64]·[32,500,64]', () => tf.mul(vec, full)],
  ['sub [32,500,64]−[1,1,64]', () => tf.sub(full, vec)],
  ['sum over [0,1]', () => tf.sum(full, [0, 1])],
  ['batchNorm', () => tf.batchNorm(full, tf.reshape(vec, [64]), tf.abs(tf.reshape(vec, [64])))],
];
for (const [name, f] of ops) {
  for (let i = 0; i < 5; i++) tf.dispose(tf.tidy(f));
  const t0 = cpuMs();
  for (let i = 0; i < 30; i++) tf.dispose(tf.tidy(f));
  console.log(`${name}: ${((cpuMs() - t0) / 30).toFixed(2)} ms CPU`);
}
tf.dispose([full, vec]);
