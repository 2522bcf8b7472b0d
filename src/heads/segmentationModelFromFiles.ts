/**
 * Loading a saved segmentation model from in-memory files, for browsers (fetch or File API) and
 * any runtime without a file system.
 * @module
 */
import { check, fail } from '../core/errors';
import type { ResolvedEncoderConfig } from '../models/encoder';
import { modelFromFiles, type ModelFiles } from '../models/persist';
import { encoderFromCombined } from './_internal/combined';
import { EcgSegmenter, type SegmenterConfig } from './segmentation';
import { segmentationModelOf, type SegmentationModel } from './segmentationModel';
import { segmentationSettings } from './modelFolder';
import { parsePreprocessSpec } from '../signal/preprocess';

/** The files of a model folder written by `saveSegmentationModel`, as bytes or text. */
export type SegmentationModelFiles = Record<string, Uint8Array | string>;

const FN = 'segmentationModelFromFiles';

function text(files: SegmentationModelFiles, name: string): string {
  const v = files[name];
  if (v === undefined) fail(FN, `files['${name}']`, 'present (a saved segmentation model has model.json, weights.bin, segmenter.json, preprocess.json)', Object.keys(files));
  return typeof v === 'string' ? v : new TextDecoder().decode(v);
}

function json<T>(files: SegmentationModelFiles, name: string): T {
  try {
    return JSON.parse(text(files, name)) as T;
  } catch (e) {
    if ((e as Error).name === 'BeatSslError') throw e;
    return fail(FN, `files['${name}']`, 'valid JSON', (e as Error).message);
  }
}

/**
 * Builds a {@link SegmentationModel} from the files of a saved model folder (`model.json`,
 * `weights.bin`, `segmenter.json`, `preprocess.json`) held in memory. Runtime-neutral: use it in a
 * browser with `fetch` or dropped files, then call `segmentRecord(record, model)`.
 *
 * @param files file name → contents (bytes or text); `weights.bin` must be bytes.
 * @returns a {@link SegmentationModel} (dispose it when done).
 * @throws when a file is missing, not valid JSON, or of another format.
 * @example
 * const names = ['model.json', 'weights.bin', 'segmenter.json', 'preprocess.json'];
 * const files = Object.fromEntries(await Promise.all(names.map(async (n) =>
 *   [n, new Uint8Array(await (await fetch(`weights/segmentation-v1/${n}`)).arrayBuffer())])));
 * const model = await segmentationModelFromFiles(files);
 * const { waves } = await segmentRecord(record, model);
 * model.dispose();
 */
export async function segmentationModelFromFiles(files: SegmentationModelFiles): Promise<SegmentationModel> {
  check(files !== null && typeof files === 'object', FN, 'files', 'an object of file name → contents', files);
  const modelJson = json<ModelFiles['modelJson']>(files, 'model.json');
  const weights = files['weights.bin'];
  check(weights instanceof Uint8Array, FN, "files['weights.bin']", 'a Uint8Array of the weight bytes', weights);
  const meta = json<{ format: string; config: Required<SegmenterConfig>; encoderConfig: ResolvedEncoderConfig; encoderOutputs: string[] }>(files, 'segmenter.json');
  if (typeof meta.format !== 'string' || !meta.format.startsWith('beat-ssl-segmenter@')) fail(FN, "files['segmenter.json'] format", "'beat-ssl-segmenter@…'", meta.format);
  const pre = json<Record<string, unknown>>(files, 'preprocess.json');
  const preprocessing = parsePreprocessSpec(pre, FN);
  const model = await modelFromFiles({ modelJson, weights });
  const segmenter = new EcgSegmenter(encoderFromCombined(model, meta.encoderOutputs, meta.encoderConfig), model, meta.config);
  return segmentationModelOf(segmenter, preprocessing, segmentationSettings(pre));
}
