/**
 * The block-causal R-peak detection engine shared by `detectRPeaks` (offline: push everything,
 * then flush) and `createRPeakStream` (push chunks as they arrive). One code path, so both give the
 * same peaks.
 *
 * Pipeline per lead (all lengths in seconds, converted with `fs`, so any rate works):
 *  1. NaN / ±Infinity samples are replaced by the last finite sample of that lead (0 before the first).
 *  2. QRS band-pass: a moving average over `smoothSec` followed by a difference over `diffSec`
 *     (≈ 8–40 Hz pass band; null at 1/smoothSec, i.e. 50 Hz mains for 20 ms), squared.
 *  3. Moving-window integration over `integrationSec` → the lead's QRS energy `g`.
 * Leads are combined by a weighted power mean (p = 0.5, so a peak must show in the well-weighted
 * leads, not only in one) of `g / scale`, where `scale` tracks the lead's median QRS energy at
 * recent beats. Weights = slow quality (1 / (largest normalised energy between beats + 0.05)²) ×
 * an instant activity penalty (1 / max(mean normalised energy over the last 0.5 s + 0.1, 0.2)⁴) ×
 * a flatness factor (a / (a + 0.02), a = mean normalised energy over the last 2 s), so leads that
 * are flat, saturated, or noisy right now get little or no weight.
 * Detection on the combined energy: local maxima confirmed `confirmSec` after they occur (a second,
 * separate peak inside that delay — fast rhythms — is kept as the next candidate), adaptive
 * signal/noise levels (running medians of 8) with a threshold `thresholdFraction` of the way between,
 * a refractory period, a stricter threshold for very early candidates (< 0.6 × mean RR), a T-wave
 * test (a candidate within max(0.36 s, 0.5 × mean RR) of a beat with less than half its slope is a
 * T wave), and search-back for a missed beat when no beat came for `searchBackFactor` × the mean RR.
 * Each beat is refined to the largest deviation from the local baseline (either polarity) of the raw
 * signal of the first lead of adequate weight, within ±80 ms of the delay-compensated energy peak.
 * @internal
 * @module
 */
import { medianOf as median } from './median';

export interface RPeakEngineOptions {
  smoothSec: number;
  diffSec: number;
  integrationSec: number;
  confirmSec: number;
  refractorySec: number;
  tWaveSec: number;
  learningSec: number;
  searchBackFactor: number;
  thresholdFraction: number;
  refine: boolean;
  /** 2: squared slope (Pan–Tompkins), 1: absolute slope. */
  power: number;
  /** exponent of the lead quality (1 / normalised noise level) in the lead weights */
  qualityPower: number;
  /** window of the per-lead activity (mean normalised energy) that down-weights a lead at once when it turns noisy */
  activitySec: number;
  activityPower: number;
  earlyFraction: number;
  earlyLevel: number;
  /** the T-wave test also applies up to this fraction of the mean RR after a beat */
  tWaveRRFraction: number;
  /** power mean used to combine the normalised lead energies (1 = weighted mean; smaller values need agreement between leads) */
  combinePower: number;
}

export const DEFAULT_ENGINE_OPTIONS: RPeakEngineOptions = {
  smoothSec: 0.02,
  diffSec: 0.02,
  integrationSec: 0.1,
  confirmSec: 0.25,
  refractorySec: 0.2,
  tWaveSec: 0.36,
  learningSec: 2,
  searchBackFactor: 1.66,
  thresholdFraction: 0.4,
  refine: true,
  power: 1,
  qualityPower: 2,
  activitySec: 0.5,
  activityPower: 4,
  earlyFraction: 0.6,
  earlyLevel: 0.5,
  tWaveRRFraction: 0.5,
  combinePower: 0.5,
};

interface Candidate {
  /** sample index of the combined-energy peak */
  idx: number;
  /** combined energy at the peak */
  val: number;
  /** max combined slope energy in the integration window before the peak */
  slope: number;
  /** refined R-peak sample index */
  peak: number;
  /** per-lead normalised energies at the peak (for the lead scales) */
  leadVals: Float64Array;
}

