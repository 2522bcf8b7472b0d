/** Options and input checks shared by detectRPeaks and createRPeakStream. @internal @module */
import { check, fail } from '../../core/errors';
import type { Samples } from '../../core/types';
import type { RPeakEngineOptions } from './rpeakEngine';
import type { RPeakOptions } from '../detect';
import { checkOptions, optionKeys } from '../../core/_internal/options';

const RPEAK_KEYS = optionKeys<RPeakOptions>()('confirmSec', 'refractorySec', 'thresholdFraction', 'learningSec', 'searchBackFactor', 'refine');

/** @internal Validates options and maps them to engine options. */
export function rpeakEngineOptions(fn: string, opts: RPeakOptions): Partial<RPeakEngineOptions> {
  opts = checkOptions(opts, RPEAK_KEYS, fn);
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

/** @internal Checks R-peaks: an array/typed array of strictly increasing integer sample indices in `[0, n)`. */
export function checkPeaks(fn: string, rPeaks: unknown, n: number, arg = 'rPeaks'): ArrayLike<number> {
  if (!(Array.isArray(rPeaks) || (ArrayBuffer.isView(rPeaks) && !(rPeaks instanceof DataView)))) {
    fail(fn, arg, 'an array or typed array of R-peak sample indices', rPeaks);
  }
  const p = rPeaks as ArrayLike<number>;
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    check(Number.isInteger(v) && v >= 0 && v < n && (i === 0 || v > p[i - 1]!), fn, `${arg}[${i}]`, `an increasing integer sample index in [0, ${n - 1}]`, v);
  }
  return p;
}

/** @internal Checks a lead list: typed arrays of equal length. */
export function checkLeads(fn: string, arg: string, signal: unknown, rPeaks?: unknown): Samples[] {
  const leads = Array.isArray(signal) ? signal : [signal];
  if (Array.isArray(signal) && signal.length === 0) fail(fn, arg, 'a Float32Array/Float64Array or a non-empty array of them', signal);
  leads.forEach((x, i) => {
    if (!(x instanceof Float32Array || x instanceof Float64Array)) fail(fn, Array.isArray(signal) ? `${arg}[${i}]` : arg, 'a Float32Array or Float64Array', x);
  });
  const n = (leads[0] as Samples).length;
  leads.forEach((x, i) => check((x as Samples).length === n, fn, `${arg}[${i}]`, `as long as ${arg}[0] (${n} samples)`, `${(x as Samples).length} samples`));
  // R-peaks index into the signal: an empty signal with peaks is the signal's fault, not the peaks'
  const peakCount = (rPeaks as { length?: unknown } | null | undefined)?.length;
  if (n === 0 && typeof peakCount === 'number' && peakCount > 0) fail(fn, arg, 'a non-empty signal (the R-peaks index into it)', signal);
  return leads as Samples[];
}

