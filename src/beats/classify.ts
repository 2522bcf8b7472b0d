/**
 * Rule-based AAMI beat classes: {@link classifyBeats}.
 * @module
 */
import { checkFs, checkRange } from '../core/errors';
import { checkWaves } from '../core/_internal/waves';
import type { Samples, Wave } from '../core/types';
import { checkLeads, checkPeaks } from './_internal/rpeakOptions';
import { medianOf } from './_internal/prep';
import { BEAT_FEATURE_NAMES, beatFeatures } from './beatFeatures';
import { checkOptions, optionKeys } from '../core/_internal/options';

/** AAMI beat class: N normal/bundle-branch, S supraventricular ectopic, V ventricular ectopic, Q unclassifiable. */
export type AamiClass = 'N' | 'S' | 'V' | 'Q';

/** Thresholds of {@link classifyBeats}. */
export interface ClassifyBeatsOptions {
  /** Below this correlation with the median beat a beat is V whatever its timing and width. Default −1 (rule off: on MIT-BIH it mostly caught noisy normal beats). */
  vCorrelation?: number;
  /** Below this correlation a premature beat (prematurity < 0.8 or RR ratio < 0.7) is V. Default 0.88. */
  vPrematureCorrelation?: number;
  /** Below this correlation a wide (> `vWidthRatio` × median QRS) or tall (> 2 × median amplitude) beat is V. Default 0.6. */
  vShapeCorrelation?: number;
  /** QRS width ratio to the record's median width that counts as wide. Default 1.5. */
  vWidthRatio?: number;
  /** A beat that is not V with prematurity (RR / local mean RR) below this, and a longer next RR, is S. Default 0.83. */
  sPrematurity?: number;
}
const CLASSIFY_KEYS = optionKeys<ClassifyBeatsOptions & { waves?: readonly Wave[] }>()('vCorrelation', 'vPrematureCorrelation', 'vShapeCorrelation', 'vWidthRatio', 'sPrematurity', 'waves');

/**
 * Assigns an AAMI class (N, S, V, Q) to every beat from prematurity, QRS width and morphology
 * (correlation and amplitude relative to the record's median beat, see `beatFeatures`).
 *
 * Rules, in order: Q when the beat's window holds missing samples; V when `corr_median <
 * vCorrelation` (off by default), or when premature (prematurity < 0.8 or RR ratio < 0.7) with `corr_median <
 * vPrematureCorrelation`, or when wide (`qrs_width` > `vWidthRatio` × median) or tall (amplitude
 * ratio > 2) with `corr_median < vShapeCorrelation`; S when `prematurity < sPrematurity` and the
 * next RR is longer than the previous; otherwise N. Fusion beats (AAMI F) are not separated, and
 * paced beats are not recognised as such (they come out N or V). Thresholds were chosen on the
 * MIT-BIH 100-series (see docs/beats.md for the scores and the caveat).
 *
 * @param signals one lead `[time]` or several leads (equal length), mV
 * @param fs sampling rate, Hz
 * @param rPeaks R-peak sample indices (increasing)
 * @param opts thresholds, see {@link ClassifyBeatsOptions}; `waves` reuses a delineation
 * @returns one class per beat
 * @throws on bad signals, `fs` or peaks
 * @example
 * const classes = classifyBeats(rec.signals, rec.fs, detectRPeaks(rec.signals, rec.fs));
 * const pvcs = classes.filter((c) => c === 'V').length;
 */
export function classifyBeats(
  signals: Samples | readonly Samples[],
  fs: number,
  rPeaks: ArrayLike<number>,
  opts: ClassifyBeatsOptions & { waves?: readonly Wave[] } = {},
): AamiClass[] {
  const fn = 'classifyBeats';
  checkFs(fs, fn);
  const leads = checkLeads(fn, 'signals', signals, rPeaks);
  checkPeaks(fn, rPeaks, leads[0].length);
  opts = checkOptions(opts, CLASSIFY_KEYS, fn);
  if (opts.waves !== undefined) checkWaves(opts.waves, fn);
  const corr = (v: unknown, arg: string) => checkRange(v, fn, arg, -1, 1);
  const c0 = corr(opts.vCorrelation ?? -1, 'opts.vCorrelation');
  const c1 = corr(opts.vPrematureCorrelation ?? 0.88, 'opts.vPrematureCorrelation');
  const c2 = corr(opts.vShapeCorrelation ?? 0.6, 'opts.vShapeCorrelation');
  const vw = checkRange(opts.vWidthRatio ?? 1.5, fn, 'opts.vWidthRatio', 0, 100);
  const sp = checkRange(opts.sPrematurity ?? 0.83, fn, 'opts.sPrematurity', 0, 100);
  const f = beatFeatures(leads, fs, rPeaks, opts.waves);
  const F = f.shape[1];
  const col = (name: (typeof BEAT_FEATURE_NAMES)[number]) => BEAT_FEATURE_NAMES.indexOf(name);
  const [iCorr, iWidth, iPrem, iAmp, iPrev, iNext] = [col('corr_median'), col('qrs_width_ms'), col('prematurity'), col('amp_ratio'), col('rr_prev_ms'), col('rr_next_ms')];
  const widths = Array.from({ length: f.shape[0] }, (_, b) => f.values[b * F + iWidth]);
  const medW = medianOf(widths) || 100;
  const iRatio = col('rr_ratio');
  const n = leads[0].length;
  const half = Math.round(0.1 * fs);
  const out: AamiClass[] = [];
  for (let b = 0; b < f.shape[0]; b++) {
    const o = b * F;
    const p = rPeaks[b];
    let bad = false;
    for (const x of leads) {
      for (let i = Math.max(0, p - half); i < Math.min(n, p + half); i++) if (!Number.isFinite(x[i])) bad = true;
    }
    const corr = f.values[o + iCorr];
    const prem = f.values[o + iPrem];
    const premature = prem < 0.8 || f.values[o + iRatio] < 0.7;
    const shape = f.values[o + iWidth] > vw * medW || f.values[o + iAmp] > 2;
    if (bad) out.push('Q');
    else if (corr < c0 || (corr < c1 && premature) || (corr < c2 && shape)) out.push('V');
    else if (prem < sp && f.values[o + iNext] > f.values[o + iPrev]) out.push('S');
    else out.push('N');
  }
  return out;
}