const HISTORY = 8;
/** A held candidate is dropped when a peak this many times larger follows within the confirmation delay. */
const HELD_RATIO = 1.2;

export class RPeakEngine {
  readonly fs: number;
  readonly nLeads: number;
  private readonly o: RPeakEngineOptions;
  // lengths in samples
  private readonly L: number;
  private readonly M: number;
  private readonly W: number;
  private readonly D: number;
  private readonly refractory: number;
  private readonly tWave: number;
  private readonly learnLen: number;
  private readonly refineBack: number;
  private readonly refineFwd: number;
  // ring buffers
  private readonly R: number;
  private readonly raw: Float64Array[];
  private readonly sm: Float64Array[];
  private readonly en: Float64Array[];
  private readonly g: Float64Array[];
  private readonly fBuf: Float64Array;
  private readonly eBuf: Float64Array;
  private readonly sumL: Float64Array;
  private readonly sumW: Float64Array;
  private readonly sumA: Float64Array;
  private readonly A: number;
  private readonly sumA2: Float64Array;
  private readonly A2: number;
  private readonly last: Float64Array;
  /** next sample index to be filtered (stage 1) */
  private n = 0;
  /** next sample index to be detected on (stage 2) */
  private n2 = 0;
  private learning = true;
  // lead normalisation
  readonly scale: Float64Array;
  readonly weight: Float64Array;
  private readonly wNow: Float64Array;
  private readonly leadPeaks: number[][];
  readonly leadNoise: number[][];
  // detection state
  private candIdx = -1;
  private candVal = -Infinity;
  private candValid = false;
  private dipMin = Infinity;
  private heldIdx = -1;
  private heldVal = 0;
  private secondIdx = -1;
  private secondVal = 0;
  private spk: number[] = [];
  private npk: number[] = [];
  private spkInit = 0;
  private npkInit = 0;
  private rr: number[] = [];
  private lastBeatIdx = -Infinity;
  private lastBeatSlope = 0;
  private lastEmitted = -1;
  private searchFrom = -Infinity;
  private pending: Candidate[] = [];
  private out: number[] = [];

  constructor(fs: number, nLeads: number, opts: Partial<RPeakEngineOptions> = {}) {
    this.fs = fs;
    this.nLeads = nLeads;
    const o = { ...DEFAULT_ENGINE_OPTIONS, ...opts };
    this.o = o;
    const n = (sec: number) => Math.max(1, Math.round(sec * fs));
    this.L = n(o.smoothSec);
    this.M = n(o.diffSec);
    this.W = n(o.integrationSec);
    this.D = n(o.confirmSec);
    this.refractory = n(o.refractorySec);
    this.tWave = n(o.tWaveSec);
    this.learnLen = n(o.learningSec);
    this.A = n(o.activitySec);
    this.A2 = n(2);
    // R peak lies before the energy peak by roughly the filter delays
    const delay = Math.round((this.W + this.M + this.L) / 2);
    this.refineBack = delay + n(0.08);
    this.refineFwd = Math.max(0, n(0.08) - delay);
    this.R = Math.max(this.learnLen, this.A, this.A2) + this.D + this.refineBack + this.refineFwd + n(0.5);
    const mk = () => Array.from({ length: nLeads }, () => new Float64Array(this.R));
    this.raw = mk();
    this.sm = mk();
    this.en = mk();
    this.g = mk();
    this.fBuf = new Float64Array(this.R);
    this.eBuf = new Float64Array(this.R);
    this.sumL = new Float64Array(nLeads);
    this.sumW = new Float64Array(nLeads);
    this.sumA = new Float64Array(nLeads);
    this.sumA2 = new Float64Array(nLeads);
    this.last = new Float64Array(nLeads);
    this.scale = new Float64Array(nLeads).fill(1);
    this.weight = new Float64Array(nLeads).fill(nLeads ? 1 / nLeads : 0);
    this.wNow = new Float64Array(nLeads);
    this.leadPeaks = Array.from({ length: nLeads }, () => []);
    this.leadNoise = Array.from({ length: nLeads }, () => []);
  }

