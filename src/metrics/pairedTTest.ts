/**
 * Paired Student's t-test, for comparing two methods over the same seeds × folds.
 * @module
 */
import { check, fail } from '../core/errors';

/** Result of {@link pairedTTest}. */
export interface PairedTTestResult {
  /** Number of pairs. */
  n: number;
  /** Mean of the differences `a − b`. */
  meanDifference: number;
  /** t statistic (NaN when all differences are equal and n ≥ 2: then `p` is 1 if they are 0, else 0). */
  t: number;
  /** Degrees of freedom, `n − 1`. */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** Confidence interval `[low, high]` of the mean difference at `level` (t-interval; both ends = the mean when all differences are equal). */
  ci: [number, number];
  /** Confidence level of `ci` (default 0.95). */
  level: number;
}

/** ln Γ(x) for x > 0 (Lanczos approximation, |error| < 1e-14 over the range used here). */
function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let a = c[0];
  const t = xx + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularised incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta function I_x(a, b), x in [0, 1]. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  const fn = 'regularizedIncompleteBeta';
  if (!(typeof x === 'number' && x >= 0 && x <= 1)) fail(fn, 'x', 'a number in [0, 1]', x);
  check(typeof a === 'number' && a > 0 && a <= 1e6, fn, 'a', 'a shape parameter in (0, 1e6]', a);
  check(typeof b === 'number' && b > 0 && b <= 1e6, fn, 'b', 'a shape parameter in (0, 1e6]', b);
  if (x === 0 || x === 1) return x;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * Quantile of Student's t distribution: the `t ≥ 0` with `P(|T| ≤ t) = level` for `df` degrees of
 * freedom (bisection on the two-sided tail `I_{df/(df+t²)}(df/2, 1/2)`).
 * @param level two-sided coverage in (0, 1), e.g. 0.95
 * @param df degrees of freedom (> 0)
 * @returns the critical value (≈ 1.96 for large df at 0.95; 2.365 at df = 7)
 * @throws {BeatSslError} when `level` is not in (0, 1) or `df` is not positive
 * @example
 * tCritical(0.95, 7); // 2.3646
 */
export function tCritical(level: number, df: number): number {
  const fn = 'tCritical';
  check(typeof level === 'number' && level > 0 && level < 1, fn, 'level', 'a number in (0, 1)', level);
  check(typeof df === 'number' && df > 0 && df <= 2e6, fn, 'df', 'a positive number of degrees of freedom ≤ 2e6 (beyond, use the normal quantile)', df);
  const tail = 1 - level;
  let lo = 0;
  let hi = 1;
  while (regularizedIncompleteBeta(df / (df + hi * hi), df / 2, 0.5) > tail && hi < 1e12) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (regularizedIncompleteBeta(df / (df + mid * mid), df / 2, 0.5) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Paired two-sided t-test of `a` against `b` (e.g. a metric of two methods over the same seeds).
 * `t = mean(d) / (sd(d) / √n)` with `d = a − b` and the sample SD (n − 1), df = n − 1.
 * @param a metric values of method A, one per pair.
 * @param b metric values of method B, same length and order.
 * @param opts `level` of the confidence interval (default 0.95)
 * @returns the statistic, df, two-sided p-value and the confidence interval of the mean difference
 *   (see {@link PairedTTestResult}).
 * @throws {BeatSslError} when the lengths differ, fewer than 2 pairs are given, or a value is not finite.
 * @example
 * pairedTTest([0.91, 0.93, 0.92], [0.88, 0.90, 0.90]).p; // ≈ 0.0153 (t = 8, df = 2)
 * pairedTTest([0.91, 0.93, 0.92], [0.88, 0.90, 0.90]).ci; // ≈ [0.0123, 0.0410] (95 %)
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>, opts: { level?: number } = {}): PairedTTestResult {
  const fn = 'pairedTTest';
  const level = opts.level ?? 0.95;
  check(typeof level === 'number' && level > 0 && level < 1, fn, 'opts.level', 'a number in (0, 1)', level);
  check(a !== null && typeof a === 'object' && typeof a.length === 'number' && a.length >= 2, fn, 'a', 'an array of at least 2 numbers', a);
  check(b !== null && typeof b === 'object' && b.length === a.length, fn, 'b', `an array of ${a.length} numbers (same length as a)`, b);
  const n = a.length;
  const d: number[] = [];
  for (let i = 0; i < n; i++) {
    check(Number.isFinite(a[i]), fn, `a[${i}]`, 'a finite number', a[i]);
    check(Number.isFinite(b[i]), fn, `b[${i}]`, 'a finite number', b[i]);
    d.push(a[i] - b[i]);
  }
  const mean = d.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const df = n - 1;
  if (sd === 0) return { n, meanDifference: mean, t: NaN, df, p: mean === 0 ? 1 : 0, ci: [mean, mean], level };
  const se = sd / Math.sqrt(n);
  const t = mean / se;
  const p = regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  const half = tCritical(level, df) * se;
  return { n, meanDifference: mean, t, df, p: Math.min(1, Math.max(0, p)), ci: [mean - half, mean + half], level };
}
