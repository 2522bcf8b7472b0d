/**
 * The `preprocess.json` of a segmentation model folder → a {@link SegmentationModel}; shared by the
 * Node loader (`loadSegmentationModel`) and the in-memory one (`segmentationModelFromFiles`).
 * @internal
 */
import { check, checkFs } from '../../core/errors';
import type { EcgSegmenter } from '../segmentation';
import type { SegmentationModel, SegmentationPreprocessing } from '../segmentRecord';
import type { LabelsToWavesOptions } from '../waves';

/** Contents of `preprocess.json`. */
export type PreprocessJson = Partial<SegmentationPreprocessing> & {
  postprocessing?: LabelsToWavesOptions;
  calibrationMs?: SegmentationModel['calibrationMs'];
  waveSources?: SegmentationModel['waveSources'];
};

/** Assembles the model from a checked `preprocess.json` ({@link checkPreprocessJson}); `dir` when loaded from disk. */
export function segmentationModelFrom(segmenter: EcgSegmenter, pre: PreprocessJson, dir?: string): SegmentationModel {
  const model: SegmentationModel = {
    segmenter,
    preprocessing: { fs: pre.fs!, leads: pre.leads!, bandpassHz: pre.bandpassHz ?? null, standardize: pre.standardize ?? 'lead' },
    postprocessing: pre.postprocessing,
    calibrationMs: pre.calibrationMs,
    waveSources: pre.waveSources,
    dispose: () => segmenter.dispose(),
  };
  if (dir !== undefined) model.dir = dir;
  return model;
}

/** Checks the required fields of `preprocess.json` before any weights are loaded. */
export function checkPreprocessJson(pre: PreprocessJson, fn: string): void {
  checkFs(pre.fs, fn, 'preprocess.json fs');
  check(Array.isArray(pre.leads) && pre.leads.length > 0, fn, 'preprocess.json leads', 'a list of lead names', pre.leads);
}
