import { describe, expect, it } from 'vitest';
import { labelsToWaves, wavesToNativeRate } from '../../src/heads/waves';

/** `[T × 4]` probabilities with class `c` having probability p[t] and "none" the rest. */
function probsFor(c: number, p: number[]): Float32Array {
  const out = new Float32Array(p.length * 4);
  p.forEach((v, t) => {
    out[t * 4 + c] = v;
    out[t * 4] = 1 - v;
  });
  return out;
}

describe('wavesToNativeRate', () => {
  it('places boundaries where the probability margin crosses zero, at the native rate', () => {
    // QRS probability rises 0.2 → 0.8 between working samples 2 and 3 (margin −0.6 → +0.6: crossing at 2.5)
    // and falls 0.8 → 0.4 between 5 and 6 (margin +0.6 → −0.2: crossing at 5.75)
    const p = [0, 0, 0.2, 0.8, 0.9, 0.8, 0.4, 0, 0, 0];
    const probs = probsFor(2, p);
    const labels = p.map((v) => (v > 0.5 ? 2 : 0));
    const working = labelsToWaves(labels, 100, { minDurationSec: { QRS: 0 } });
    expect(working).toEqual([{ type: 'QRS', onset: 3, offset: 5 }]);
    const native = wavesToNativeRate(working, probs, 4, p.length, 5, 50);
    expect(native).toEqual([{ type: 'QRS', onset: Math.ceil(2.5 * 5), offset: Math.floor(5.75 * 5) }]);
  });

  it('falls back to half a sample outside the run when there is no crossing, and clamps to the record', () => {
    const p = [0.9, 0.9, 0.9, 0, 0];
    const native = wavesToNativeRate([{ type: 'P', onset: 0, offset: 2 }], probsFor(1, p), 4, p.length, 5, 12);
    // onset −0.5 → clamped to 0; offset crossing between 2 (margin 0.8) and 3 (−1): 2 + 0.8/1.8 → ×5 = 12.2 → clamped to 11
    expect(native).toEqual([{ type: 'P', onset: 0, offset: 11 }]);
  });
});
