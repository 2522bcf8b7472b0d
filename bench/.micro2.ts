import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../src/backend/setBackend';
const native = process.argv[2] !== 'off';
console.log(JSON.stringify((await setBackend('wasm', { native })).native));
const time = (f: () => tf.Tensor, reps = 3) => { let best = 1e9; for (let i = 0; i < reps + 1; i++) { const t0 = performance.now(); const y = f(); y.dataSync(); y.dispose(); const dt = performance.now() - t0; if (i) best = Math.min(best, dt); } return best; };
const cases = [[32, 500, 64, 64, 7, 1], [32, 500, 64, 128, 9, 2], [32, 250, 128, 128, 5, 1], [32, 1000, 12, 48, 15, 1]];
for (const [n, w, cin, cout, k, s] of cases) {
  const x = tf.randomNormal([n, 1, w, cin]); const f = tf.randomNormal([1, k, cin, cout]);
  const y = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, [1, s], 'same');
  const dy = tf.randomNormal(y.shape);
  const fwd = time(() => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, [1, s], 'same'));
  const dx = time(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { strides: [1, s], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: x.shape }) as tf.Tensor);
  const dw = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, s], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: f.shape }) as tf.Tensor);
  const gf = 2 * n * y.shape[2] * k * cin * cout / 1e9;
  console.log(`${cin}->${cout} k${k} s${s} w${w}: fwd ${fwd.toFixed(1)} ms (${(gf / fwd * 1e3).toFixed(0)} GF/s), dX ${dx.toFixed(1)} (${(gf / dx * 1e3).toFixed(0)}), dW ${dw.toFixed(1)} (${(gf / dw * 1e3).toFixed(0)})`);
  tf.dispose([x, f, y, dy]);
}
