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
import { foldersAbove } from '../core/_internal/packageFolders';
import { parsePreprocessSpec, preprocessSpecJson, type PreprocessOptions, type PreprocessSpec } from '../signal/preprocess';
import { BeatSslModel } from '../models/beatSslModel';
import type { Encoder } from '../models/encoder';
import { EcgClassifier } from './classification';
import { EcgSegmenter } from './segmentation';
import type { LabelsToWavesOptions } from './waves';
import { checkOptions, optionKeys } from '../core/_internal/options';
import { requireFolderKind } from './_internal/folderKind';

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

/** What every loaded model folder has (the common part of {@link LoadedModelFolder}). */
export interface LoadedBase {
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
  check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a folder path', dir);
  check(model instanceof BeatSslModel || model instanceof EcgClassifier || model instanceof EcgSegmenter, fn, 'model', 'a BeatSslModel, EcgClassifier or EcgSegmenter', model);
  check(opts !== null && typeof opts === 'object', fn, 'opts', 'an options object { preprocessing, ... }', opts);
  checkOptions(opts, optionKeys<SaveModelFolderOptions>()('preprocessing', 'files', 'postprocessing', 'calibrationMs', 'waveSources'), fn);
  check(opts.preprocessing != null, fn, 'opts.preprocessing', 'the preprocessing spec the model was trained with (at least { fs })', opts.preprocessing);
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
 * The model folders shipped in the package's `weights/` (Node), by name, with their kind:
 * `segmentation-v1` (the segmenter `segmentRecord` uses by default) and `beat-ssl-small-v1` (the
 * Beat-SSL-pretrained `small` encoder with its projectors, to fine-tune; model card in its README).
 */
export const SHIPPED_MODELS = { 'segmentation-v1': 'segmenter', 'beat-ssl-small-v1': 'pretrained' } as const satisfies Record<string, ModelFolderKind>;

/** Names of {@link SHIPPED_MODELS}. */
export type ShippedModelName = keyof typeof SHIPPED_MODELS;

/** The shipped pretrained encoder that {@link loadPretrainedEncoder} loads by default. */
export const DEFAULT_PRETRAINED_WEIGHTS: ShippedModelName = 'beat-ssl-small-v1';

/**
 * The folder of a model shipped with the package: `weights/<name>` of the installed package (found
 * from `dist/…`) or of the repository (from `src/…`). Node only.
 * @param name a key of {@link SHIPPED_MODELS}
 * @param fn the public function to name in errors (default `'shippedModelDir'`)
 * @returns the absolute folder path
 * @throws BeatSslError for an unknown name, or when the folder is not in the package
 * @example
 * ```ts
 * const loaded = await loadModelFolder(await shippedModelDir('beat-ssl-small-v1')); // kind 'pretrained'
 * loaded.dispose();
 * ```
 */
export async function shippedModelDir(name: ShippedModelName, fn = 'shippedModelDir'): Promise<string> {
  check(typeof name === 'string' && Object.hasOwn(SHIPPED_MODELS, name), fn, 'name', `one of ${Object.keys(SHIPPED_MODELS).map((n) => `'${n}'`).join(', ')}`, name);
  const path = await nodePath(fn);
  const fs = await nodeFs(fn);
  const config = MODEL_FOLDER_CONFIG[SHIPPED_MODELS[name]];
  for (const dir of await foldersAbove(fn)) {
    const candidate = path.join(dir, 'weights', name);
    if (await fs.stat(path.join(candidate, config)).then(() => true, () => false)) return candidate;
  }
  return fail(fn, 'name', `a model shipped in the package's weights/ folder (weights/${name}/${config})`, `${name} (not found next to the installed package)`);
}

/** A pretrained encoder ready to fine-tune, with the preprocessing it was pretrained on. */
export interface PretrainedEncoder {
  /** The encoder (owns its weights: hand it to `createSegmenter` / `createClassifier`, or dispose it). */
  encoder: Encoder;
  /**
   * The preprocessing spec its pretraining data had (`fs`, leads, band-pass; the views were
   * standardised per lead): prepare fine-tuning examples the same way.
   */
  preprocessing: PreprocessSpec;
  /** The folder it was loaded from. */
  dir: string;
}

/**
 * Loads the encoder of a pretrained model folder (a `BeatSslModel` saved with its preprocessing) —
 * by default the Beat-SSL-pretrained `small` encoder shipped with the package — ready to fine-tune
 * with `createSegmenter` / `createClassifier` (the projectors are freed). Node only.
 * @param dir a pretrained model folder (from `saveModelFolder` or `beat-ssl pretrain`), or omit for the shipped `weights/beat-ssl-small-v1`
 * @returns `{ encoder, preprocessing, dir }`
 * @throws BeatSslError when the folder holds no pretrained model or no `preprocess.json`
 * @example
 * ```ts no-run
 * const { encoder, preprocessing } = await loadPretrainedEncoder();
 * const segmenter = createSegmenter(encoder, { seed: 1 }); // fine-tune on examples prepared with `preprocessing`
 * ```
 */
export async function loadPretrainedEncoder(dir?: string): Promise<PretrainedEncoder> {
  const fn = 'loadPretrainedEncoder';
  if (dir !== undefined) check(typeof dir === 'string' && dir.length > 0, fn, 'dir', 'a pretrained model folder path (or omit it for the shipped encoder)', dir);
  const folder = dir === undefined ? await shippedModelDir(DEFAULT_PRETRAINED_WEIGHTS, fn) : dir;
  const loaded = requireFolderKind(await loadModelFolder(folder), 'pretrained', fn, 'a pretrained model folder with preprocess.json (saveModelFolder of a BeatSslModel)', folder);
  return { encoder: loaded.model.takeEncoder(), preprocessing: loaded.preprocessing, dir: loaded.dir };
}

/**
 * The segmentation settings (post-processing, calibration, wave sources) of a parsed segmenter
 * `preprocess.json` — only the keys that are set.
 * @param pre parsed `preprocess.json` (an object with `fs` and `leads`, checked as
 *   `parsePreprocessSpec` does), or `null` for a folder without one (no settings: `{}`)
 * @returns the {@link SegmentationSettings}
 * @throws {BeatSslError} when `pre` is neither `null` nor a valid `preprocess.json` object, or a
 *   setting (`postprocessing`, `calibrationMs`, `waveSources`) is present but not an object
 * @example
 * ```ts
 * segmentationSettings({ fs: 100, leads: ['II'], waveSources: { P: 'rules' } }); // { waveSources: { P: 'rules' } }
 * ```
 */
export function segmentationSettings(pre: Record<string, unknown> | null): SegmentationSettings {
  const fn = 'segmentationSettings';
  const out: SegmentationSettings = {};
  if (pre === null) return out;
  check(typeof pre === 'object' && !Array.isArray(pre), fn, 'pre', 'a parsed preprocess.json object { fs, leads, ... } or null', pre);
  parsePreprocessSpec(pre, fn);
  for (const k of ['postprocessing', 'calibrationMs', 'waveSources'] as const) {
    const v = pre[k];
    if (v != null) check(typeof v === 'object' && !Array.isArray(v), fn, `pre.${k}`, 'an object (see SegmentationSettings)', v);
  }
  if (pre.postprocessing != null) out.postprocessing = pre.postprocessing as LabelsToWavesOptions;
  if (pre.calibrationMs != null) out.calibrationMs = pre.calibrationMs as CalibrationMs;
  if (pre.waveSources != null) out.waveSources = pre.waveSources as WaveSources;
  return out;
}