  /** Upper bound of the delay between an R peak and its report (s), search-back beats excepted. */
  get latencySec(): number {
    return (this.D + this.refineBack + 1) / this.fs;
  }

  /** Number of samples consumed so far. */
  get samples(): number {
    return this.n;
  }

  /** Feeds `len` samples of every lead; returns the newly confirmed peaks (global sample indices). */
  push(leads: ArrayLike<number>[], len: number): number[] {
    for (let i = 0; i < len; i++) {
      this.filterSample(leads, i);
      if (this.learning) {
        if (this.n >= this.learnLen) this.endLearning();
      } else {
        this.detectSample();
      }
    }
    return this.take();
  }

  /** Ends the input: decides on the last candidate and searches back once more. */
  flush(): number[] {
    if (this.learning) this.endLearning();
    this.releaseHeld();
    if (this.candValid) {
      this.classify(this.candIdx, this.candVal);
      this.candValid = false;
    }
    this.searchBack(this.n - 1, true);
    return this.take();
  }

  private take(): number[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  private filterSample(leads: ArrayLike<number>[], i: number): void {
    const { R, L, M, W } = this;
    const n = this.n;
    const k = n % R;
    for (let j = 0; j < this.nLeads; j++) {
      let x = leads[j][i];
      if (!Number.isFinite(x)) x = this.last[j];
      else this.last[j] = x;
      const raw = this.raw[j];
      raw[k] = x;
      this.sumL[j] += x - (n >= L ? raw[(n - L) % R] : 0);
      const s = this.sumL[j] / Math.min(n + 1, L);
      const sm = this.sm[j];
      sm[k] = s;
      const d = n >= M ? s - sm[(n - M) % R] : 0;
      const e = this.o.power === 2 ? d * d : Math.abs(d);
      const en = this.en[j];
      en[k] = e;
      this.sumW[j] += e - (n >= W ? en[(n - W) % R] : 0);
      const gv = Math.max(0, this.sumW[j]) / W;
      this.g[j][k] = gv;
      this.sumA[j] += gv - (n >= this.A ? this.g[j][(n - this.A) % R] : 0);
      this.sumA2[j] += gv - (n >= this.A2 ? this.g[j][(n - this.A2) % R] : 0);
    }
    this.n = n + 1;
  }

  /** Combined (normalised, weighted) energy and slope energy at sample `n2`, then detection. */
  private detectSample(): void {
    const n = this.n2;
    const k = n % this.R;
    let f = 0;
    let e = 0;
    if (this.nLeads === 1) {
      f = this.g[0][k] / this.scale[0];
      e = this.en[0][k] / this.scale[0];
    } else {
      // slow quality weights × instant activity penalty (a lead that suddenly carries much more
      // energy than its beats explain is noisy right now)
      let wsum = 0;
      for (let j = 0; j < this.nLeads; j++) {
        const w0 = this.weight[j];
        if (w0 === 0) {
          this.wNow[j] = 0;
          continue;
        }
        const act = this.sumA[j] / this.A / this.scale[j];
        const a = Math.max(act + 0.1, 0.2);
        // and a lead that went (almost) flat over the last 2 s (lead off, saturation) fades out
        const act2 = Math.max(0, this.sumA2[j]) / this.A2 / this.scale[j];
        const flat = act2 / (act2 + 0.02);
        const w = (flat * (this.o.activityPower === 4 ? w0 / (a * a * (a * a)) : w0 / a ** this.o.activityPower));
        this.wNow[j] = w;
        wsum += w;
      }
      if (wsum > 0) {
        const p = this.o.combinePower;
        for (let j = 0; j < this.nLeads; j++) {
          const w = this.wNow[j];
          if (w === 0) continue;
          const wn = w / wsum;
          const inv = 1 / this.scale[j];
          if (p === 1) {
            f += wn * this.g[j][k] * inv;
            e += wn * this.en[j][k] * inv;
          } else if (p === 0.5) {
            f += wn * Math.sqrt(this.g[j][k] * inv);
            e += wn * Math.sqrt(this.en[j][k] * inv);
          } else {
            f += wn * (this.g[j][k] * inv) ** p;
            e += wn * (this.en[j][k] * inv) ** p;
          }
        }
        if (p === 0.5) {
          f *= f;
          e *= e;
        } else if (p !== 1) {
          f = f ** (1 / p);
          e = e ** (1 / p);
        }
      }
    }
    this.fBuf[k] = f;
    this.eBuf[k] = e;
    if (f > this.candVal) {
      // A new, separate maximum (after a clear dip) while the current candidate is above threshold
      // and QRS-like: hold the current one; it is dropped only if the new one becomes much larger
      // within the confirmation delay (then it was a P wave or an artefact).
      if (this.candValid && this.heldIdx < 0 && n - this.candIdx >= this.W && this.dipMin < 0.5 * this.candVal && this.candVal > this.threshold() && this.slopeAt(this.candIdx) >= 0.5 * this.lastBeatSlope) {
        this.heldIdx = this.candIdx;
        this.heldVal = this.candVal;
      }
      this.candIdx = n;
      this.candVal = f;
      this.candValid = true;
      this.dipMin = f;
      this.secondIdx = -1;
      this.secondVal = 0;
    } else if (!this.candValid) {
      this.candVal = f;
    } else {
      if (f < this.dipMin) this.dipMin = f;
      // a second peak after a clear dip (e.g. the next beat of a fast rhythm) that stays below the candidate
      if (this.dipMin < 0.5 * this.candVal && f > this.secondVal && n - this.candIdx >= this.W) {
        this.secondIdx = n;
        this.secondVal = f;
      }
    }
    if (this.heldIdx >= 0) {
      if (this.candValid && this.candVal > HELD_RATIO * this.heldVal) this.heldIdx = -1;
      else if (n - this.heldIdx >= this.D) this.releaseHeld();
    }
    // confirm a maximum once nothing higher came for D samples
    if (this.candValid && n - this.candIdx >= this.D) {
      this.releaseHeld();
      this.classify(this.candIdx, this.candVal);
      if (this.secondIdx >= 0 && this.secondVal > 0.5 * this.candVal) {
        // continue with the second peak as the new candidate
        this.candIdx = this.secondIdx;
        this.candVal = this.secondVal;
        this.dipMin = f;
      } else {
        this.candValid = false;
        this.candVal = f;
      }
      this.secondIdx = -1;
      this.secondVal = 0;
    }
    this.searchBack(n, false);
    this.n2 = n + 1;
  }

  /** Max combined slope energy over the integration window ending at `idx`. */
  private slopeAt(idx: number): number {
    let slope = 0;
    for (let i = Math.max(0, idx - this.W); i <= idx; i++) slope = Math.max(slope, this.eBuf[i % this.R]);
    return slope;
  }

  private releaseHeld(): void {
    if (this.heldIdx < 0) return;
    const idx = this.heldIdx;
    this.heldIdx = -1;
    this.classify(idx, this.heldVal);
  }

  private endLearning(): void {
    this.learning = false;
    const len = this.n;
    if (len === 0) return;
    const { R } = this;
    // per-lead scale: a high quantile of the energy over the learning span
    const scales: number[] = [];
    for (let j = 0; j < this.nLeads; j++) {
      let mx = 0;
      for (let i = 0; i < len; i++) mx = Math.max(mx, this.g[j][i % R]);
      scales.push(mx);
    }
    this.setScales(scales);
    // initial signal / noise levels on the combined energy
    let mx = 0;
    let mean = 0;
    for (let i = 0; i < len; i++) {
      const k = i % R;
      let f = 0;
      for (let j = 0; j < this.nLeads; j++) if (this.weight[j] > 0) f += (this.g[j][k] * this.weight[j]) / this.scale[j];
      mx = Math.max(mx, f);
      mean += f;
    }
    mean /= len;
    this.spkInit = 0.5 * mx;
    this.npkInit = 0.5 * mean;
    for (let i = 0; i < len; i++) this.detectSample();
  }

  /** Sets lead scales and weights; leads with (almost) no QRS energy get weight 0. */
  private setScales(scales: number[]): void {
    const mx = Math.max(0, ...scales.filter((s) => Number.isFinite(s)));
    let wsum = 0;
    for (let j = 0; j < this.nLeads; j++) {
      const s = scales[j];
      const ok = this.nLeads === 1 ? s > 0 : s > 1e-4 * mx && s > 1e-12;
      this.scale[j] = ok ? s : 1;
      let q = 0;
      if (ok) {
        const ln = this.leadNoise[j];
        // react quickly to a lead becoming noisy, slowly to it becoming clean
        const noise = Math.max(median(ln), median(ln.slice(-3)));
        // quality: ratio of beat energy to the noise peaks' energy (both normalised by the scale)
        q = Number.isFinite(noise) ? 1 / (Math.max(0, noise) + 0.05) ** this.o.qualityPower : 1;
      }
      this.weight[j] = q;
      wsum += q;
    }
    if (wsum > 0) for (let j = 0; j < this.nLeads; j++) this.weight[j] /= wsum;
    else if (this.nLeads > 0) this.weight[0] = 1;
  }

  private get signalLevel(): number {
    return this.spk.length ? median(this.spk) : this.spkInit;
  }

  private get noiseLevel(): number {
    return this.npk.length ? median(this.npk) : this.npkInit;
  }

  private threshold(): number {
    const s = this.signalLevel;
    const nz = this.noiseLevel;
    return nz + this.o.thresholdFraction * Math.max(0, s - nz);
  }

  private rrMean = 0;

  private meanRR(): number {
    return this.rr.length === 0 ? this.fs : this.rrMean; // 1 s before any interval is known
  }

  private makeCandidate(idx: number, val: number): Candidate {
    const { R, W } = this;
    const slope = this.slopeAt(idx);
    const leadVals = new Float64Array(this.nLeads);
    let wMax = 0;
    for (let j = 0; j < this.nLeads; j++) {
      leadVals[j] = this.g[j][idx % R] / this.scale[j];
      wMax = Math.max(wMax, this.weight[j]);
    }
    // refine on the first lead of adequate quality (stable timing across beats)
    let best = 0;
    while (best < this.nLeads - 1 && this.weight[best] < 0.25 * wMax) best++;
    return { idx, val, slope, leadVals, peak: this.o.refine ? this.refine(idx, best) : this.delayCompensated(idx) };
  }

  private delayCompensated(idx: number): number {
    return Math.max(0, idx - Math.round((this.W + this.M + this.L) / 2));
  }

  /** Largest deviation from the window's baseline (either polarity) of the raw lead near the energy peak. */
  private refine(idx: number, lead: number): number {
    const { R } = this;
    const raw = this.raw[lead];
    const a = Math.max(0, idx - this.refineBack, this.n - R + 1);
    const b = Math.min(this.n - 1, idx + this.refineFwd);
    if (b < a) return this.delayCompensated(idx);
    // baseline: mean of the first and last 10% of the window
    const edge = Math.max(1, Math.round((b - a + 1) * 0.1));
    let base = 0;
    for (let i = 0; i < edge; i++) base += raw[(a + i) % R] + raw[(b - i) % R];
    base /= 2 * edge;
    let best = a;
    let bestV = -1;
    for (let i = a; i <= b; i++) {
      const v = Math.abs(raw[i % R] - base);
      if (v > bestV) {
        bestV = v;
        best = i;
      }
    }
    return best;
  }

  private classify(idx: number, val: number): void {
    const c = this.makeCandidate(idx, val);
    const rrNow = idx - this.lastBeatIdx;
    if (rrNow < this.refractory) return; // inside the refractory period of the last beat: ignore
    let thr = this.threshold();
    // an early candidate (much shorter RR than usual) must look like a real beat: premature beats
    // carry at least a good part of the usual QRS energy, noise spikes usually do not
    if (this.rr.length >= 4 && rrNow < this.o.earlyFraction * this.meanRR()) thr = Math.max(thr, this.o.earlyLevel * this.signalLevel);
    if (val > thr && !this.isTWave(c, rrNow)) {
      this.acceptBeat(c, false);
    } else {
      this.addNoise(c);
      this.pending.push(c);
      // bounded memory: keep only candidates that a search-back could still use
      const horizon = idx - Math.max(4 * this.meanRR(), 4 * this.fs);
      while (this.pending.length && this.pending[0].idx < horizon) this.pending.shift();
    }
  }

  private isTWave(c: Candidate, rrNow: number): boolean {
    return rrNow < Math.max(this.tWave, this.o.tWaveRRFraction * this.meanRR()) && this.lastBeatSlope > 0 && c.slope < (this.o.power === 2 ? 0.25 : 0.5) * this.lastBeatSlope;
  }

  private addNoise(c: Candidate): void {
    this.npk.push(c.val);
    if (this.npk.length > HISTORY) this.npk.shift();
  }

  private acceptBeat(c: Candidate, fromSearchBack: boolean): void {
    if (this.nLeads > 1 && Number.isFinite(this.lastBeatIdx)) {
      // lead noise: the largest normalised energy between the previous beat and this one
      const guard = this.W + this.refractory / 2;
      const a = Math.max(this.lastBeatIdx + guard, this.n - this.R + 1);
      const b = c.idx - guard;
      if (b > a) {
        for (let j = 0; j < this.nLeads; j++) {
          const gj = this.g[j];
          let mx = 0;
          for (let i = a; i <= b; i++) mx = Math.max(mx, gj[i % this.R]);
          const ln = this.leadNoise[j];
          ln.push(mx / this.scale[j]);
          if (ln.length > HISTORY) ln.shift();
        }
      }
    }
    if (Number.isFinite(this.lastBeatIdx)) {
      const rr = c.idx - this.lastBeatIdx;
      this.rr.push(rr);
      if (this.rr.length > HISTORY) this.rr.shift();
      let sum = 0;
      for (const v of this.rr) sum += v;
      this.rrMean = sum / this.rr.length;
    }
    this.lastBeatIdx = c.idx;
    this.lastBeatSlope = c.slope;
    this.spk.push(fromSearchBack ? Math.max(c.val, this.signalLevel * 0.5) : c.val);
    if (this.spk.length > HISTORY) this.spk.shift();
    this.pending = [];
    this.searchFrom = -Infinity;
    // lead scales follow the beats
    if (this.nLeads > 1) {
      const scales: number[] = [];
      for (let j = 0; j < this.nLeads; j++) {
        const lp = this.leadPeaks[j];
        lp.push(c.leadVals[j] * this.scale[j]);
        if (lp.length > HISTORY) lp.shift();
        scales.push(median(lp));
      }
      if (this.leadPeaks[0].length >= 3) this.setScales(scales);
    }
    if (c.peak > this.lastEmitted) {
      this.out.push(c.peak);
      this.lastEmitted = c.peak;
    }
  }

  private searchBack(now: number, final: boolean): void {
    const ref = Math.max(this.lastBeatIdx, this.searchFrom, 0);
    if (now - ref < this.o.searchBackFactor * this.meanRR()) return;
    if (this.pending.length === 0) {
      if (!final) this.searchFrom = now;
      return;
    }
    const thr2 = 0.5 * this.threshold();
    let best: Candidate | null = null;
    for (const c of this.pending) {
      if (c.idx - this.lastBeatIdx < this.refractory) continue;
      if (c.val > thr2 && !this.isTWave(c, c.idx - this.lastBeatIdx) && (!best || c.val > best.val)) best = c;
    }
    if (best) {
      const rest = this.pending.filter((c) => c.idx > best!.idx);
      this.acceptBeat(best, true);
      this.pending = rest;
      // look again in what is left after the recovered beat
      if (rest.length) this.searchBack(now, final);
    } else {
      // nothing found: lower the signal level a little and wait another interval
      this.spk = this.spk.map((s) => 0.5 * (s + this.noiseLevel));
      this.spkInit = 0.5 * (this.spkInit + this.noiseLevel);
      this.searchFrom = now;
      this.pending = [];
    }
  }
}
