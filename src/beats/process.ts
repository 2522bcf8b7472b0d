/**
 * The analysis chain of beat-ssl — the one place that composes the verbs, as NeuroKit2's
 * `ecg_process`: **clean → peaks → delineate → segment → intervals**. Each verb filters what it
 * needs itself (`detectRPeaks` its QRS band, `delineateBeats` 0.5–40 Hz, a segmentation model its
 * saved preprocessing spec), so the chain takes the record in millivolts as read.
 *
 * `segmentRecord` (`beat-ssl/analysis`) runs it with a segmentation model as the segment step;
 * `precomputeRecord` (`beat-ssl/data`) and the CLI call it for peaks and rule-based waves.
 * @module
 */
import type { EcgRecord, Samples, Wave, WaveType } from '../core/types';
import { check, checkFs, checkKnownKeys, fail } from '../core/errors';
import { findLead } from '../core/leads';
import { detectRPeaks } from './detect';
import { delineateBeats, type DelineateOptions } from './delineate';
import { wavesToIntervals, type ClinicalIntervals } from './intervals';

/** Where a wave type comes from: a segmentation model, or the rule-based delineator. */
export type WaveSource = 'model' | 'rules';

/** Options of {@link processEcg}. */
export interface ProcessEcgOptions {
  /** Leads used for R-peaks and rule-based delineation, matched by `findLead`. Default: every lead of the record. */
  leads?: readonly string[];
  /** R-peaks (samples at `record.fs`) to use instead of detecting them. */
  rPeaks?: ArrayLike<number>;
  /** Options of the rule-based `delineateBeats`. */
  delineate?: DelineateOptions;
  /**
   * The segment step: waves of the record at `record.fs` from a model — e.g.
   * `(r) => segmentWaves(r, model)` of `beat-ssl/heads`. Without it, every wave is rule-based.
   */
  segment?: (record: EcgRecord) => Wave[];
  /** With `segment`: the source of each wave type (default `'model'` for all). */
  waveSources?: Partial<Record<WaveType, WaveSource>>;
}

/** Typed output of {@link processEcg}: every index at the record's native rate. */
export interface ProcessEcgResult {
  /** Record name. */
  record: string;
  /** Native sampling rate (Hz). */
  fs: number;
  /** The leads used for peaks and rule-based delineation (as named in the record). */
  leads: string[];
  /** R-peak sample indices (empty when the rule-based steps failed on a record segmented by a model). */
  rPeaks: Int32Array;
  /** P, QRS and T waves in time order (inclusive onset/offset samples; `peak` for rule-based waves). */
  waves: Wave[];
  /** Where each wave type came from. */
  sources: Record<WaveType, WaveSource>;
  /** Clinical intervals of the waves (`wavesToIntervals`: medians in ms and per-beat values). */
  intervals: ClinicalIntervals;
}

const TYPES: readonly WaveType[] = ['P', 'QRS', 'T'];
const KEYS = ['leads', 'rPeaks', 'delineate', 'segment', 'waveSources'] as const;

/**
 * Runs the analysis chain on a record: R-peaks (`detectRPeaks`) → rule-based waves
 * (`delineateBeats`) and/or the waves of a segmentation model (`opts.segment`), merged per wave
 * type by `opts.waveSources` → clinical intervals (`wavesToIntervals`).
 *
 * With a segment step, the rule-based steps only run for what needs them (R-peaks always; the
 * delineation when a type comes from `'rules'`), and if they fail on a record the model's waves
 * are used for every type (reported in `sources`).
 * @param record the record (signals in mV, `fs`, lead names)
 * @param opts leads, given R-peaks, delineation options, segment step, wave sources
 * @returns `{ record, fs, leads, rPeaks, waves, sources, intervals }`
 * @throws BeatSslError for a bad record, a missing lead (named), an unknown option, or (without a
 *   segment step) when the rule-based steps fail
 * @example
 * ```ts
 * const r = processEcg(await readRecord('examples/data/ludb/1'));
 * r.rPeaks.length;     // beats
 * r.intervals.qtcMs;   // median QTc (ms)
 * ```
 */
export function processEcg(record: EcgRecord, opts: ProcessEcgOptions = {}): ProcessEcgResult {
  const fn = 'processEcg';
  check(record != null && Array.isArray(record.signals) && record.signals.length > 0 && Array.isArray(record.leads), fn, 'record', 'an EcgRecord with signals', record);
  const fs = checkFs(record.fs, fn, 'record.fs');
  checkKnownKeys(opts, KEYS, fn, 'opts');
  if (opts.segment !== undefined) check(typeof opts.segment === 'function', fn, 'opts.segment', 'a function (record) => Wave[]', opts.segment);
  const want = opts.waveSources ?? {};
  for (const [k, v] of Object.entries(want)) {
    if (!TYPES.includes(k as WaveType)) fail(fn, 'opts.waveSources', "keys 'P', 'QRS', 'T'", k);
    if (v !== undefined && v !== 'model' && v !== 'rules') fail(fn, `opts.waveSources.${k}`, "'model' or 'rules'", v);
  }
  const idx = opts.leads === undefined ? record.leads.map((_, i) => i) : opts.leads.map((l) => {
    const i = findLead(record.leads, l);
    if (i < 0) fail(fn, 'record.leads', `to include lead ${l}`, record.leads);
    return i;
  });
  const leads = idx.map((i) => record.leads[i]);
  const signals: Samples[] = idx.map((i) => record.signals[i]);
  // segment step first: a model names its own missing leads
  const modelWaves = opts.segment ? opts.segment(record) : null;
  const sources = Object.fromEntries(TYPES.map((t) => [t, modelWaves ? (want[t] ?? 'model') : 'rules'])) as Record<WaveType, WaveSource>;
  const needRules = TYPES.some((t) => sources[t] === 'rules');
  let rPeaks: Int32Array;
  let rules: Wave[] | null = null;
  try {
    rPeaks = opts.rPeaks ? Int32Array.from(opts.rPeaks) : detectRPeaks(signals, fs);
    if (needRules) rules = delineateBeats(signals, fs, rPeaks, opts.delineate);
  } catch (e) {
    if (!modelWaves) throw e;
    rPeaks = new Int32Array(0);
    for (const t of TYPES) sources[t] = 'model';
  }
  let waves: Wave[];
  if (!modelWaves) waves = rules!;
  else if (!rules) waves = modelWaves;
  else waves = [...modelWaves.filter((w) => sources[w.type] === 'model'), ...rules.filter((w) => sources[w.type] === 'rules')];
  waves = [...waves].sort((a, b) => a.onset - b.onset || a.offset - b.offset);
  return { record: record.name, fs, leads, rPeaks, waves, sources, intervals: wavesToIntervals(waves, fs) };
}
