/**
 * The label-scarce downstream data shared by eval/screen-pretraining.ts (formerly also the removed ablation and compare-methods scripts):
 * LUDB segmentation (train 1–120, validation 121–160, mean F1 at 150 ms) and PTB-XL superdiagnostic
 * (folds 1–8, validation fold 9, macro AUROC / macro F1 at 0.5), each fine-tuned from a given encoder on
 * a seeded fraction of the training labels.
 */
import { resolve } from 'node:path';
import { createSegmenter } from '../src/heads/segmentation';
import { createClassifier } from '../src/heads/classification';
import { sampleFraction } from '../src/data/dataset';
import { PTBXL_SUPERCLASSES } from '../src/data/ptbxl';
import type { Encoder } from '../src/models/encoder';
import type { PreprocessSpec } from '../src/signal/preprocess';
import { DATA_ROOT, requireDir } from './_lib';
import { asSegmentationModel, finetuneSegmenterOnItems, prepareLudb, scoreModelOnItems, segmentationPreprocessing, type SegItem } from './_segmentation';
import { clsMetrics, finetuneClassifierOnSet, loadClsSet, predictSet, subsetCls, valThresholds, type ClsSet } from './_classification';

export interface DownstreamData {
  pre: PreprocessSpec;
  segTrain: SegItem[];
  segVal: SegItem[];
  clsTrain: ClsSet;
  clsVal: ClsSet;
}

/** LUDB 1–120 / 121–160 at 100 Hz and PTB-XL folds 1–8 / 9 from ../shared/data. */
export async function loadDownstreamData(): Promise<DownstreamData> {
  const pre = segmentationPreprocessing(100);
  const ludb = await prepareLudb(requireDir(resolve(DATA_ROOT, 'ludb'), 'LUDB'), pre);
  const ptb = requireDir(resolve(DATA_ROOT, 'ptbxl'), 'PTB-XL');
  return {
    pre,
    segTrain: ludb.filter((i) => i.id <= 120),
    segVal: ludb.filter((i) => i.id > 120),
    clsTrain: await loadClsSet(ptb, [1, 2, 3, 4, 5, 6, 7, 8]),
    clsVal: await loadClsSet(ptb, [9]),
  };
}

/**
 * Fine-tunes a segmenter and a classifier, each on a fresh encoder from `encoder()`, on `fraction` of
 * the training labels (subsets seeded by `1000 + seed` and `2000 + seed`), and scores them on validation.
 * `pretrained` selects the segmentation recipe for a pretrained encoder (encoder learning rate ×0.1).
 */
export async function scoreDownstream(
  encoder: () => Promise<Encoder>,
  data: DownstreamData,
  o: { fraction: number; seed: number; segEpochs: number; clsEpochs: number; pretrained: boolean },
): Promise<{ ludbMeanF1: number; ptbxlMacroAuroc: number; ptbxlMacroF1At05: number }> {
  const { seed } = o;
  const segSub = sampleFraction(data.segTrain.length, o.fraction, 1000 + seed).map((i) => data.segTrain[i]);
  const seg = createSegmenter(await encoder(), { seed });
  // the LUDB recipe of eval/ludb-segmentation.ts: 512-sample crops, encoder ×0.1 learning rate when pretrained
  await finetuneSegmenterOnItems(seg, segSub, { epochs: o.segEpochs, seed, cropSamples: 512, encoderLrScale: o.pretrained ? 0.1 : 1 });
  const ludbMeanF1 = (await scoreModelOnItems(asSegmentationModel(seg, data.pre), data.segVal)).delineation.meanF1;
  seg.dispose();
  const clsSub = subsetCls(data.clsTrain, sampleFraction(data.clsTrain.x.length, o.fraction, 2000 + seed));
  const clf = createClassifier(await encoder(), { numClasses: 5, labels: [...PTBXL_SUPERCLASSES], seed });
  await finetuneClassifierOnSet(clf, clsSub, { epochs: o.clsEpochs, seed });
  const vs = predictSet(clf, data.clsVal);
  const m = clsMetrics(vs, data.clsVal.y, valThresholds(vs, data.clsVal.y));
  clf.dispose();
  return { ludbMeanF1, ptbxlMacroAuroc: m.macroAuroc, ptbxlMacroF1At05: m.macroF1At05 };
}
