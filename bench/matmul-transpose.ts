/**
 * Checks the issue-8 finding "tf.matMul with transpose flags is much slower on wasm than an explicit
 * transpose first", on the weight-gradient shape of a conv1d layer (Pᵀ·dy, P = im2col [16000, 448]).
 * `npx tsx bench/matmul-transpose.ts` (CPU ms per call, median of 5).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

await tf.setBackend('wasm');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const time = (f: () => tf.Tensor) => {
  tf.dispose(f());
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = cpu();
    const y = f();
    y.dataSync();
    y.dispose();
    ms.push(cpu() - t0);
  }
  return ms.sort((a, b) => a - b)[2];
};
const p = tf.randomNormal([16000, 448]);
const dy = tf.randomNormal([16000, 64]);
const pt = tf.transpose(p);
const flag = time(() => tf.matMul(p, dy, true, false));
const explicit = time(() => tf.tidy(() => tf.matMul(tf.transpose(p), dy)));
const prebuilt = time(() => tf.matMul(pt, dy));
console.log(`matMul(P, dy, transposeA) ${flag.toFixed(1)} ms; transpose(P) then matMul ${explicit.toFixed(1)} ms; Pᵀ already laid out ${prebuilt.toFixed(1)} ms`);
tf.dispose([p, dy, pt]);
