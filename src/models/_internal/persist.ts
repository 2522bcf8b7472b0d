/**
 * Saving and loading tfjs-layers models and named tensors as plain files (model.json + weights.bin,
 * the TF.js "layers-model" format) without tfjs-node. Node-only functions import `node:*` lazily.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { withFusedBatchNorm } from './batchNorm';
import { BeatSslError } from '../../core/errors';
import { nodeFs, nodePath } from '../../core/_internal/node';

/** A tensor with a name (optimizer weights). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** In-memory model files: the model.json object and the weights.bin bytes. */
export interface ModelFiles {
  modelJson: {
    format: 'layers-model';
    generatedBy: string;
    convertedBy: null;
    modelTopology: unknown;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  weights: Uint8Array;
}

/** Serialises a LayersModel to model.json content + weight bytes. */
export async function modelToFiles(model: tfl.LayersModel): Promise<ModelFiles> {
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

/** Rebuilds a LayersModel from {@link modelToFiles} output. */
export async function modelFromFiles(files: ModelFiles): Promise<tfl.LayersModel> {
  const w = files.weights;
  const buffer = w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer;
  const model = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: files.modelJson.modelTopology as object,
      weightSpecs: files.modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: buffer,
    }),
  );
  return withFusedBatchNorm(model);
}

/** Every `class_name` in a saved topology (for the standard-Keras-layers check). */
export function topologyClassNames(topology: unknown): string[] {
  const names = new Set<string>();
  JSON.stringify(topology, (k, v) => {
    if (k === 'class_name' && typeof v === 'string') names.add(v);
    return v;
  });
  return [...names].sort();
}

/** Writes `data` to `path` atomically (temp file in the same directory + rename). Node only. */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  const fs = await nodeFs('save');
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, path);
}

/** Writes model.json + weights.bin into `dir` (created). Node only. */
export async function writeModelDir(dir: string, model: tfl.LayersModel): Promise<void> {
  const fs = await nodeFs('save');
  const { join } = await nodePath('save');
  const files = await modelToFiles(model);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(join(dir, 'weights.bin'), files.weights);
  await fs.writeFile(join(dir, 'model.json'), JSON.stringify(files.modelJson));
}

/** Reads a model written by {@link writeModelDir} (or by the TF.js converter, single weights file group). Node only. */
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
  for (const group of modelJson.weightsManifest ?? []) for (const p of group.paths) parts.push(new Uint8Array(await fs.readFile(join(dir, p))));
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const weights = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    weights.set(p, o);
    o += p.byteLength;
  }
  return modelFromFiles({ modelJson, weights });
}

/** Encodes named tensors to bytes + specs (for optimizer state). */
export async function encodeNamedTensors(tensors: NamedTensor[]): Promise<{ data: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return { data: new Uint8Array(data), specs };
}

/** Decodes {@link encodeNamedTensors} output, preserving order. The caller disposes the tensors. */
export function decodeNamedTensors(data: Uint8Array, specs: tf.io.WeightsManifestEntry[]): NamedTensor[] {
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const map = tf.io.decodeWeights(buffer, specs);
  return specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
}
