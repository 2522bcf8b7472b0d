// Synthetic ECG for the beats tests: sums of Gaussian waves per beat (P, Q, R, S, T), seeded noise.
import { createRng } from '../../src/core/rng';

export interface SynthBeat {
  /** R-peak time, s */
  t: number;
  /** 'N' normal, 'V' wide premature ventricular, 'P' paced (spike + wide QRS) */
  kind?: 'N' | 'V' | 'P';
  amp?: number;
}

export interface SynthOptions {
  fs: number;
  durationSec: number;
  beats: SynthBeat[];
  noiseSd?: number;
  seed?: number;
  polarity?: 1 | -1;
  /** baseline wander amplitude (mV) at 0.3 Hz plus a linear drift of the same size */
  wander?: number;
}

const g = (x: number, mu: number, sd: number) => Math.exp(-0.5 * ((x - mu) / sd) ** 2);

/** Synthetic single-lead ECG (mV) and the true R-peak sample indices. */
export function synthEcg(o: SynthOptions): { signal: Float32Array; rPeaks: number[] } {
  const n = Math.round(o.durationSec * o.fs);
  const x = new Float32Array(n);
  const rng = createRng(o.seed ?? 1);
  const pol = o.polarity ?? 1;
  const rPeaks: number[] = [];
  for (const b of o.beats) {
    const a = (b.amp ?? 1) * pol;
    const kind = b.kind ?? 'N';
    const c = Math.round(b.t * o.fs);
    if (c < 0 || c >= n) continue;
    rPeaks.push(c);
    const lo = Math.max(0, Math.round((b.t - 0.4) * o.fs));
    const hi = Math.min(n - 1, Math.round((b.t + 0.6) * o.fs));
    for (let i = lo; i <= hi; i++) {
      const t = i / o.fs - c / o.fs; // relative to the R sample exactly
      let v = 0;
      if (kind === 'N') {
        v = 0.15 * g(t, -0.18, 0.025) - 0.1 * g(t, -0.025, 0.008) + 1.0 * g(t, 0, 0.01) - 0.25 * g(t, 0.028, 0.01) + 0.3 * g(t, 0.28, 0.05);
      } else if (kind === 'V') {
        v = 1.6 * g(t, 0, 0.03) - 0.5 * g(t, 0.07, 0.03) - 0.45 * g(t, 0.3, 0.06);
      } else {
        v = 1.2 * g(t, 0, 0.028) - 0.3 * g(t, 0.3, 0.06);
        if (Math.abs(t + 0.06) < 0.0021) v += 2; // pacing spike ~2–4 ms before a wide QRS
      }
      x[i] += a * v;
    }
  }
  const w = o.wander ?? 0;
  for (let i = 0; i < n; i++) {
    const t = i / o.fs;
    x[i] += w * Math.sin(2 * Math.PI * 0.3 * t) + (w * t) / o.durationSec + (o.noiseSd ? rng.normal(0, o.noiseSd) : 0);
  }
  return { signal: x, rPeaks };
}

/** Beats at a constant rate from `startSec`. */
export function regularBeats(bpm: number, durationSec: number, startSec = 0.4, kind: SynthBeat['kind'] = 'N'): SynthBeat[] {
  const out: SynthBeat[] = [];
  for (let t = startSec; t < durationSec - 0.3; t += 60 / bpm) out.push({ t, kind });
  return out;
}
