/**
 * LUDB P/QRS/T segmentation (DESIGN §7): U-Net segmenter fine-tuned from (a) random
 * initialisation and (b) a Beat-SSL-pretrained encoder, with all training labels and with 10%,
 * scored against lead II annotations inside the annotated span: the six fiducials' Se, +P, F1
 * (150 ms), mean ± SD timing error (ms) and per-class Dice; the rule-based delineator of
 * `beat-ssl/beats` (when present) as a baseline.
 *
 * Fine-tuning recipe (defaults): one random 512-sample (5.12 s) crop per record and epoch, 60 epochs
 * (480 Adam steps of 16 crops with all labels; the same number of steps with 10%), 2e-3 cosine,
 * amplitude/noise augmentation, encoder learning rate ×0.1 for a pretrained encoder (×1 for random).
 *
 * Split: LUDB 1–120 train, 121–160 validation (../shared/data); `--test <folder>` also scores
 * every condition on a folder of LUDB-format records (e.g. LUDB 161–200).
 *
 *   npx tsx eval/ludb-segmentation.ts [--quick] [--seeds 1] [--epochs 60] [--test <folder>]
 *       [--fractions 1,0.1] [--shared-pretrain]   (one pretrained encoder, seed 0, for every fine-tuning seed)
 *       [--pretrain-steps 150] [--pretrain-exponent 1] [--pretrain-rhythm-targets soft] [--pretrain-beat-targets soft] [--pretrain-batch-size 32] [--pretrain-lr 1e-3] (the shared pretraining flags)
 *       [--inits random,pretrained] [--lr 2e-3] [--batch 16] [--crop 512|none] [--encoder-lr-scale 0.1] [--random-encoder-lr-scale 1] [--no-baseline]
 */
import { resolve } from 'node:path';
import { setBackend } from '../src/backend/setBackend';
import { createSegmenter } from '../src/heads/segmentation';
import { sampleFraction } from '../src/data/dataset';
import type { SegmentationScore } from '../src/metrics/segmentation';
import { DELINEATION_FIDUCIALS } from '../src/metrics/delineation';
import type { Wave } from '../src/core/types';
import { DATA_ROOT, elapsed, fmt, meanSd, parseEvalArgs, printTable, requireDir, writeResults } from './_lib';
import { asSegmentationModel, finetuneSegmenterOnItems, prepareLudb, scoreModelOnItems, scoreWavesOnItems, segmentationPreprocessing, type SegItem } from './_segmentation';
import { DEFAULT_PRETRAIN, assertOutsidePretraining, loadPretrainedEncoder, pretrainedDirFor, pretrainSpecFromFlags, randomEncoder } from './_pretrain';

const args = parseEvalArgs(process.argv.slice(2), {
  seeds: 1,
  options: [
    { name: 'epochs', type: 'number', integer: true, min: 1, description: 'fine-tuning epochs with all labels' },
    { name: 'fractions', type: 'string', valueName: 'list', description: 'label fractions, e.g. 1,0.1' },
    { name: 'inits', type: 'string', valueName: 'list', description: 'random,pretrained' },
    { name: 'batch', type: 'number', integer: true, min: 1, description: 'crops per batch' },
    { name: 'lr', type: 'number', min: 0, minExclusive: true, description: 'Adam learning rate' },
    { name: 'encoder-lr-scale', type: 'number', min: 0, description: 'encoder learning-rate scale (pretrained)' },
    { name: 'random-encoder-lr-scale', type: 'number', min: 0, description: 'encoder learning-rate scale (random init)' },
    { name: 'crop', type: 'string', valueName: 'samples|none', description: 'training crop length' },
    { name: 'shared-pretrain', type: 'boolean', default: false, description: 'one pretrained encoder (seed 0) for every seed' },
    { name: 'baseline', type: 'boolean', default: true, description: 'score the rule-based delineator too (--no-baseline: skip)' },
    { name: 'name', type: 'string', description: 'results name (eval/results/<name>.json)' },
  ],
});
const quick = args.quick;
const epochsFull = Number(args.flags.epochs ?? (quick ? 16 : 60));
const pretrainSpec = pretrainSpecFromFlags(args.flags, quick ? { steps: 30 } : {});
const log = (s: string) => console.error(s);

interface ConditionResult {
  condition: string;
  init: 'random' | 'pretrained' | 'rule-based';
  labels: string;
  seeds: number[];
  validation: Summary;
  test?: Summary;
  trainSeconds: number[];
}
interface Summary {
  meanF1: { mean: number; sd: number };
  fiducials: Record<string, { se: number; ppv: number; f1: number; meanErrorMs: number; sdErrorMs: number }>;
  dice: number[];
  perSeedMeanF1: number[];
}

