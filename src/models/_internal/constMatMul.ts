/**
 * `A · x` for a constant matrix `A` with a custom gradient `dx = Aᵀ · dy` computed from an explicit
 * transpose: tfjs's own matMul gradient uses transpose flags, which are ~15× slower on the wasm
 * backend than transposing first (DESIGN §4).
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

/**
 * @param a constant `[m, k]` or batched `[b, m, k]` (no gradient flows into it)
 * @param x `[k, n]` or `[b, k, n]`
 * @param aT optional precomputed transpose of `a` (`[k, m]` / `[b, k, m]`)
 * @returns `a · x`
 */
export function constMatMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, x: T, aT?: T): T {
  const f = tf.customGrad(((xv: tf.Tensor, save: tf.GradSaveFunc) => {
    save([aT ?? a]); // kept by the engine until the backward pass (survives the caller's tidy)
    return {
      value: tf.matMul(a, xv as T),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const s = saved[0];
        const t = aT ? s : s.rank === 2 ? tf.transpose(s) : tf.transpose(s, [0, 2, 1]);
        return tf.matMul(t as T, dy as T);
      },
    };
  }) as unknown as CustomGradFn);
  return f(x) as T;
}
