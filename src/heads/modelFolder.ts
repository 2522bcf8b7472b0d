/**
 * Model folders — one format and one loader for every kind of beat-ssl model (Node). A folder
 * holds the weights, the model's own config, and the **preprocessing spec** it was trained with
 * (`preprocess.json`, `beat-ssl/signal` `PreprocessSpec`), the way transformers.js keeps the
 * preprocessor config beside the weights, so whatever the API or the CLI saves, every command and
 * {@link loadModelFolder} can read and feed correctly:
 *
 * | kind | files |
 * | --- | --- |
 * | `'pretrained'` (`BeatSslModel`) | `beat-ssl.json`, `encoder/`, `projectorRhythm/`, `projectorBeat/`, `preprocess.json` |
 * | `'classifier'` (`EcgClassifier`) | `classifier.json`, `model.json`, `weights.bin`, `preprocess.json` |
 * | `'segmenter'` (`EcgSegmenter`) | `segmenter.json`, `model.json`, `weights.bin`, `preprocess.json` (+ post-processing, calibration, wave sources) |
 *
 * Folders are written durably and atomically (`writeDirAtomic` of `beat-ssl/core`). Folders saved
 * by a model's own `save()` have no `preprocess.json`; they load with `preprocessing: null`.
 * @module
 */
import type { WaveType } from '../core/types';
import { BeatSslError, check, fail } from '../core/errors';
import { committedDir, writeDirAtomic } from '../core/atomicWrite';
import { nodeFs, nodePath } from '../core/_internal/node';
import { parsePreprocessSpec, preprocessSpecJson, type PreprocessOptions, type PreprocessSpec } from '../signal/preprocess';
import { BeatSslModel } from '../models/beatSslModel';
import { EcgClassifier } from './classification';
import { EcgSegmenter } from './segmentation';
import type { LabelsToWavesOptions } from './waves';

/** The kinds of model folder. */
export type ModelFolderKind = 'pretrained' | 'classifier' | 'segmenter';

/** The config file that identifies each kind. */
export const MODEL_FOLDER_CONFIG: Readonly<Record<ModelFolderKind, string>> = { pretrained: 'beat-ssl.json', classifier: 'classifier.json', segmenter: 'segmenter.json' };

/** Where a segmentation model takes each wave type from: its own output or the rule-based delineator. */
export type WaveSources = Partial<Record<WaveType, 'model' | 'rules'>>;

/** Boundary calibration (ms) subtracted from `[onset, offset]` of each wave type at the native rate. */
export type CalibrationMs = Partial<Record<WaveType, [number, number]>>;

/** Segmentation settings a segmenter's folder carries beside the preprocessing spec. */
export interface SegmentationSettings {
  /** Post-processing of the per-sample labels (minimum durations, gap merging). */
  postprocessing?: LabelsToWavesOptions;
  /** Boundary calibration (ms); see {@link CalibrationMs}. */
  calibrationMs?: CalibrationMs;
  /** Per-type wave source; see {@link WaveSources}. */
  waveSources?: WaveSources;
}

/** Options of {@link saveModelFolder}. */
export interface SaveModelFolderOptions extends SegmentationSettings {
  /** The preprocessing the model was trained with (required: every folder carries its spec). */
  preprocessing: PreprocessOptions;
  /** Extra files written inside the same atomic folder (e.g. `README.md`, `training.json`). */
  files?: Record<string, string | Uint8Array>;
}

/** What every loaded model folder has. */
interface LoadedBase {
  /** The folder it was read from. */
  dir: string;
  /** The preprocessing spec, or `null` for a folder saved without one (by a model's `save()`). */
  preprocessing: PreprocessSpec | null;
  /** Frees the weights. */
  dispose(): void;
}

/** A loaded model folder, by kind (`kind` tells which `model` it holds). */
export type LoadedModelFolder =
  | (LoadedBase & { kind: 'pretrained'; model: BeatSslModel })
  | (LoadedBase & { kind: 'classifier'; model: EcgClassifier })
  | (LoadedBase & SegmentationSettings & { kind: 'segmenter'; model: EcgSegmenter });

/**
 * Which kind of model a folder holds (by its config file), or `null` when it holds none.
 * @param dir the folder
 * @returns `'pretrained' | 'classifier' | 'segmenter'` or `null`
 * @throws never
 * @example
 * ```ts
 * await modelFolderKind('weights/segmentation-v1'); // 'segmenter'
 * ```
 */
export async function modelFolderKind(dir: string): Promise<ModelFolderKind | null> {
  const fs = await nodeFs('modelFolderKind');
  const { join } = await nodePath('modelFolderKind');
  const folder = await committedDir(dir, { fn: 'modelFolderKind' });
  for (const kind of Object.keys(MODEL_FOLDER_CONFIG) as ModelFolderKind[]) {
    if (await fs.stat(join(folder, MODEL_FOLDER_CONFIG[kind])).then(() => true, () => false)) return kind;
  }
  return null;
}

/**
 * Saves a model with its preprocessing spec (and, for a segmenter, its segmentation settings) as
 * one durable, atomic model folder that {@link loadModelFolder} — and every CLI command — reads.
 * @param dir target folder (replaced if it exists; the previous version is kept until the new one is in place)
 * @param model a `BeatSslModel`, `EcgClassifier` or `EcgSegmenter`
 * @param opts `preprocessing` (required), segmentation settings, extra `files`
 * @throws BeatSslError for an unknown model, an invalid spec or a folder that cannot be written
 * @example
 * ```ts
 * await saveModelFolder('runs/seg', segmenter, { preprocessing: { fs: 100 }, postprocessing: { mergeGapSec: 0.04 } });
 * const loaded = await loadModelFolder('runs/seg'); // loaded.kind === 'segmenter'
 * ```
 */