function summarise(scores: SegmentationScore[]): Summary {
  const first = scores[0];
  const fid: Summary['fiducials'] = {};
  for (const f of DELINEATION_FIDUCIALS) {
    const m = (k: 'se' | 'ppv' | 'f1' | 'meanErrorMs' | 'sdErrorMs') => meanSd(scores.map((s) => s.delineation.fiducials[f][k])).mean;
    fid[f] = { se: m('se'), ppv: m('ppv'), f1: m('f1'), meanErrorMs: m('meanErrorMs'), sdErrorMs: m('sdErrorMs') };
  }
  const f1s = scores.map((s) => s.delineation.meanF1);
  const ms = meanSd(f1s);
  return {
    meanF1: { mean: ms.mean, sd: ms.sd },
    fiducials: fid,
    dice: first.dice.perClass.map((_, c) => meanSd(scores.map((s) => s.dice.perClass[c])).mean),
    perSeedMeanF1: f1s,
  };
}

async function main() {
  const t0 = performance.now();
  const be = await setBackend(args.backend as 'auto');
  log(`backend: ${be.name}`);
  const ludbDir = requireDir(resolve(DATA_ROOT, 'ludb'), 'LUDB');
  const pre = segmentationPreprocessing(100);
  const all = await prepareLudb(ludbDir, pre);
  const train = all.filter((i) => i.id <= 120);
  const val = all.filter((i) => i.id >= 121 && i.id <= 160);
  if (args.test) await assertOutsidePretraining(requireDir(args.test, 'test folder'), '--test');
  const test: SegItem[] | null = args.test ? await prepareLudb(requireDir(args.test, 'test folder'), pre) : null;
  log(`LUDB: ${train.length} train (1–120), ${val.length} validation (121–160)${test ? `, ${test.length} test (${args.test})` : ''}`);
  const seeds = Array.from({ length: args.seeds }, (_, i) => i);
  const results: ConditionResult[] = [];

  // Rule-based baseline (beat-ssl/beats delineateBeats), if available.
  if (args.flags.baseline !== false) try {
    const beats = (await import('../src/beats/index')) as Record<string, unknown>;
    const delineate = beats.delineateBeats as undefined | ((s: Float32Array[], fs: number, peaks: Int32Array) => unknown);
    const detect = beats.detectRPeaks as (s: Float32Array[], fs: number) => Int32Array;
    if (typeof delineate === 'function') {
      const run = (items: SegItem[]) =>
        items.map((it) => {
          const rec = it.sample.record;
          const out = delineate(rec.signals, rec.fs, detect(rec.signals, rec.fs)) as { waves?: Wave[] } | Wave[];
          return Array.isArray(out) ? out : out.waves ?? [];
        });
      const v = scoreWavesOnItems(val, run(val));
      results.push({ condition: 'rule-based delineator', init: 'rule-based', labels: '—', seeds: [0], validation: summarise([v]), test: test ? summarise([scoreWavesOnItems(test, run(test))]) : undefined, trainSeconds: [0] });
    } else log('rule-based baseline skipped: beat-ssl/beats has no delineateBeats yet');
  } catch (e) {
    log(`rule-based baseline failed: ${(e as Error).message}`);
  }

  const fractions = typeof args.flags.fractions === 'string' ? args.flags.fractions.split(',').map(Number) : [1, 0.1];
  const conditions: { init: 'random' | 'pretrained'; fraction: number }[] = [];
  const inits = (typeof args.flags.inits === 'string' ? args.flags.inits.split(',') : ['random', 'pretrained']) as ('random' | 'pretrained')[];
  for (const init of inits) for (const fraction of fractions) conditions.push({ init, fraction });
  const batchSize = Number(args.flags.batch ?? 16);
  const lr = Number(args.flags.lr ?? 2e-3);
  // encoder learning rate relative to the decoder's, per initialisation
  const encoderLrScale = { pretrained: Number(args.flags['encoder-lr-scale'] ?? 0.1), random: Number(args.flags['random-encoder-lr-scale'] ?? 1) };
  const cropSamples = args.flags.crop === 'none' ? undefined : Number(args.flags.crop ?? 512);
  const sharedPretrain = args.flags['shared-pretrain'] === true;
  const stepsFull = () => epochsFull * Math.ceil(train.length / batchSize);
  for (const c of conditions) {
    const vScores: SegmentationScore[] = [];
    const tScores: SegmentationScore[] = [];
    const secs: number[] = [];
    let nLabelled = 0;
    for (const seed of seeds) {
      const subset = c.fraction < 1 ? sampleFraction(train.length, c.fraction, 1000 + seed).map((i) => train[i]) : train;
      nLabelled = subset.length;
      const encoder = c.init === 'pretrained' ? await loadPretrainedEncoder(await pretrainedDirFor(args.flags, { ...pretrainSpec, seed: sharedPretrain ? 0 : seed }, log)) : randomEncoder(DEFAULT_PRETRAIN.encoder, seed);
      const seg = createSegmenter(encoder, { seed });
      const epochs = Math.max(1, Math.round(stepsFull() / Math.ceil(subset.length / batchSize)));
      const tr = await finetuneSegmenterOnItems(seg, subset, {
        epochs,
        seed,
        batchSize,
        lr,
        cropSamples,
        encoderLrScale: encoderLrScale[c.init],
        onEpoch: (e, l, s) => {
          if (e % 10 === 0 || e === epochs - 1) log(`  ${c.init} ${subset.length} rec seed ${seed} epoch ${e + 1}/${epochs} loss ${l.toFixed(4)} ${s.toFixed(0)} s`);
        },
      });
      secs.push(tr.seconds);
      const model = asSegmentationModel(seg, pre);
      const v = await scoreModelOnItems(model, val);
      vScores.push(v);
      const worst = [...v.perRecordF1].sort((a, b) => a.f1 - b.f1).slice(0, 5).map((r) => `${r.id}:${r.f1.toFixed(3)}`).join(' ');
      log(`${c.init} ${subset.length} records seed ${seed}: validation mean F1 ${v.delineation.meanF1.toFixed(4)} (${tr.seconds.toFixed(0)} s training; worst records ${worst})`);
      if (test) tScores.push(await scoreModelOnItems(model, test));
      seg.dispose();
    }
    results.push({
      condition: `${c.init} init, ${c.fraction === 1 ? 'all' : '10%'} labels (${nLabelled} records)`,
      init: c.init,
      labels: c.fraction === 1 ? 'all' : '10%',
      seeds,
      validation: summarise(vScores),
      test: test ? summarise(tScores) : undefined,
      trainSeconds: secs,
    });
    await writeResults(typeof args.flags.name === 'string' ? args.flags.name : 'ludb-segmentation', { partial: true, results }, args.out);
  }

  for (const split of ['validation', 'test'] as const) {
    if (split === 'test' && !test) continue;
    console.log(`\nLUDB ${split === 'validation' ? 'validation (records 121–160)' : `test (${args.test})`}: F1 at 150 ms per fiducial, mean ± SD over seeds of the mean F1 (backend ${be.name})`);
    printTable(
      ['condition', 'mean F1', ...DELINEATION_FIDUCIALS.map((f) => f.replace('_', ' ')), 'Dice P/QRS/T'],
      results.map((r) => {
        const s = r[split]!;
        return [r.condition, `${fmt(s.meanF1.mean)} ± ${fmt(s.meanF1.sd)}`, ...DELINEATION_FIDUCIALS.map((f) => fmt(s.fiducials[f].f1)), s.dice.slice(1).map((d) => fmt(d)).join(' / ')];
      }),
    );
    console.log(`\nLUDB ${split}: timing error (ms), mean ± SD over matched fiducials (first seed's pooled errors averaged over seeds; backend ${be.name})`);
    printTable(
      ['condition', ...DELINEATION_FIDUCIALS.map((f) => f.replace('_', ' '))],
      results.map((r) => [r.condition, ...DELINEATION_FIDUCIALS.map((f) => `${fmt(r[split]!.fiducials[f].meanErrorMs, 1)} ± ${fmt(r[split]!.fiducials[f].sdErrorMs, 1)}`)]),
    );
  }
  const name = typeof args.flags.name === 'string' ? args.flags.name : 'ludb-segmentation';
  const path = await writeResults(name, { command: `npx tsx eval/ludb-segmentation.ts ${process.argv.slice(2).join(' ')}`.trim(), backend: be.name, epochsFull, pretrain: pretrainSpec, pretrainedDir: args.flags['pretrained-dir'] ?? null, split: { train: '1-120', validation: '121-160', test: args.test }, results, seconds: (performance.now() - t0) / 1000 }, args.out);
  console.log(`\nwrote ${path} (${elapsed(t0)})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
