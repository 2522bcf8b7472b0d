/**
 * Saving a head together with its encoder as ONE Keras functional model (converter-friendly),
 * and splitting it back into encoder + head after loading.
 * @internal
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BeatSslError, fail } from '../../core/errors';
import { wrapEncoder, type Encoder, type ResolvedEncoderConfig } from '../../models/encoder';
import { readModelDir, writeModelDir } from '../../models/persist';
import { committedDir, writeFileAtomic } from '../../core/atomicWrite';
import { nodeFs, nodePath } from '../../core/_internal/node';

/** Names of the layers producing the encoder's outputs (stages + embedding), to find them after loading. */
export function encoderOutputLayerNames(encoder: Encoder): string[] {
  return encoder.model.outputs.map((o) => o.sourceLayer.name);
}

/** Rebuilds the encoder sub-model of a loaded combined model. */
export function encoderFromCombined(model: tfl.LayersModel, outputNames: string[], config: ResolvedEncoderConfig): Encoder {
  const has = new Set(model.layers.map((l) => l.name));
  const stageNames = outputNames.slice(0, -1);
  const outputs = stageNames.map((n) => model.getLayer(n).output as tfl.SymbolicTensor);
  const gapName = outputNames[outputNames.length - 1];
  // A segmenter's model does not contain the pooling layer (not on the path to its logits): re-create it (no weights).
  const embedding = has.has(gapName)
    ? (model.getLayer(gapName).output as tfl.SymbolicTensor)
    : (tfl.layers.globalAveragePooling1d({ name: gapName }).apply(outputs[outputs.length - 1]) as tfl.SymbolicTensor);
  outputs.push(embedding);
  return wrapEncoder(tfl.model({ inputs: model.inputs, outputs, name: `${config.name}_model` }), config);
}

/**
 * Writes the files of the combined model (`model.json` + `weights.bin`) and `<metaFile>` into a
 * folder being built (inside `writeDirAtomic`).
 */
export async function writeCombinedInto(dir: string, model: tfl.LayersModel, metaFile: string, meta: unknown, fn: string): Promise<void> {
  const { join } = await nodePath(fn);
  await writeModelDir(dir, model, { fn });
  await writeFileAtomic(join(dir, metaFile), JSON.stringify(meta, null, 2), { fn });
}

/** Reads a combined model and its metadata, checking the format tag. */
export async function loadCombined<T extends { format?: string }>(dir: string, metaFile: string, format: string, fn: string): Promise<{ model: tfl.LayersModel; meta: T }> {
  const fs = await nodeFs(fn);
  const { join } = await nodePath(fn);
  dir = await committedDir(dir, { fn });
  let meta: T;
  try {
    meta = JSON.parse(await fs.readFile(join(dir, metaFile), 'utf8'));
  } catch {
    throw new BeatSslError(fn, `dir must be a directory written by save() (with ${metaFile}), but got ${JSON.stringify(dir)}.`, 'dir');
  }
  if (meta.format !== format) fail(fn, `${metaFile} format`, `'${format}'`, meta.format);
  return { model: await readModelDir(dir, fn), meta };
}
