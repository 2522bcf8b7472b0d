/**
 * Trains the segmentation weights shipped in `weights/segmentation-v1/` (see docs/model-card.md):
 * Beat-SSL-pretrained encoder (PTB-XL folds 1–8 + LUDB 1–160 of ../shared/data, labels unused)
 * + U-Net head fine-tuned on LUDB 1–160 (lead II labels) at 100 Hz, then a boundary calibration
 * measured on the same training records.
 *
 *   nice -n 10 npx tsx scripts/train-segmentation-weights.ts [--epochs 60] [--crop 512|none] [--encoder-lr-scale 0.1] [--out weights/segmentation-v1] [--holdout]
 *       [--pretrain-steps 150] [--pretrain-exponent 1] ...   (the pretraining flags of eval/_pretrain.ts pretrainSpecFromFlags)
 *
 * `--holdout` trains on 1–120 only and reports 121–160 (a dry run of the recipe).
 * `--wave-sources P=rules,QRS=rules` (default) makes `segmentRecord` take those wave types from the
 * rule-based `delineateBeats` and the others from the model; `--wave-sources none` keeps the model's.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { setBackend } from '../src/backend/setBackend';
import { createSegmenter } from '../src/heads/segmentation';
import { saveSegmentationModel, type SegmentationModel } from '../src/heads/segmentRecord';
import { DELINEATION_FIDUCIALS } from '../src/metrics/delineation';
import { DATA_ROOT, REPO_ROOT, parseEvalArgs, requireDir } from '../eval/_lib';
import { asSegmentationModel, finetuneSegmenterOnItems, prepareLudb, scoreModelOnItems, segmentationPreprocessing, SEGMENTATION_POSTPROCESSING } from '../eval/_segmentation';
import { loadPretrainedEncoder, pretrainedModelDir, pretrainSpecFromFlags } from '../eval/_pretrain';

const args = parseEvalArgs(process.argv.slice(2), {
  options: [
    { name: 'epochs', type: 'number', integer: true, min: 1, description: 'fine-tuning epochs' },
    { name: 'crop', type: 'string', valueName: 'samples|none', description: 'training crop length' },
    { name: 'encoder-lr-scale', type: 'number', min: 0, description: 'encoder learning-rate scale' },
    { name: 'holdout', type: 'boolean', default: false, description: 'train on 1–120, report 121–160' },
    { name: 'wave-sources', type: 'string', description: 'P=rules,QRS=rules or none' },
  ],
});
const epochs = Number(args.flags.epochs ?? 60);
const cropSamples = args.flags.crop === 'none' ? undefined : Number(args.flags.crop ?? 512);
const pretrainSpec = pretrainSpecFromFlags(args.flags);
const encoderLrScale = Number(args.flags['encoder-lr-scale'] ?? 0.1);
const holdout = args.flags.holdout === true;
const out = resolve(REPO_ROOT, typeof args.flags.out === 'string' ? args.flags.out : holdout ? '.cache/segmentation-holdout' : 'weights/segmentation-v1');
const log = (s: string) => console.error(s);
const sourcesArg = typeof args.flags['wave-sources'] === 'string' ? args.flags['wave-sources'] : 'P=rules,QRS=rules';
const waveSources: SegmentationModel['waveSources'] =
  sourcesArg === 'none' ? undefined : Object.fromEntries(sourcesArg.split(',').map((kv) => kv.split('=') as ['P' | 'QRS' | 'T', 'model' | 'rules']));

async function main() {
  const t0 = performance.now();
  const be = await setBackend(args.backend as 'auto');
  log(`backend ${be.name}`);
  const pre = segmentationPreprocessing(100);
  const items = await prepareLudb(requireDir(resolve(DATA_ROOT, 'ludb'), 'LUDB'), pre);
  const train = holdout ? items.filter((i) => i.id <= 120) : items;
  const val = holdout ? items.filter((i) => i.id > 120) : [];
  const pdir = await pretrainedModelDir(pretrainSpec, log);
  const seg = createSegmenter(await loadPretrainedEncoder(pdir), { seed: 0 });
  const tr = await finetuneSegmenterOnItems(seg, train, {
    epochs,
    seed: 0,
    cropSamples,
    encoderLrScale,
    onEpoch: (e, l, s) => log(`epoch ${e + 1}/${epochs} loss ${l.toFixed(4)} ${s.toFixed(0)} s`),
  });
  // Boundary calibration: mean timing error per fiducial on the training records.
  const model: SegmentationModel = asSegmentationModel(seg, pre);
  const fit = await scoreModelOnItems(model, train);
  const f = fit.delineation.fiducials;
  const calibrationMs = {
    P: [f.P_onset.meanErrorMs, f.P_offset.meanErrorMs],
    QRS: [f.QRS_onset.meanErrorMs, f.QRS_offset.meanErrorMs],
    T: [f.T_onset.meanErrorMs, f.T_offset.meanErrorMs],
  } as Record<'P' | 'QRS' | 'T', [number, number]>;
  for (const k of Object.keys(calibrationMs) as ('P' | 'QRS' | 'T')[]) calibrationMs[k] = calibrationMs[k].map((v) => Math.round(v * 10) / 10) as [number, number];
  log(`training-set mean F1 ${fit.delineation.meanF1.toFixed(4)}; calibration (ms) ${JSON.stringify(calibrationMs)}`);
  const report: Record<string, unknown> = {
    command: `npx tsx scripts/train-segmentation-weights.ts ${process.argv.slice(2).join(' ')}`.trim(),
    backend: be.name,
    pretrained: relative(REPO_ROOT, pdir),
    pretrain: pretrainSpec,
    epochs,
    cropSamples,
    encoderLrScale,
    trainRecords: train.map((i) => i.id),
    trainSeconds: tr.seconds,
    finalLoss: tr.losses[tr.losses.length - 1],
    trainingSetMeanF1: fit.delineation.meanF1,
    calibrationMs,
    waveSources,
  };
  if (val.length) {
    const calibrated: SegmentationModel = { ...model, calibrationMs };
    const fused: SegmentationModel = { ...calibrated, waveSources };
    for (const [name, m] of [['uncalibrated', model], ['calibrated', calibrated], ['calibrated+waveSources', fused]] as const) {
      if (name === 'calibrated+waveSources' && !waveSources) continue;
      const v = await scoreModelOnItems(m, val);
      report[`validation_${name}`] = { meanF1: v.delineation.meanF1, fiducials: v.delineation.fiducials, dice: v.dice.perClass };
      log(`validation 121–160 (${name}): mean F1 ${v.delineation.meanF1.toFixed(4)} | ` + DELINEATION_FIDUCIALS.map((k) => `${k} ${v.delineation.fiducials[k].f1.toFixed(3)} ${v.delineation.fiducials[k].meanErrorMs.toFixed(1)}±${v.delineation.fiducials[k].sdErrorMs.toFixed(1)}`).join(' | '));
      log(`  records below 0.97: ${v.perRecordF1.filter((r) => r.f1 < 0.97).map((r) => `${r.id}:${r.f1.toFixed(3)}`).join(' ')}`);
    }
  }
  mkdirSync(out, { recursive: true });
  // saving replaces the folder atomically: keep its README (the weights' short card) across re-training
  const readme = existsSync(resolve(out, 'README.md')) ? readFileSync(resolve(out, 'README.md'), 'utf8') : null;
  await saveSegmentationModel(out, seg, pre, SEGMENTATION_POSTPROCESSING, calibrationMs, waveSources);
  if (readme !== null) writeFileSync(resolve(out, 'README.md'), readme);
  writeFileSync(resolve(out, 'training.json'), JSON.stringify(report, null, 1) + '\n');
  const bytes = readdirSync(out).reduce((a, n) => a + statSync(resolve(out, n)).size, 0);
  log(`saved ${out} (${(bytes / 1e6).toFixed(2)} MB) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  seg.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
