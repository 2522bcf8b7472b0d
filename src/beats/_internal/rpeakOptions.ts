/** Options and input checks shared by detectRPeaks and createRPeakStream. @internal @module */
import { check, fail } from '../../core/errors';
import type { Samples } from '../../core/types';
import type { RPeakEngineOptions } from './rpeakEngine';

/** Options of {@link detectRPeaks} and `createRPeakStream`. All durations in seconds. */
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

/** @internal Validates options and maps them to engine options. */
export function rpeakEngineOptions(fn: string, opts: RPeakOptions): Partial<RPeakEngineOptions> {
  check(typeof opts === 'object' && opts !== null, fn, 'opts', 'an options object', opts);
  const out: Partial<RPeakEngineOptions> = {};
  const num = (key: keyof RPeakOptions, lo: number, hi: number) => {
    const v = opts[key];
    if (v === undefined) return undefined;
    check(typeof v === 'number' && v >= lo && v <= hi, fn, `opts.${key}`, `a number in [${lo}, ${hi}]`, v);
    return v as number;
  };
  const cs = num('confirmSec', 0.05, 1);
  if (cs !== undefined) out.confirmSec = cs;
  const r = num('refractorySec', 0.05, 2);
  if (r !== undefined) out.refractorySec = r;
  const t = num('thresholdFraction', 0.01, 0.99);
  if (t !== undefined) out.thresholdFraction = t;
  const l = num('learningSec', 0.5, 30);
  if (l !== undefined) out.learningSec = l;
  const s = num('searchBackFactor', 1.05, 10);
  if (s !== undefined) out.searchBackFactor = s;
  if (opts.refine !== undefined) {
    check(typeof opts.refine === 'boolean', fn, 'opts.refine', 'a boolean', opts.refine);
    out.refine = opts.refine;
  }
  return out;
}

/** @internal Checks a lead list: typed arrays of equal length. */
export function checkLeads(fn: string, arg: string, signal: unknown): Samples[] {
  const leads = Array.isArray(signal) ? signal : [signal];
  if (Array.isArray(signal) && signal.length === 0) fail(fn, arg, 'a Float32Array/Float64Array or a non-empty array of them', signal);
  leads.forEach((x, i) => {
    if (!(x instanceof Float32Array || x instanceof Float64Array)) fail(fn, Array.isArray(signal) ? `${arg}[${i}]` : arg, 'a Float32Array or Float64Array', x);
  });
  const n = (leads[0] as Samples).length;
  leads.forEach((x, i) => check((x as Samples).length === n, fn, `${arg}[${i}]`, `as long as ${arg}[0] (${n} samples)`, `${(x as Samples).length} samples`));
  return leads as Samples[];
}

