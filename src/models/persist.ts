/**
 * Persistence of tfjs-layers models and named tensors as plain files — `model.json` +
 * `weights.bin`, the TF.js "layers-model" format — without tfjs-node. The in-memory functions
 * run everywhere; the folder functions are Node-only (`node:` modules imported lazily) and are
 * meant to run inside `writeDirAtomic` of `beat-ssl/core`, which makes the whole model folder
 * durable and atomic. Used by `BeatSslModel`, the heads' `save`/`load`, checkpoints and the
 * model-folder loader.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BeatSslError, describe } from '../core/errors';
import { withFusedBatchNorm } from './_internal/batchNorm';
import { nodeFs, nodePath } from '../core/_internal/node';
import { checkOptions, optionKeys } from '../core/_internal/options';
import { writeFilesAtomic, type AtomicWriteOptions } from '../core/atomicWrite';

/** A tensor with a name (e.g. an optimizer weight). */
export interface NamedTensor {
  /** Name (unique within a list). */
  name: string;
  /** The tensor (owned by whoever created the list). */
  tensor: tf.Tensor;
}

/** In-memory model files: the `model.json` object and the `weights.bin` bytes. */
export interface ModelFiles {
  /** Contents of `model.json` (TF.js layers-model format, one weights group `weights.bin`). */
  modelJson: {
    format: 'layers-model';
    generatedBy: string;
    convertedBy: null;
    modelTopology: unknown;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  /** Contents of `weights.bin` (little-endian float32/int32 values in manifest order). */
  weights: Uint8Array;
}

/**
 * Serialises a LayersModel to `model.json` content and weight bytes (any runtime).
 * @param model the model
 * @returns `{ modelJson, weights }`
 * @throws {BeatSslError} if `model` is not a tf.LayersModel; tfjs's error if it cannot serialise
 *   the model (custom layers not registered)
 * @example
 * ```ts
 * const { modelJson, weights } = await modelToFiles(encoder.model);
 * ```
 */
export async function modelToFiles(model: tfl.LayersModel): Promise<ModelFiles> {
  if (!(model instanceof tfl.LayersModel)) throw new BeatSslError('modelToFiles', `model must be a tf.LayersModel, but got ${describe(model)}.`, 'model');
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData == null ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData);
      files = {
        modelJson: {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
          convertedBy: null,
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
        },
        weights: new Uint8Array(data),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files!;
}

/**
 * Rebuilds a LayersModel from {@link modelToFiles} output (any runtime; e.g. files fetched in a browser).
 * @param files `{ modelJson, weights }`
 * @returns the model (dispose it when done)
 * @throws if the topology or weights are invalid
 * @example
 * ```ts
 * const model = await modelFromFiles(await modelToFiles(encoder.model));
 * ```
 */
export async function modelFromFiles(files: ModelFiles): Promise<tfl.LayersModel> {
  const fn = 'modelFromFiles';
  const ok = files !== null && typeof files === 'object' && files.weights instanceof Uint8Array && files.modelJson !== null && typeof files.modelJson === 'object' && Array.isArray(files.modelJson.weightsManifest) && files.modelJson.modelTopology !== null && typeof files.modelJson.modelTopology === 'object';
  if (!ok) throw new BeatSslError(fn, `files must be { modelJson: { modelTopology, weightsManifest }, weights: Uint8Array } (modelToFiles), but got ${describe(files)}.`, 'files');
  const w = files.weights;
  const buffer = w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer;
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: files.modelJson.modelTopology as object,
        weightSpecs: files.modelJson.weightsManifest.flatMap((g) => g.weights),
        weightData: buffer,
      }),
    );
  } catch (e) {
    throw new BeatSslError(fn, `files must hold a model topology and the weights it describes, but loading failed: ${(e as Error).message}`, 'files');
  }
  return withFusedBatchNorm(model);
}

/**
 * Every Keras `class_name` in a saved topology, sorted (to check that a model uses only standard
 * layers that other Keras readers understand).
 * @param topology `modelJson.modelTopology`
 * @returns unique class names, sorted
 * @throws {BeatSslError} when `topology` is not an object (a model topology)
 * @example
 * ```ts
 * topologyClassNames((await modelToFiles(model)).modelJson.modelTopology); // ['Activation', 'Conv1D', ...]
 * ```
 */
export function topologyClassNames(topology: unknown): string[] {
  if (topology === null || typeof topology !== 'object' || Array.isArray(topology)) {
    throw new BeatSslError('topologyClassNames', `topology must be a model topology object (modelJson.modelTopology), but got ${describe(topology)}.`, 'topology');
  }
  const names = new Set<string>();
  JSON.stringify(topology, (k, v) => {
    if (k === 'class_name' && typeof v === 'string') names.add(v);
    return v;
  });
  return [...names].sort();
}

/**
 * Writes `model.json` + `weights.bin` of a model into `dir` (created) — Node only. Both files go
 * through the atomic writer of `beat-ssl/core` (`writeFilesAtomic`: temporary files, fsync,
 * rename), so a crash or a full disk leaves either the old files or the complete new ones, never
 * a partial file. To replace a whole model folder at once (as every beat-ssl saver does), call it
 * inside `writeDirAtomic`'s `fill`.
 * @param dir folder to write into (created with its parents)
 * @param model the model (a tf.LayersModel)
 * @param opts `fn`: the public function named in errors (default `'writeModelDir'`)
 * @throws {BeatSslError} when `dir` is not a non-empty path, `model` is not a tf.LayersModel, or
 *   the files cannot be written (disk full, no permission), naming the file
 * @example
 * ```ts
 * await writeDirAtomic('runs/enc', (tmp) => writeModelDir(tmp, encoder.model));
 * ```
 */
