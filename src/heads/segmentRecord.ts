/**
 * `segmentRecord`: P/QRS/T delineation of a whole record with a segmentation model — by default
 * the pretrained weights shipped in the package (`weights/segmentation-v1`, Node) — returning
 * waves at the record's native rate and clinical intervals (PR, QRS, QT, QTc in ms).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EcgRecord, Wave } from '../core/types';
import { check, checkFs, fail, BeatSslError, describe } from '../core/errors';
import { findLead, missingLeads } from '../core/leads';
import { committedDir, writeDirAtomic } from '../core/atomicWrite';
import { preprocessRecord } from '../data/preprocess';
import { detectRPeaks } from '../beats/detect';
import { delineateBeats } from '../beats/delineate';
import { EcgSegmenter } from './segmentation';
import { labelsToWaves, wavesToNativeRate, type LabelsToWavesOptions } from './waves';
import { wavesToIntervals, type ClinicalIntervals } from '../beats/intervals';
import { checkPreprocessJson, segmentationModelFrom, type PreprocessJson } from './_internal/preprocessJson';
import { nodeFs, nodePath, nodeUrl } from '../core/_internal/node';

/** How records are prepared for a segmentation model (saved next to its weights as `preprocess.json`). */
export interface SegmentationPreprocessing {
  /** Working rate of the model (Hz). */
  fs: number;
  /** Lead names the model takes, in order. */
  leads: string[];
  /** Band-pass applied at the native rate (Hz), or null. */
  bandpassHz: [number, number] | null;
  /** Per-lead standardisation. */
  standardize: 'lead' | 'none';
}

/** A segmentation model with the preprocessing it was trained with. Dispose it when done. */
export interface SegmentationModel {
  segmenter: EcgSegmenter;
  preprocessing: SegmentationPreprocessing;
  /** Post-processing options (minimum durations, gap merging). */
  postprocessing?: LabelsToWavesOptions;
  /**
   * Boundary calibration (ms) subtracted from [onset, offset] of each wave type after mapping to the
   * native rate: the median timing error of the model on its own training records (it removes the
   * systematic bias of labels discretised at the working rate).
   */
  calibrationMs?: Partial<Record<'P' | 'QRS' | 'T', [number, number]>>;
  /**
   * Where each wave type comes from: `'model'` (default) or `'rules'` — the rule-based
   * `delineateBeats` of `beat-ssl/beats` on the record's leads at the native rate (after
   * `detectRPeaks`). Fusing the two is a documented option of a model folder (`waveSources` in
   * `preprocess.json`); if the rule-based delineator fails on a record, the model's waves are used.
   */
  waveSources?: Partial<Record<'P' | 'QRS' | 'T', 'model' | 'rules'>>;
  /** Folder it was loaded from, when loaded from disk. */
  dir?: string;
  /** Frees the weights. */
  dispose(): void;
}

/** Result of {@link segmentRecord}. */
export interface SegmentRecordResult {
  /** Record name. */
  record: string;
  /** Native sampling rate (Hz): every index below is at this rate. */
  fs: number;
  /** Waves in time order, inclusive onset/offset samples at the native rate. */
  waves: Wave[];
  /** Clinical intervals: medians over beats (ms, NaN when unavailable) and per-beat values. */
  intervals: ClinicalIntervals;
}

/** Name of the shipped weights folder inside the package's `weights/`. */
export const DEFAULT_SEGMENTATION_WEIGHTS = 'segmentation-v1';

/** Finds `weights/<name>` of the installed package (from `dist/...`) or of the repository (from `src/...`). */
async function findShippedWeights(name: string): Promise<string> {
  const path = await nodePath('loadSegmentationModel');
  const fs = await nodeFs('loadSegmentationModel');
  const url = await nodeUrl('loadSegmentationModel');
  const starts: string[] = [];
  try {
    const here = import.meta.url;
    if (here) starts.push(path.dirname(url.fileURLToPath(here)));
  } catch {
    /* CJS build: import.meta is unavailable */
  }
  if (typeof __dirname === 'string') starts.push(__dirname);
  for (const start of starts) {
    let dir = start;
    for (let up = 0; up < 5; up++) {
      const candidate = path.join(dir, 'weights', name);
      if (await fs.stat(path.join(candidate, 'model.json')).then(() => true, () => false)) return candidate;
      dir = path.dirname(dir);
    }
  }
  return fail('segmentRecord', 'model', `given, or the shipped weights/${name} to be present in the package`, 'no weights folder found');
}

