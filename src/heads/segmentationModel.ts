/**
 * A segmentation model as used on records: an `EcgSegmenter` with the preprocessing spec it was
 * trained with and its post-processing, loaded from a model folder — by default the pretrained
 * weights shipped in the package (`weights/segmentation-v1`, Node) — and the model step of the
 * analysis chain, {@link segmentWaves}: record → waves at the record's native rate.
 *
 * The whole chain (R-peaks, rule-based delineation for the wave types a folder assigns to rules,
 * intervals) is `segmentRecord` of `beat-ssl/analysis`, built on `processEcg` of `beat-ssl/beats`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EcgRecord, Wave } from '../core/types';
import { BeatSslError, check, checkFs, describe, fail } from '../core/errors';
import { missingLeads } from '../core/leads';
import { interleaveLeads, preprocessRecord, preprocessSpec, type PreprocessOptions } from '../signal/preprocess';
import { nodeFs, nodePath } from '../core/_internal/node';
import { checkEcgRecord } from '../core/_internal/record';
import { EcgSegmenter } from './segmentation';
import { labelsToWaves, wavesToNativeRate } from './waves';
import { loadModelFolder, saveModelFolder, shippedModelDir, type CalibrationMs, type SegmentationSettings, type WaveSources } from './modelFolder';
import type { LabelsToWavesOptions } from './waves';
import { requireFolderKind } from './_internal/folderKind';

/**
 * How records are prepared for a segmentation model: a preprocessing spec of `beat-ssl/signal`
 * (`fs` required; a loaded model has every field set).
 */
export type SegmentationPreprocessing = PreprocessOptions;

/** A segmentation model with the preprocessing it was trained with. Dispose it when done. */
export interface SegmentationModel {
  /** The U-Net segmenter. */
  segmenter: EcgSegmenter;
  /** Its preprocessing spec (saved as the folder's `preprocess.json`). */
  preprocessing: SegmentationPreprocessing;
  /** Post-processing options (minimum durations, gap merging). */
  postprocessing?: LabelsToWavesOptions;
  /**
   * Boundary calibration (ms) subtracted from [onset, offset] of each wave type after mapping to the
   * native rate: the median timing error of the model on its own training records (it removes the
   * systematic bias of labels discretised at the working rate).
   */
  calibrationMs?: CalibrationMs;
  /**
   * Where each wave type comes from: `'model'` (default) or `'rules'` — the rule-based
   * `delineateBeats` of `beat-ssl/beats` on the model's leads at the native rate, composed by
   * `segmentRecord` / `processEcg`; if the rule-based delineator fails on a record, the model's
   * waves are used.
   */
  waveSources?: WaveSources;
  /** Folder it was loaded from, when loaded from disk. */
  dir?: string;
  /** Frees the weights. */
  dispose(): void;
}

/** Name of the shipped weights folder inside the package's `weights/`. */
export const DEFAULT_SEGMENTATION_WEIGHTS = 'segmentation-v1';

/** Assembles a {@link SegmentationModel} from a segmenter, its spec and settings (the disk and in-memory loaders share it). */
export function segmentationModelOf(segmenter: EcgSegmenter, preprocessing: SegmentationPreprocessing, settings: SegmentationSettings = {}, dir?: string): SegmentationModel {
  const fn = 'segmentationModelOf';
  check(segmenter instanceof EcgSegmenter, fn, 'segmenter', 'an EcgSegmenter (createSegmenter or loadSegmentationModel)', segmenter);
  preprocessSpec(preprocessing, fn, 'preprocessing');
  check(settings !== null && typeof settings === 'object' && !Array.isArray(settings), fn, 'settings', 'a SegmentationSettings object', settings);
  if (dir !== undefined) check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'the folder it was loaded from (a path), or undefined', dir);
  const model: SegmentationModel = { segmenter, preprocessing, ...settings, dispose: () => segmenter.dispose() };
  if (dir !== undefined) model.dir = dir;
  return model;
}

/**
 * Loads a segmentation model folder (Node) with `loadModelFolder`: the segmenter, its
 * `preprocess.json` spec and segmentation settings. Without `dir`, loads the weights shipped with
 * the package.
 * @param dir model folder (default: the shipped `weights/segmentation-v1`)
 * @returns a {@link SegmentationModel} (dispose it)
 * @throws when the folder holds no segmenter or no `preprocess.json`
 * @example
 * ```ts
 * const model = await loadSegmentationModel();
 * const a = await segmentRecord(recA, model);
 * model.dispose();
 * ```
 */
export async function loadSegmentationModel(dir?: string): Promise<SegmentationModel> {
  const fn = 'loadSegmentationModel';
  if (dir !== undefined) check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a segmentation model folder path (or omit it for the shipped model)', dir);
  const folder = dir === undefined ? await shippedModelDir(DEFAULT_SEGMENTATION_WEIGHTS, fn) : dir;
  const loaded = requireFolderKind(await loadModelFolder(folder), 'segmenter', fn, 'a segmentation model folder with preprocess.json', folder);
  const { postprocessing, calibrationMs, waveSources } = loaded;
  return segmentationModelOf(loaded.model, loaded.preprocessing, { postprocessing, calibrationMs, waveSources }, loaded.dir);
}

