/**
 * R-peak detection, offline: {@link detectRPeaks}. The streaming twin is `createRPeakStream`
 * (`beat-ssl/beats/rpeakStream`); both run the same block-causal engine, so they find the same peaks.
 * @module
 */
import { check, checkFs } from '../core/errors';
import type { Samples } from '../core/types';
import { RPeakEngine } from './_internal/rpeakEngine';
import { checkLeads, rpeakEngineOptions } from './_internal/rpeakOptions';

/** Options of {@link detectRPeaks} and `createRPeakStream` (`beat-ssl/beats/rpeakStream`). All durations in seconds. */
export interface RPeakOptions {
  /**
   * How long a QRS-energy maximum must stay unbeaten before it is decided (s). Default 0.25.
   * Smaller values lower the streaming latency (≈ `confirmSec` + 0.15 s at most) at some cost in
   * false detections in noisy records.
   */
  confirmSec?: number;
  /** Minimum time between two beats (s). Default 0.2 (300 bpm). */
  refractorySec?: number;
  /** Threshold position between the noise level (0) and the signal level (1) of the QRS energy. Default 0.4. */
  thresholdFraction?: number;
  /** Span used to initialise the adaptive levels (s); detection output starts after it. Default 2. */
  learningSec?: number;
  /** Search back for a missed beat after this many mean RR intervals without a beat. Default 1.66. */
  searchBackFactor?: number;
  /**
   * Refine each beat to the largest deviation from the local baseline (either polarity) of the raw
   * signal of the best lead. Default true; when false, the delay-compensated energy peak is returned.
   */
  refine?: boolean;
}

/** Smallest sampling rate the detector accepts (Hz): below it a QRS complex is only a few samples. */
export const RPEAK_MIN_FS = 50;

/**
 * Detects R peaks in a single- or multi-lead ECG.
 *
 * Band-pass slope energy per lead (moving-average smoothing and a 20 ms difference, so it works at
 * any rate from 50 Hz up), moving-window integration, a quality-weighted power mean of the leads
 * (each normalised by its own recent QRS energy; flat, saturated and noisy leads get little or no
 * weight, and a peak must show in the good leads, not in one lead only), adaptive signal/noise
 * thresholds, a refractory period, T-wave rejection and search-back for missed beats
 * (Pan–Tompkins/Hamilton family). Each beat is then refined to the largest deviation from the
 * local baseline (either polarity) of the raw signal of the first lead of adequate quality.
 * Accuracy (EC57 gross, MIT-BIH 100-series): see `docs/beats.md`.
 *
 * The algorithm is block-causal: it is exactly what `createRPeakStream` computes when fed the
 * same samples, so offline and streaming results are identical.
 *
 * Missing samples: `NaN` and ±`Infinity` are replaced by the last finite sample of that lead
 * (0 before the first); a lead that is entirely missing is flat and gets weight 0. A peak is never
 * placed on a missing sample unless the whole neighbourhood is missing.
 * The first `learningSec` (2 s) initialise the thresholds; beats in them are still detected.
 * Records shorter than that are handled with what is there; an empty signal gives no peaks.
 *
 * @param signal one lead `[time]` or several leads (`Float32Array[]`, all the same length), mV (any unit works)
 * @param fs sampling rate in Hz (≥ 50; tested from 100 to 1000)
 * @param opts see {@link RPeakOptions}
 * @returns sample indices of the R peaks at `fs`, strictly increasing
 * @throws if `signal` is not a typed array (or leads differ in length), or `fs` < 50 Hz
 * @example
 * const rec = await readRecord('examples/data/mitdb/100');
 * const peaks = detectRPeaks(rec.signals, rec.fs); // Int32Array of sample indices
 * const bpm = 60 / ((peaks[peaks.length - 1] - peaks[0]) / (peaks.length - 1) / rec.fs);
 */
export function detectRPeaks(signal: Samples | readonly Samples[], fs: number, opts: RPeakOptions = {}): Int32Array {
  const fn = 'detectRPeaks';
  checkFs(fs, fn);
  check(fs >= RPEAK_MIN_FS, fn, 'fs', `at least ${RPEAK_MIN_FS} Hz (a QRS complex is only a few samples below it; resample the signal up first, e.g. with resample or resampleRecord of beat-ssl/signal)`, fs);
  const leads = checkLeads(fn, 'signal', signal);
  const eo = rpeakEngineOptions(fn, opts);
  const n = leads[0].length;
  if (n === 0) return new Int32Array(0);
  const engine = new RPeakEngine(fs, leads.length, eo);
  const a = engine.push(leads, n);
  const b = engine.flush();
  return Int32Array.from([...a, ...b]);
}