/**
 * Loads a segmentation model folder (Node): `model.json` + `weights.bin` + `segmenter.json`
 * (from `EcgSegmenter.save`) and `preprocess.json` ({@link SegmentationPreprocessing}).
 * Without `dir`, loads the weights shipped with the package.
 * @param dir model folder (default: the shipped `weights/segmentation-v1`)
 * @returns a {@link SegmentationModel} (dispose it)
 * @throws when the folder has no model or no preprocess.json
 * @example
 * const model = await loadSegmentationModel();
 * const a = await segmentRecord(recA, model);
 * const b = await segmentRecord(recB, model);
 * model.dispose();
 */
export async function loadSegmentationModel(dir?: string): Promise<SegmentationModel> {
  const fn = 'loadSegmentationModel';
  const path = await nodePath(fn);
  const fs = await nodeFs(fn);
  const folder = dir === undefined ? await findShippedWeights(DEFAULT_SEGMENTATION_WEIGHTS) : await committedDir(path.resolve(dir), { fn });
  let pre: PreprocessJson;
  try {
    pre = JSON.parse(await fs.readFile(path.join(folder, 'preprocess.json'), 'utf8'));
  } catch (e) {
    return fail(fn, 'dir', 'a segmentation model folder with preprocess.json', `${folder} (${(e as Error).message})`);
  }
  checkPreprocessJson(pre, fn);
  const segmenter = await EcgSegmenter.load(folder);
  return segmentationModelFrom(segmenter, pre, folder);
}

/**
 * Saves a trained segmenter with its preprocessing as a model folder that
 * {@link loadSegmentationModel} and `beat-ssl segment --model DIR` read (Node).
 * @param dir output folder (created; files written atomically by `EcgSegmenter.save`)
 * @param segmenter the trained segmenter
 * @param preprocessing how its inputs were prepared
 * @param postprocessing optional post-processing options
 * @param calibrationMs optional boundary calibration (see {@link SegmentationModel.calibrationMs})
 * @param waveSources optional per-type source (see {@link SegmentationModel.waveSources})
 * @example
 * await saveSegmentationModel('weights/segmentation-v1', seg, { fs: 100, leads: [...CANONICAL_LEADS], bandpassHz: [0.5, 40], standardize: 'lead' });
 */
export async function saveSegmentationModel(
  dir: string,
  segmenter: EcgSegmenter,
  preprocessing: SegmentationPreprocessing,
  postprocessing?: LabelsToWavesOptions,
  calibrationMs?: SegmentationModel['calibrationMs'],
  waveSources?: SegmentationModel['waveSources'],
): Promise<void> {
  const path = await nodePath('saveSegmentationModel');
  const fs = await nodeFs('saveSegmentationModel');
  await writeDirAtomic(
    dir,
    async (tmp) => {
      await segmenter.saveInto(tmp);
      await fs.writeFile(path.join(tmp, 'preprocess.json'), JSON.stringify({ ...preprocessing, postprocessing, calibrationMs, waveSources }, null, 2) + '\n');
    },
    { fn: 'saveSegmentationModel' },
  );
}

/**
 * Per-sample class probabilities of a preprocessed record, `[T × 4]` time-major, computed in
 * overlapping windows so that long records fit in memory.
 * @internal
 */
function predictProbabilities(segmenter: EcgSegmenter, signals: Float32Array[], windowSamples = 4096, overlap = 512): Float32Array {
  const T = signals[0].length;
  const L = signals.length;
  const K = segmenter.config.numClasses;
  const probs = new Float32Array(T * K);
  const weight = new Float32Array(T);
  const hop = windowSamples - overlap;
  for (let start = 0; start < T; start += hop) {
    const end = Math.min(T, start + windowSamples);
    const n = end - start;
    const x = new Float32Array(n * L);
    for (let l = 0; l < L; l++) for (let t = 0; t < n; t++) x[t * L + l] = signals[l][start + t];
    const p = tf.tidy(() => segmenter.predict(tf.tensor3d(x, [1, n, L])).probabilities);
    const data = p.dataSync();
    p.dispose();
    for (let t = 0; t < n; t++) {
      // taper the window edges so overlaps blend smoothly
      const w = Math.min(1, (t + 1) / (overlap / 2), (n - t) / (overlap / 2));
      const ww = start === 0 && t < overlap ? 1 : end === T && t >= n - overlap ? 1 : w;
      weight[start + t] += ww;
      for (let k = 0; k < K; k++) probs[(start + t) * K + k] += ww * data[t * K + k];
    }
    if (end === T) break;
  }
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) probs[t * K + k] /= weight[t] || 1;
  return probs;
}