export async function saveModelFolder(dir: string, model: BeatSslModel | EcgClassifier | EcgSegmenter, opts: SaveModelFolderOptions): Promise<void> {
  const fn = 'saveModelFolder';
  check(model instanceof BeatSslModel || model instanceof EcgClassifier || model instanceof EcgSegmenter, fn, 'model', 'a BeatSslModel, EcgClassifier or EcgSegmenter', model);
  check(opts != null && opts.preprocessing != null, fn, 'opts.preprocessing', 'the preprocessing spec the model was trained with (at least { fs })', opts?.preprocessing);
  const pre: Record<string, unknown> = preprocessSpecJson(opts.preprocessing);
  if (model instanceof EcgSegmenter) Object.assign(pre, { postprocessing: opts.postprocessing, calibrationMs: opts.calibrationMs, waveSources: opts.waveSources });
  else if (opts.postprocessing || opts.calibrationMs || opts.waveSources) fail(fn, 'opts', 'segmentation settings only for an EcgSegmenter', Object.keys(opts));
  const fs = await nodeFs(fn);
  const { join } = await nodePath(fn);
  for (const name of Object.keys(opts.files ?? {})) check(!/[\\/]/.test(name) && !name.startsWith('.') && name !== 'preprocess.json', fn, `opts.files['${name}']`, 'a plain file name other than preprocess.json', name);
  await writeDirAtomic(
    dir,
    async (tmp) => {
      await model.saveInto(tmp);
      await fs.writeFile(join(tmp, 'preprocess.json'), JSON.stringify(pre, null, 2) + '\n');
      for (const [name, data] of Object.entries(opts.files ?? {})) await fs.writeFile(join(tmp, name), data);
    },
    { fn },
  );
}

/**
 * Loads any beat-ssl model folder (Node): finds its kind, loads the weights with the kind's
 * loader, and reads its preprocessing spec and (segmenter) segmentation settings.
 * @param dir a folder written by {@link saveModelFolder} (or by a model's `save()`, then without spec)
 * @returns a {@link LoadedModelFolder}; dispose it when done
 * @throws BeatSslError when the folder holds no beat-ssl model or its `preprocess.json` is invalid
 * @example
 * ```ts
 * const m = await loadModelFolder('runs/finetune/best');
 * if (m.kind === 'classifier') m.model.predict(recordToTensor(record, m.preprocessing!));
 * m.dispose();
 * ```
 */
export async function loadModelFolder(dir: string): Promise<LoadedModelFolder> {
  const fn = 'loadModelFolder';
  check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a model folder path', dir);
  const fs = await nodeFs(fn);
  const path = await nodePath(fn);
  const folder = await committedDir(path.resolve(dir), { fn });
  const kind = await modelFolderKind(folder);
  if (!kind) throw new BeatSslError(fn, `dir must be a beat-ssl model folder (with ${Object.values(MODEL_FOLDER_CONFIG).join(', ')} or its weights), but got ${JSON.stringify(dir)}.`, 'dir');
  let preJson: Record<string, unknown> | null = null;
  const prePath = path.join(folder, 'preprocess.json');
  if (await fs.stat(prePath).then(() => true, () => false)) {
    try {
      preJson = JSON.parse(await fs.readFile(prePath, 'utf8'));
    } catch (e) {
      fail(fn, 'preprocess.json', 'valid JSON', `${prePath} (${(e as Error).message})`);
    }
  }
  const preprocessing = preJson ? parsePreprocessSpec(preJson, fn) : null;
  if (kind === 'pretrained') {
    const model = await BeatSslModel.load(folder);
    return { kind, model, preprocessing, dir: folder, dispose: () => model.dispose() };
  }
  if (kind === 'classifier') {
    const model = await EcgClassifier.load(folder);
    return { kind, model, preprocessing, dir: folder, dispose: () => model.dispose() };
  }
  const model = await EcgSegmenter.load(folder);
  const settings = segmentationSettings(preJson);
  return { kind, model, preprocessing, ...settings, dir: folder, dispose: () => model.dispose() };
}

/**
 * The segmentation settings (post-processing, calibration, wave sources) of a parsed segmenter
 * `preprocess.json` — only the keys that are set.
 * @param pre parsed `preprocess.json` (or `null`)
 * @returns the {@link SegmentationSettings}
 * @throws never
 * @example
 * ```ts
 * segmentationSettings({ fs: 100, leads: ['II'], waveSources: { P: 'rules' } }); // { waveSources: { P: 'rules' } }
 * ```
 */
export function segmentationSettings(pre: Record<string, unknown> | null): SegmentationSettings {
  const out: SegmentationSettings = {};
  if (pre?.postprocessing != null) out.postprocessing = pre.postprocessing as LabelsToWavesOptions;
  if (pre?.calibrationMs != null) out.calibrationMs = pre.calibrationMs as CalibrationMs;
  if (pre?.waveSources != null) out.waveSources = pre.waveSources as WaveSources;
  return out;
}
