/**
 * Tables of few-label results (eval/few-label.ts): per-method mean ± SD and paired differences with
 * 95 % t-intervals. Used by few-label.ts when a run ends and by report-few-label.ts, which merges
 * several result files (runs of one protocol made in several commands pair by seed). Not part of
 * the package.
 */
import { pairedTTest } from '../src/metrics/pairedTTest';
import { fmt, meanSd, printTable } from './_lib';

/** One LUDB segmentation fine-tuning run. */
export interface SegRun {
  method: string;
  /** Labelled LUDB records. */
  records: number;
  seed: number;
  meanF1: number;
  diceP: number;
  diceQRS: number;
  diceT: number;
  /** Mean over the six fiducials of the timing-error SD (ms). */
  timingSdMs: number;
  /** Mean of the P onset / offset timing-error SD (ms). */
  pTimingSdMs: number;
}

/** One PTB-XL classification fine-tuning run. */
export interface ClsRun {
  method: string;
  /** Fraction of the fold 1–8 labels used, in (0, 1]. */
  fraction: number;
  seed: number;
  macroAuroc: number;
}

/** A paired difference `a − b` over matching (setting, seed) runs. */
export interface PairedDifference {
  n: number;
  mean: number;
  ci: [number, number];
  p: number;
  /** Pairs where `a > b`. */
  positive: number;
}

/** Paired differences of `metric` between methods `a` and `b` over runs with equal setting and seed; null below 2 pairs. */
export function pairedDifference<T extends { method: string; seed: number }>(
  runs: T[],
  a: string,
  b: string,
  metric: keyof T,
  setting: (r: T) => number | string,
  only?: number | string,
): PairedDifference | null {
  const key = (r: T) => `${setting(r)}|${r.seed}`;
  const bs = new Map(runs.filter((r) => r.method === b && (only === undefined || setting(r) === only)).map((r) => [key(r), r]));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const r of runs) {
    if (r.method !== a || (only !== undefined && setting(r) !== only)) continue;
    const o = bs.get(key(r));
    const va = r[metric] as number;
    const vb = o?.[metric] as number | undefined;
    if (o && Number.isFinite(va) && Number.isFinite(vb)) {
      xs.push(va);
      ys.push(vb as number);
    }
  }
  if (xs.length < 2) return null;
  const t = pairedTTest(xs, ys);
  return { n: t.n, mean: t.meanDifference, ci: t.ci as [number, number], p: t.p, positive: xs.filter((v, i) => v > ys[i]).length };
}

const signed = (x: number, digits: number) => (x >= 0 ? '+' : '') + fmt(x, digits);

/** `+0.041 [−0.016, +0.098]`, with ` ✱` when the interval excludes 0 and `(k/n >)` counts. */
export function differenceText(d: PairedDifference | null, digits = 3): string {
  if (!d) return '—';
  const star = d.ci[0] > 0 || d.ci[1] < 0 ? ' ✱' : '';
  return `${signed(d.mean, digits)} [${signed(d.ci[0], digits)}, ${signed(d.ci[1], digits)}]${star} (${d.positive}/${d.n} >)`;
}

const meanSdText = (xs: number[], digits: number) => {
  const s = meanSd(xs);
  return `${fmt(s.mean, digits)} ± ${fmt(s.sd, digits)}`;
};

const unique = <T>(xs: T[]) => [...new Set(xs)];

/**
 * Prints the LUDB tables: mean ± SD per (records, method) and paired differences of each of `ours`
 * against every other method. Returns the markdown text.
 */
export function segmentationTables(runs: SegRun[], methods: string[], ours: string[]): string {
  const counts = unique(runs.map((r) => r.records)).sort((a, b) => a - b);
  const rows: (string | number)[][] = [];
  for (const k of counts) {
    for (const m of methods) {
      const rs = runs.filter((r) => r.records === k && r.method === m);
      if (!rs.length) continue;
      const ms = (f: keyof SegRun, d = 3) => meanSdText(rs.map((r) => r[f] as number), d);
      rows.push([k, m, rs.length, ms('meanF1'), ms('diceP'), ms('diceQRS'), ms('diceT'), ms('timingSdMs', 1), ms('pTimingSdMs', 1)]);
    }
  }
  const parts = [printTable(['records', 'method', 'runs', 'mean F1', 'Dice P', 'Dice QRS', 'Dice T', 'timing SD (ms)', 'P timing SD (ms)'], rows)];
  const diffRows: (string | number)[][] = [];
  for (const m of ours) {
    for (const b of methods.filter((x) => x !== m)) {
      for (const k of counts) {
        const meanF1 = pairedDifference(runs, m, b, 'meanF1', (r) => r.records, k);
        if (!meanF1) continue;
        const d = (f: keyof SegRun, digits = 3) => differenceText(pairedDifference(runs, m, b, f, (r) => r.records, k), digits);
        diffRows.push([`${m} − ${b}`, k, differenceText(meanF1), d('diceP'), d('timingSdMs', 1), d('pTimingSdMs', 1)]);
      }
    }
  }
  if (diffRows.length) {
    console.log('\nPaired differences, mean [95 % t-interval] (✱: excludes 0; timing SD: < 0 is better)\n');
    parts.push(printTable(['difference', 'records', 'mean F1', 'Dice P', 'timing SD (ms)', 'P timing SD (ms)'], diffRows));
  }
  return parts.join('\n\n');
}

/**
 * Prints the PTB-XL tables: macro AUROC mean ± SD per (fraction, method) and paired differences of
 * each of `ours` against every other method. Returns the markdown text.
 */
export function classificationTables(runs: ClsRun[], methods: string[], ours: string[]): string {
  const fractions = unique(runs.map((r) => r.fraction)).sort((a, b) => a - b);
  const pct = (f: number) => `${+(f * 100).toFixed(2)} %`;
  const present = methods.filter((m) => runs.some((r) => r.method === m));
  const parts = [
    printTable(
      ['labels', ...present],
      fractions.map((f) => [pct(f), ...present.map((m) => {
        const xs = runs.filter((r) => r.fraction === f && r.method === m).map((r) => r.macroAuroc);
        return xs.length ? `${meanSdText(xs, 3)} (${xs.length})` : '—';
      })]),
    ),
  ];
  const diffRows: (string | number)[][] = [];
  for (const m of ours) {
    for (const b of methods.filter((x) => x !== m)) {
      for (const f of fractions) {
        const d = pairedDifference(runs, m, b, 'macroAuroc', (r) => r.fraction, f);
        if (d) diffRows.push([`${m} − ${b}`, pct(f), differenceText(d)]);
      }
    }
  }
  if (diffRows.length) {
    console.log('\nPaired differences of macro AUROC, mean [95 % t-interval] (✱: excludes 0)\n');
    parts.push(printTable(['difference', 'labels', 'macro AUROC'], diffRows));
  }
  return parts.join('\n\n');
}