/** Rule-based waves (`detectRPeaks` + `delineateBeats`) on the named leads at the native rate; null on failure. */
function ruleBasedWaves(record: EcgRecord, leads: readonly string[]): Wave[] | null {
  try {
    const signals = leads.map((l) => record.signals[findLead(record.leads, l)]).filter((s): s is Float32Array => s !== undefined);
    if (signals.length === 0) return null;
    const peaks = detectRPeaks(signals, record.fs);
    return delineateBeats(signals, record.fs, peaks).map((w) => ({ type: w.type, onset: w.onset, offset: w.offset }));
  } catch {
    return null;
  }
}

/**
 * Delineates P, QRS and T waves of a record with a segmentation model and derives clinical
 * intervals. The record is preprocessed as the model was trained (lead selection, band-pass,
 * resampling to the model's working rate, standardisation), segmented in overlapping windows,
 * post-processed (minimum durations, gap merging), and the waves are mapped back to the record's
 * native rate with sub-sample boundaries (then calibrated; wave types the model folder assigns to
 * `'rules'` come from the rule-based delineator instead, see {@link SegmentationModel.waveSources}).
 * @param record an `EcgRecord` with (at least) the model's leads, any rate, mV
 * @param model a {@link SegmentationModel}, a model folder (Node), or nothing for the shipped weights (Node)
 * @returns `{ record, fs, waves, intervals }` — indices at `record.fs`, intervals in ms
 * @throws when the record lacks a lead the model needs (named) or no model can be loaded
 * @example
 * const rec = await readRecord('examples/data/ludb/1');
 * const { waves, intervals } = await segmentRecord(rec);
 * intervals.qtcMs; // median QTc (ms)
 */
export async function segmentRecord(record: EcgRecord, model?: SegmentationModel | string): Promise<SegmentRecordResult> {
  const fn = 'segmentRecord';
  check(record != null && Array.isArray(record.signals) && record.signals.length > 0, fn, 'record', 'an EcgRecord', record);
  checkFs(record.fs, fn, 'record.fs');
  const owned = model === undefined || typeof model === 'string';
  const m = owned ? await loadSegmentationModel(model as string | undefined) : (model as SegmentationModel);
  try {
    const p = m.preprocessing;
    const missing = missingLeads(record.leads, p.leads);
    if (missing.length > 0) {
      throw new BeatSslError(
        fn,
        `record.leads must include the ${p.leads.length} leads the model was trained on (${p.leads.join(', ')}), but got ${describe(record.leads)} (missing ${missing.join(', ')}). ` +
          `This model needs ${p.leads.length}-lead ECGs; for a record with fewer leads use detectRPeaks and delineateBeats (beat-ssl/beats), which work on any leads.`,
        'record.leads',
      );
    }
    const x = preprocessRecord(record, { fs: p.fs, leads: p.leads, bandpassHz: p.bandpassHz, standardize: p.standardize });
    const T = x.signals[0].length;
    const K = m.segmenter.config.numClasses;
    const probs = predictProbabilities(m.segmenter, x.signals);
    const labels = new Uint8Array(T);
    for (let t = 0; t < T; t++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (probs[t * K + k] > probs[t * K + best]) best = k;
      labels[t] = best;
    }
    const working = labelsToWaves(labels, p.fs, m.postprocessing);
    const nativeLength = record.signals[0].length;
    let waves = wavesToNativeRate(working, probs, K, T, record.fs / p.fs, nativeLength);
    if (m.calibrationMs) {
      const cal = m.calibrationMs;
      waves = waves.map((w) => {
        const c = cal[w.type];
        if (!c) return w;
        const onset = Math.max(0, Math.min(nativeLength - 1, Math.round(w.onset - (c[0] * record.fs) / 1000)));
        const offset = Math.max(onset, Math.min(nativeLength - 1, Math.round(w.offset - (c[1] * record.fs) / 1000)));
        return { ...w, onset, offset };
      });
    }
    const fromRules = (['P', 'QRS', 'T'] as const).filter((t) => m.waveSources?.[t] === 'rules');
    if (fromRules.length > 0) {
      const rules = ruleBasedWaves(record, p.leads);
      if (rules) waves = [...waves.filter((w) => !fromRules.includes(w.type)), ...rules.filter((w) => fromRules.includes(w.type))].sort((a, b) => a.onset - b.onset || a.offset - b.offset);
    }
    return { record: record.name, fs: record.fs, waves, intervals: wavesToIntervals(waves, record.fs) };
  } finally {
    if (owned) m.dispose();
  }
}
