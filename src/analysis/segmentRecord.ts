/**
 * `segmentRecord`: P/QRS/T delineation of a whole record with a segmentation model — by default
 * the pretrained weights shipped in the package (`weights/segmentation-v1`, Node) — returning
 * waves at the record's native rate and clinical intervals (PR, QRS, QT, QTc in ms).
 *
 * It is the analysis chain `processEcg` (`beat-ssl/beats`) with the model as its segment step
 * (`segmentWaves` of `beat-ssl/heads`) and the model folder's wave sources: this top-level module
 * is the one place where the verbs of `beats` and the models of `heads` meet.
 * @module
 */
import type { EcgRecord, Wave } from '../core/types';
import { check, checkFs } from '../core/errors';
import type { ClinicalIntervals } from '../beats/intervals';
import { preprocessSpec } from '../signal/preprocess';
import { processEcg, type WaveSource } from '../beats/process';
import { checkSegmentationLeads, loadSegmentationModel, segmentWaves, type SegmentationModel } from '../heads/segmentationModel';

/** Result of {@link segmentRecord}. */
export interface SegmentRecordResult {
  /** Record name. */
  record: string;
  /** Native sampling rate (Hz): every index below is at this rate. */
  fs: number;
  /** Waves in time order, inclusive onset/offset samples at the native rate. */
  waves: Wave[];
  /** Clinical intervals (`wavesToIntervals`): medians over beats (ms, NaN when unavailable) and per-beat values. */
  intervals: ClinicalIntervals;
  /** R-peaks found on the model's leads (samples at the native rate; empty if detection failed). */
  rPeaks: Int32Array;
  /** Where each wave type came from (`'model'` or `'rules'`). */
  sources: Record<Wave['type'], WaveSource>;
}

/**
 * Delineates P, QRS and T waves of a record with a segmentation model and derives clinical
 * intervals: `processEcg` with the model's waves (`segmentWaves`: preprocessed as the model was
 * trained, segmented in overlapping windows, post-processed, mapped back to the native rate with
 * sub-sample boundaries, calibrated) and, for wave types the model folder assigns to `'rules'`,
 * the rule-based delineator on the model's leads.
 * @param record an `EcgRecord` with (at least) the model's leads, any rate, mV
 * @param model a {@link SegmentationModel}, a model folder (Node), or nothing for the shipped weights (Node)
 * @returns `{ record, fs, waves, intervals, rPeaks, sources }` — indices at `record.fs`, intervals in ms
 * @throws when the record lacks a lead the model needs (named) or no model can be loaded
 * @example
 * ```ts
 * const rec = await readRecord('examples/data/ludb/1');
 * const { waves, intervals } = await segmentRecord(rec);
 * intervals.qtcMs; // median QTc (ms)
 * ```
 */
export async function segmentRecord(record: EcgRecord, model?: SegmentationModel | string): Promise<SegmentRecordResult> {
  const fn = 'segmentRecord';
  check(record != null && Array.isArray(record.signals) && record.signals.length > 0, fn, 'record', 'an EcgRecord', record);
  checkFs(record.fs, fn, 'record.fs');
  if (typeof model === 'string') check(model.length > 0, fn, 'model', 'a SegmentationModel, a model folder path, or nothing for the shipped model', model);
  const owned = model === undefined || typeof model === 'string';
  const m = owned ? await loadSegmentationModel(model as string | undefined) : (model as SegmentationModel);
  try {
    checkSegmentationLeads(record, m, fn);
    const leads = preprocessSpec(m.preprocessing, fn).leads;
    const r = processEcg(record, {
      leads: leads === 'all' ? undefined : leads,
      segment: (rec) => segmentWaves(rec, m),
      waveSources: m.waveSources,
    });
    return { record: r.record, fs: r.fs, waves: r.waves, intervals: r.intervals, rPeaks: r.rPeaks, sources: r.sources };
  } finally {
    if (owned) m.dispose();
  }
}
