import { createRng } from '../../src/core/rng';
import type { PrecomputedRecord } from '../../src/train/precomputed';

/** Tiny synthetic 12-lead "ECGs": a spike train with per-record rate and amplitude, plus noise. */
export function syntheticRecords(n: number, T = 128, fs = 100, seed = 1): PrecomputedRecord[] {
  const rng = createRng(seed);
  const out: PrecomputedRecord[] = [];
  for (let i = 0; i < n; i++) {
    const rr = 30 + rng.int(20);
    const amp = 0.5 + rng.next();
    const peaks: number[] = [];
    for (let p = 5 + rng.int(20); p < T; p += rr) peaks.push(p);
    const signals = new Float32Array(T * 12);
    for (let t = 0; t < T; t++) {
      for (let l = 0; l < 12; l++) signals[t * 12 + l] = 0.05 * rng.normal();
    }
    for (const p of peaks) {
      for (let d = -3; d <= 3; d++) {
        const t = p + d;
        if (t < 0 || t >= T) continue;
        for (let l = 0; l < 12; l++) signals[t * 12 + l] += amp * (1 - Math.abs(d) / 4) * (l % 3 === 0 ? -1 : 1);
      }
    }
    const nb = peaks.length;
    const beatFeatures = new Float32Array(nb * 2);
    const beatClasses = new Int8Array(nb);
    for (let k = 0; k < nb; k++) {
      beatFeatures[k * 2] = amp + 0.1 * rng.normal();
      beatFeatures[k * 2 + 1] = rr + rng.normal();
      beatClasses[k] = rng.bernoulli(0.2) ? 2 : 0;
    }
    out.push({ name: `syn${i}`, fs, leads: 12, signals, rPeaks: Int32Array.from(peaks), recordFeatures: Float32Array.of(6000 / rr, amp, rng.normal()), beatFeatures, beatClasses });
  }
  return out;
}
