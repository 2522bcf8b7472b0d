/**
 * Record-level ECG feature vector: {@link ecgFeatures}.
 * @module
 */
import type { EcgRecord, LeadName, Wave } from '../core/types';
import { CANONICAL_LEADS, normalizeLeadName } from '../core/leads';
import { cleanLead, medianOf } from './_internal/prep';
import { hrvTime } from './hrv';
import { checkPeaks } from './_internal/rpeakOptions';
import { pairBeatWaves, wavesToIntervals } from './intervals';
import { checkWaves } from '../core/_internal/waves';
import { checkEcgRecord } from '../core/_internal/record';

/** Names of the record features, in vector order. */
export const ECG_FEATURE_NAMES = [
  'hr_bpm',
  'rr_mean_ms',
  'rr_sd_ms',
  'rmssd_ms',
  'pnn50',
  'qrs_ms',
  'pr_ms',
  'p_ms',
  'qt_ms',
  'qtc_ms',
  'axis_deg',
  'r_amp_limb_mv',
  's_amp_limb_mv',
  'r_amp_v12_mv',
  's_amp_v12_mv',
  'r_amp_v34_mv',
  's_amp_v34_mv',
  'r_amp_v56_mv',
  's_amp_v56_mv',
  'p_amp_mv',
  't_amp_mv',
  'st_mv',
] as const;
/** Name of a record feature. */
export type EcgFeatureName = (typeof ECG_FEATURE_NAMES)[number];

/**
 * Fill values used when a feature cannot be measured (typical adult resting values, so a missing
 * measurement looks "normal" rather than extreme). The `valid` mask of the result says which ones
 * were measured.
 */
export const ECG_FEATURE_DEFAULTS: Readonly<Record<EcgFeatureName, number>> = {
  hr_bpm: 70,
  rr_mean_ms: 857,
  rr_sd_ms: 0,
  rmssd_ms: 0,
  pnn50: 0,
  qrs_ms: 95,
  pr_ms: 160,
  p_ms: 100,
  qt_ms: 390,
  qtc_ms: 410,
  axis_deg: 45,
  r_amp_limb_mv: 0,
  s_amp_limb_mv: 0,
  r_amp_v12_mv: 0,
  s_amp_v12_mv: 0,
  r_amp_v34_mv: 0,
  s_amp_v34_mv: 0,
  r_amp_v56_mv: 0,
  s_amp_v56_mv: 0,
  p_amp_mv: 0,
  t_amp_mv: 0,
  st_mv: 0,
};

/** Result of {@link ecgFeatures}. */
export interface EcgFeatures {
  names: readonly EcgFeatureName[];
  /** One value per name, never `NaN` (unmeasurable → {@link ECG_FEATURE_DEFAULTS}). */
  values: Float64Array;
  /** 1 where the value was measured, 0 where the default was filled in. */
  valid: Uint8Array;
}

/** Lead groups of the amplitude features, as slices of the canonical order: limb leads, V1–V2, V3–V4, V5–V6. */
const GROUPS: Record<'limb' | 'v12' | 'v34' | 'v56', readonly LeadName[]> = {
  limb: CANONICAL_LEADS.slice(0, 6),
  v12: CANONICAL_LEADS.slice(6, 8),
  v34: CANONICAL_LEADS.slice(8, 10),
  v56: CANONICAL_LEADS.slice(10, 12),
};

/**
 * Computes a fixed, named feature vector of a record from its R peaks and delineated waves.
 *
 * Rhythm: heart rate, mean RR, RR SD, RMSSD, pNN50 (fraction of successive RR differences > 50 ms).
 * Intervals (medians over beats, ms): QRS, PR, P duration, QT and QTc exactly as `wavesToIntervals`
 * (`beat-ssl/beats` intervals: QT = T offset − QRS onset + 1 samples, QTc = Bazett with the median
 * RR), so they equal the intervals `segmentRecord` reports for the same waves. Frontal QRS axis (degrees) from the net QRS amplitude
 * (R − S) of leads I and aVF (aVF = II − I/2 when only I and II exist). Per lead group (limb: I, II,
 * III, aVR, aVL, aVF; V1–V2; V3–V4; V5–V6): median R amplitude (max above the PR baseline within
 * the QRS) and S amplitude (depth below it), averaged over the group's leads present. P and T
 * amplitudes (peak of each beat's paired P/T wave above the PR baseline) and the ST level (QRS
 * offset + 60 ms) in lead II (else the first lead).
 *
 * Leads are identified by name (`normalizeLeadName`: `MLII` counts as II). Fill policy: anything
 * that cannot be measured (no beats, no P waves, a lead group absent, …) gets the value of
 * {@link ECG_FEATURE_DEFAULTS} and `valid = 0`; the output never holds `NaN`.
 *
 * @param record the record (`signals` in mV, `fs`, `leads`)
 * @param rPeaks R-peak sample indices (e.g. `detectRPeaks`)
 * @param waves delineated waves (e.g. `delineateBeats`), sample indices at `record.fs`
 * @returns `{ names, values, valid }` in {@link ECG_FEATURE_NAMES} order
 * @throws if `record` is not an EcgRecord, its `fs` is invalid, or `rPeaks` are not increasing sample indices inside the record
 * @example
 * const peaks = detectRPeaks(rec.signals, rec.fs);
 * const f = ecgFeatures(rec, peaks, delineateBeats(rec.signals, rec.fs, peaks));
 * f.values[ECG_FEATURE_NAMES.indexOf('qtc_ms')];
 */