/**
 * Saves a trained segmenter with its preprocessing as a model folder that
 * {@link loadSegmentationModel}, `loadModelFolder` and `beat-ssl segment --model DIR` read
 * (Node; `saveModelFolder`, one atomic folder).
 * @param dir output folder (replaced atomically)
 * @param segmenter the trained segmenter
 * @param preprocessing how its inputs were prepared (`fs` required)
 * @param postprocessing optional post-processing options
 * @param calibrationMs optional boundary calibration (see {@link SegmentationModel.calibrationMs})
 * @param waveSources optional per-type source (see {@link SegmentationModel.waveSources})
 * @throws BeatSslError when the folder cannot be written
 * @example
 * ```ts
 * await saveSegmentationModel('runs/seg', seg, { fs: 100 });
 * ```
 */
export async function saveSegmentationModel(
  dir: string,
  segmenter: EcgSegmenter,
  preprocessing: SegmentationPreprocessing,
  postprocessing?: LabelsToWavesOptions,
  calibrationMs?: CalibrationMs,
  waveSources?: WaveSources,
): Promise<void> {
  const fn = 'saveSegmentationModel';
  check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a folder path', dir);
  check(segmenter instanceof EcgSegmenter, fn, 'segmenter', 'an EcgSegmenter (createSegmenter)', segmenter);
  preprocessSpec(preprocessing, fn, 'preprocessing');
  await saveModelFolder(dir, segmenter, { preprocessing, postprocessing, calibrationMs, waveSources });
}

/**
 * Per-sample class probabilities `[T × K]` (time-major) of a preprocessed record, computed in
 * overlapping windows so that long records fit in memory.
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
    const x = interleaveLeads(signals.map((s) => s.subarray(start, end)));
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

/**
 * Checks that a record has every lead a segmentation model was trained on (by the lead-name rule
 * of `beat-ssl/core`: `MLII` = `II`), with an error that names the missing leads and the fix.
 * @param record the record
 * @param model the model
 * @param fn public function named in the error (default `'segmentWaves'`)
 * @throws BeatSslError naming the missing leads
 * @example
 * ```ts
 * checkSegmentationLeads(record, model, 'mySegmenter');
 * ```
 */
export function checkSegmentationLeads(record: EcgRecord, model: SegmentationModel, fn = 'segmentWaves'): void {
  checkEcgRecord(record, fn);
  check(model !== null && typeof model === 'object' && model.segmenter instanceof EcgSegmenter, fn, 'model', 'a SegmentationModel (loadSegmentationModel or segmentationModelOf)', model);
  const leads = preprocessSpec(model.preprocessing, fn).leads;
  if (leads === 'all') return;
  const missing = missingLeads(record.leads, leads);
  if (missing.length > 0) {
    throw new BeatSslError(
      fn,
      `record.leads must include the ${leads.length} leads the model was trained on (${leads.join(', ')}), but got ${describe(record.leads)} (missing ${missing.join(', ')}). ` +
        `This model needs ${leads.length}-lead ECGs; for a record with fewer leads use detectRPeaks and delineateBeats (beat-ssl/beats), which work on any leads.`,
      'record.leads',
    );
  }
}

/**
 * The model step of the analysis chain: the record is preprocessed as the model was trained
 * (its spec: lead selection, band-pass, resampling, standardisation), segmented in overlapping
 * windows, post-processed (minimum durations, gap merging), and the waves are mapped back to the
 * record's native rate with sub-sample boundaries, then calibrated. Wave sources (`'rules'`) are
 * applied by `processEcg` / `segmentRecord`, not here.
 * @param record an `EcgRecord` with (at least) the model's leads, any rate, mV
 * @param model a loaded {@link SegmentationModel}
 * @returns the model's waves, inclusive onset/offset samples at `record.fs`, in time order
 * @throws BeatSslError when the record lacks a lead the model needs (named, see {@link checkSegmentationLeads}) or its rate is invalid
 * @example
 * ```ts
 * const waves = segmentWaves(record, await loadSegmentationModel());
 * ```
 */
export function segmentWaves(record: EcgRecord, model: SegmentationModel): Wave[] {
  const fn = 'segmentWaves';
  check(record != null && Array.isArray(record.signals) && record.signals.length > 0, fn, 'record', 'an EcgRecord', record);
  checkFs(record.fs, fn, 'record.fs');
  check(model != null && model.segmenter instanceof EcgSegmenter, fn, 'model', 'a SegmentationModel (loadSegmentationModel)', model);
  const spec = preprocessSpec(model.preprocessing, fn);
  checkSegmentationLeads(record, model, fn);
  const x = preprocessRecord(record, spec);
  const T = x.signals[0].length;
  const K = model.segmenter.config.numClasses;
  const probs = predictProbabilities(model.segmenter, x.signals);
  const labels = new Uint8Array(T);
  for (let t = 0; t < T; t++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[t * K + k] > probs[t * K + best]) best = k;
    labels[t] = best;
  }
  const working = labelsToWaves(labels, spec.fs, model.postprocessing);
  const nativeLength = record.signals[0].length;
  let waves = wavesToNativeRate(working, probs, K, T, record.fs / spec.fs, nativeLength);
  const cal = model.calibrationMs;
  if (cal) {
    waves = waves.map((w) => {
      const c = cal[w.type];
      if (!c) return w;
      const onset = Math.max(0, Math.min(nativeLength - 1, Math.round(w.onset - (c[0] * record.fs) / 1000)));
      const offset = Math.max(onset, Math.min(nativeLength - 1, Math.round(w.offset - (c[1] * record.fs) / 1000)));
      return { ...w, onset, offset };
    });
  }
  return waves;
}