export async function writeModelDir(dir: string, model: tfl.LayersModel, opts: AtomicWriteOptions = {}): Promise<void> {
  checkOptions(opts, optionKeys<AtomicWriteOptions>()('fn'), 'writeModelDir');
  const fn = opts.fn ?? 'writeModelDir';
  if (typeof fn !== 'string' || fn === '') throw new BeatSslError('writeModelDir', `opts.fn must be the name of a public function, but got ${describe(fn)}.`, 'opts.fn');
  if (typeof dir !== 'string' || dir.length === 0) throw new BeatSslError(fn, `dir must be a folder path, but got ${describe(dir)}.`, 'dir');
  if (!(model instanceof tfl.LayersModel)) throw new BeatSslError(fn, `model must be a tf.LayersModel, but got ${describe(model)}.`, 'model');
  const fs = await nodeFs(fn);
  const { join } = await nodePath(fn);
  const files = await modelToFiles(model);
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new BeatSslError(fn, `dir must be a folder that can be created, but creating ${JSON.stringify(dir)} failed (${(err as Error).message}).`, 'dir');
  }
  await writeFilesAtomic(
    [
      { path: join(dir, 'weights.bin'), data: files.weights },
      { path: join(dir, 'model.json'), data: JSON.stringify(files.modelJson) },
    ],
    { fn },
  );
}

/**
 * Reads a model written by {@link writeModelDir} (or by the TF.js converter with its weights files
 * listed in `model.json`) — Node only.
 * @param dir folder with `model.json` and its weights files
 * @param fn public function named in errors
 * @returns the model (dispose it when done)
 * @throws BeatSslError naming `dir` when `model.json` or a weights file is missing or unreadable
 * @example
 * ```ts
 * const model = await readModelDir('runs/enc', 'myLoader');
 * ```
 */
export async function readModelDir(dir: string, fn: string): Promise<tfl.LayersModel> {
  const fs = await nodeFs(fn);
  const { join } = await nodePath(fn);
  let modelJson: ModelFiles['modelJson'];
  try {
    modelJson = JSON.parse(await fs.readFile(join(dir, 'model.json'), 'utf8'));
  } catch (err) {
    throw new BeatSslError(fn, `dir must contain a readable model.json, but got ${JSON.stringify(dir)} (${(err as Error).message}).`, 'dir');
  }
  const parts: Uint8Array[] = [];
  try {
    for (const group of modelJson.weightsManifest ?? []) for (const p of group.paths) parts.push(new Uint8Array(await fs.readFile(join(dir, p))));
  } catch (err) {
    throw new BeatSslError(fn, `dir must contain the weights files listed in model.json, but got ${JSON.stringify(dir)} (${(err as Error).message}).`, 'dir');
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const weights = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    weights.set(p, o);
    o += p.byteLength;
  }
  return modelFromFiles({ modelJson, weights });
}

/**
 * Encodes named tensors (e.g. optimizer state) to bytes + weight specs (any runtime).
 * @param tensors tensors with unique names
 * @returns `{ data, specs }`: the bytes and the manifest entries describing them
 * @throws if a tensor has an unsupported dtype
 * @example
 * ```ts
 * const { data, specs } = await encodeNamedTensors(await optimizer.getWeights());
 * ```
 */
export async function encodeNamedTensors(tensors: NamedTensor[]): Promise<{ data: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const fn = 'encodeNamedTensors';
  if (!Array.isArray(tensors)) throw new BeatSslError(fn, `tensors must be an array of { name, tensor }, but got ${describe(tensors)}.`, 'tensors');
  tensors.forEach((t, i) => {
    const ok = t !== null && typeof t === 'object' && typeof t.name === 'string' && t.name.length > 0 && t.tensor instanceof tf.Tensor && !t.tensor.isDisposed;
    if (!ok) throw new BeatSslError(fn, `tensors[${i}] must be { name: a non-empty string, tensor: a live tf.Tensor }, but got ${describe(t)}.`, 'tensors');
  });
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return { data: new Uint8Array(data), specs };
}

/**
 * Decodes {@link encodeNamedTensors} output, preserving order (any runtime). The caller disposes
 * the tensors.
 * @param data the bytes
 * @param specs the manifest entries
 * @returns the named tensors, in `specs` order
 * @throws if the bytes do not match the specs
 * @example
 * ```ts
 * const named = decodeNamedTensors(data, specs);
 * await optimizer.setWeights(named);
 * tf.dispose(named.map((n) => n.tensor));
 * ```
 */
export function decodeNamedTensors(data: Uint8Array, specs: tf.io.WeightsManifestEntry[]): NamedTensor[] {
  const fn = 'decodeNamedTensors';
  if (!(data instanceof Uint8Array)) throw new BeatSslError(fn, `data must be a Uint8Array (from encodeNamedTensors), but got ${describe(data)}.`, 'data');
  if (!Array.isArray(specs)) throw new BeatSslError(fn, `specs must be an array of weight manifest entries { name, shape, dtype }, but got ${describe(specs)}.`, 'specs');
  specs.forEach((s, i) => {
    const ok = s !== null && typeof s === 'object' && typeof s.name === 'string' && Array.isArray(s.shape) && s.shape.every((d) => Number.isInteger(d) && d >= 0) && typeof s.dtype === 'string';
    if (!ok) throw new BeatSslError(fn, `specs[${i}] must be a weight manifest entry { name, shape, dtype }, but got ${describe(s)}.`, 'specs');
  });
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  let map: tf.NamedTensorMap;
  try {
    map = tf.io.decodeWeights(buffer, specs);
  } catch (e) {
    throw new BeatSslError(fn, `data must hold the bytes the specs describe, but decoding failed: ${(e as Error).message}`, 'data');
  }
  return specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
}