export function ecgFeatures(record: EcgRecord, rPeaks: ArrayLike<number>, waves: readonly Wave[]): EcgFeatures {
  const fn = 'ecgFeatures';
  checkPeaks(fn, rPeaks, checkEcgRecord(record, fn));
  const fs = record.fs;
  checkWaves(waves, fn);
  const ms = (s: number) => (s / fs) * 1000;
  const out: Partial<Record<EcgFeatureName, number>> = {};
  // rhythm
  const rr: number[] = [];
  for (let i = 1; i < rPeaks.length; i++) rr.push(ms(rPeaks[i] - rPeaks[i - 1]));
  if (rPeaks.length >= 2) {
    const t = hrvTime(rPeaks, fs); // one definition of the time-domain HRV (beats/hrv.ts)
    out.rr_mean_ms = t.meanNnMs;
    out.hr_bpm = t.heartRateBpm;
    if (t.count >= 2) {
      out.rr_sd_ms = t.sdnnMs;
      out.rmssd_ms = t.rmssdMs;
      out.pnn50 = t.pnn50;
    }
  }
  // intervals: the one definition of beat-ssl/beats intervals (same numbers as segmentRecord's)
  const set = (k: EcgFeatureName, v: number) => {
    if (Number.isFinite(v)) out[k] = v;
  };
  const iv = wavesToIntervals(waves, fs);
  set('qrs_ms', iv.qrsMs);
  set('pr_ms', iv.prMs);
  set('p_ms', iv.pMs);
  set('qt_ms', iv.qtMs);
  set('qtc_ms', iv.qtcMs);
  const beats = pairBeatWaves(waves, fs);
  // amplitudes
  const byName = new Map<LeadName, number>();
  record.leads.forEach((l, i) => {
    const c = normalizeLeadName(l);
    if (c && !byName.has(c)) byName.set(c, i);
  });
  const cleanCache = new Map<number, Float64Array>();
  const clean = (i: number) => {
    if (!cleanCache.has(i)) cleanCache.set(i, cleanLead(record.signals[i], fs));
    return cleanCache.get(i)!;
  };
  const qrsW = beats.map((b) => b.qrs);
  const rs = (i: number): [number, number] => {
    const x = clean(i);
    const r: number[] = [];
    const s: number[] = [];
    for (const w of qrsW) {
      const b = x[Math.max(0, w.onset - 1)];
      let hi = -Infinity;
      let lo = Infinity;
      for (let k = w.onset; k <= Math.min(x.length - 1, w.offset); k++) {
        hi = Math.max(hi, x[k]);
        lo = Math.min(lo, x[k]);
      }
      if (Number.isFinite(hi)) {
        r.push(Math.max(0, hi - b));
        s.push(Math.max(0, b - lo));
      }
    }
    return [medianOf(r), medianOf(s)];
  };
  for (const [g, names] of Object.entries(GROUPS)) {
    const vals = names.filter((nm) => byName.has(nm)).map((nm) => rs(byName.get(nm)!)).filter(([r, s]) => Number.isFinite(r) && Number.isFinite(s));
    if (vals.length) {
      set(`r_amp_${g}_mv` as EcgFeatureName, vals.reduce((a, v) => a + v[0], 0) / vals.length);
      set(`s_amp_${g}_mv` as EcgFeatureName, vals.reduce((a, v) => a + v[1], 0) / vals.length);
    }
  }
  const iI = byName.get('I');
  const iII = byName.get('II');
  const iAVF = byName.get('aVF');
  if (iI !== undefined && (iAVF !== undefined || iII !== undefined)) {
    const [rI, sI] = rs(iI);
    let netF: number;
    if (iAVF !== undefined) {
      const [rF, sF] = rs(iAVF);
      netF = rF - sF;
    } else {
      const [rII, sII] = rs(iII!);
      netF = rII - sII - (rI - sI) / 2;
    }
    const netI = rI - sI;
    if (Number.isFinite(netF) && Number.isFinite(netI) && (netF !== 0 || netI !== 0)) set('axis_deg', (Math.atan2(netF, netI) * 180) / Math.PI);
  }
  if (record.signals.length > 0 && qrsW.length > 0) {
    const x = clean(iII ?? 0);
    const amp = (type: 'P' | 'T') => {
      const v: number[] = [];
      for (const b of beats) {
        const w = type === 'P' ? b.p : b.t;
        if (w?.peak === undefined) continue;
        v.push(x[w.peak] - x[Math.max(0, b.qrs.onset - 1)]);
      }
      return medianOf(v);
    };
    set('p_amp_mv', amp('P'));
    set('t_amp_mv', amp('T'));
    const st = qrsW.map((w) => {
      const k = Math.min(x.length - 1, w.offset + Math.round(0.06 * fs));
      return x[k] - x[Math.max(0, w.onset - 1)];
    });
    set('st_mv', medianOf(st));
  }
  const values = new Float64Array(ECG_FEATURE_NAMES.length);
  const valid = new Uint8Array(ECG_FEATURE_NAMES.length);
  ECG_FEATURE_NAMES.forEach((k, i) => {
    const v = out[k];
    if (v !== undefined && Number.isFinite(v)) {
      values[i] = v;
      valid[i] = 1;
    } else values[i] = ECG_FEATURE_DEFAULTS[k];
  });
  return { names: ECG_FEATURE_NAMES, values, valid };
}
