/**
 * Does pretraining help where labels are scarce? (issue 13, step 6: the confirmation.) Every method
 * pretrains the `small` encoder with the same budget on PTB-XL folds 1–8 + LUDB 1–120 (no scored
 * record), then is fine-tuned with paired seeds:
 * - LUDB P/QRS/T segmentation from k ∈ {1, 3, 6, 12} labelled records of LUDB 1–120 (the same k records
 *   for every method at a given seed), scored on LUDB 121–160 (validation) or `--test <folder>`
 *   (held-out LUDB records): mean F1 at 150 ms, P-wave Dice, mean timing-error SD;
 * - PTB-XL superdiagnostic from 1 % and 10 % of the fold 1–8 labels (same subsets for every method),
 *   scored on fold 9 or `--ptbxl-test <folder>`: macro AUROC.
 * Methods: random initialisation (encoder at the head's learning rate, `random`, and at the pretrained
 * encoders' ×0.1, `random-slow`: the control for the slow encoder alone), SimCLR-3KG, TS2Vec, Beat-SSL
 * (the library's default objective) and any other name of METHOD_SPECS. Fine-tuning seed s uses pretraining seed s mod `--pretrain-seeds`.
 * Tables give mean ± SD per method and paired differences with 95 % t-intervals.
 *
 *   npx tsx eval/few-label.ts [--methods random,simclr-3kg,ts2vec,beat-ssl] [--records 1,3,6,12]
 *       [--fractions 0.01,0.1] [--seeds 8] [--first-seed 0] [--pretrain-steps 1000] [--pretrain-seeds 2] [--task ludb|ptbxl|both]
 *       [--test <LUDB folder>] [--ptbxl-test <PTB-XL folder>] [--steps 300] [--name few-label]
 */
import { resolve } from 'node:path';
import { setBackend } from '../src/backend/setBackend';
import { createSegmenter } from '../src/heads/segmentation';
import { createClassifier } from '../src/heads/classification';
import { sampleFraction } from '../src/data/dataset';
import { PTBXL_SUPERCLASSES } from '../src/data/ptbxl';
import { macroAuroc } from '../src/metrics/classification';
import { finetuneClassifier } from '../src/train/finetuneClassifier';
import type { Encoder } from '../src/models/encoder';
import { DATA_ROOT, elapsed, fmt, parseEvalArgs, requireDir, writeResults } from './_lib';
import { classificationTables, segmentationTables, type ClsRun, type SegRun } from './_fewLabelReport';
import { asSegmentationModel, finetuneSegmenterOnItems, prepareLudb, scoreModelOnItems, segmentationPreprocessing, type SegItem } from './_segmentation';
import { loadClsSet, predictSet, type ClsSet } from './_classification';
import { DEFAULT_PRETRAIN, METHOD_SPECS, assertOutsidePretraining, loadPretrainedEncoder, pretrainedModelDir, pretrainSpecFromFlags, randomEncoder, type PretrainSpec } from './_pretrain';

/** `random` (encoder at ×1 the head's learning rate) and `random-slow` (at the pretrained encoders' scale: the control for the slow encoder alone). */
const isRandom = (m: string) => m === 'random' || m === 'random-slow';
const args = parseEvalArgs(process.argv.slice(2), {
  seeds: 8,
  options: [
    { name: 'methods', type: 'string', valueName: 'list', description: 'random and names of METHOD_SPECS (default random,simclr-3kg,ts2vec,beat-ssl)' },
    { name: 'records', type: 'string', valueName: 'list', description: 'labelled LUDB records (default 1,3,6,12)' },
    { name: 'fractions', type: 'string', valueName: 'list', description: 'PTB-XL label fractions (default 0.01,0.1)' },
    { name: 'first-seed', type: 'number', integer: true, min: 0, description: 'first fine-tuning seed (default 0): --first-seed 8 --seeds 8 runs seeds 8–15, a replication with fresh seeds' },
    { name: 'pretrain-seeds', type: 'number', integer: true, min: 1, description: 'pretraining seeds per method (fine-tuning seed s uses s mod this; default 2)' },
    { name: 'steps', type: 'number', integer: true, min: 1, description: 'fine-tuning Adam steps (default 300)' },
    { name: 'task', type: 'string', choices: ['ludb', 'ptbxl', 'both'], description: 'which downstream task (default both)' },
    { name: 'ptbxl-test', type: 'string', valueName: 'dir', description: 'score PTB-XL on this held-out folder instead of fold 9' },
    { name: 'seg-encoder-lr-scale', type: 'number', min: 0, description: 'encoder learning-rate scale of pretrained encoders, segmentation (default 0.1)' },
    { name: 'cls-encoder-lr-scale', type: 'number', min: 0, description: 'encoder learning-rate scale of pretrained encoders, classification (default 1)' },
    { name: 'name', type: 'string', description: 'results name (eval/results/<name>.json)' },
  ],
});
const quick = args.quick;
const list = (k: string, d: string) => String(args.flags[k] ?? d).split(',').filter(Boolean);
const methods = list('methods', 'random,simclr-3kg,ts2vec,beat-ssl');
for (const m of methods) if (!isRandom(m) && !(m in METHOD_SPECS)) throw new Error(`--methods: unknown method ${m} (known: random, random-slow, ${Object.keys(METHOD_SPECS).join(', ')})`);
const recordCounts = list('records', quick ? '3' : '1,3,6,12').map(Number);
const fractions = list('fractions', quick ? '0.1' : '0.01,0.1').map(Number);
const firstSeed = Number(args.flags['first-seed'] ?? 0);
const seeds = Array.from({ length: args.seeds }, (_, i) => firstSeed + i);
const basePretrain = pretrainSpecFromFlags(args.flags, quick ? { steps: 20 } : {});
const pretrainSteps = basePretrain.steps;
const pretrainSeeds = Number(args.flags['pretrain-seeds'] ?? 2);
const ftSteps = Number(args.flags.steps ?? (quick ? 30 : 300));
const task = String(args.flags.task ?? 'both');
const clsEncoderScale = Number(args.flags['cls-encoder-lr-scale'] ?? 1);
const segEncoderScale = Number(args.flags['seg-encoder-lr-scale'] ?? 0.1);
const log = (s: string) => console.error(s);
const BASELINES = ['random', 'random-slow', 'simclr-3kg', 'ts2vec'];

/** The encoder of `method` for fine-tuning seed `seed` (a fresh copy each call). */
async function encoderFor(method: string, seed: number): Promise<Encoder> {
  if (isRandom(method)) return randomEncoder(DEFAULT_PRETRAIN.encoder, 100 + seed);
  const spec: PretrainSpec = { ...basePretrain, ...METHOD_SPECS[method], seed: seed % pretrainSeeds };
  return loadPretrainedEncoder(await pretrainedModelDir(spec, log));
}

/** Fine-tunes a segmenter from `k` labelled records for `ftSteps` Adam steps of 8 crops; scores it. */
async function segRun(method: string, train: SegItem[], evalItems: SegItem[], k: number, seed: number): Promise<SegRun> {
  const pick = sampleFraction(train.length, k / train.length, 5000 + 97 * k + seed).map((i) => train[i]);
  // Batches of 8 crops: with fewer records, each record appears several times per batch (own crops).
  const reps = Math.max(1, Math.ceil(8 / pick.length));
  const items = Array.from({ length: reps }, () => pick).flat();
  const stepsPerEpoch = Math.ceil(items.length / 8);
  const seg = createSegmenter(await encoderFor(method, seed), { seed });
  await finetuneSegmenterOnItems(seg, items, { epochs: Math.max(1, Math.round(ftSteps / stepsPerEpoch)), batchSize: 8, lr: 1e-3, seed, cropSamples: 512, encoderLrScale: method === 'random' ? 1 : segEncoderScale });
  const score = await scoreModelOnItems(asSegmentationModel(seg, segmentationPreprocessing(100)), evalItems);
  seg.dispose();
  const f = score.delineation.fiducials;
  const fids = ['P_onset', 'P_offset', 'QRS_onset', 'QRS_offset', 'T_onset', 'T_offset'] as const;
  const sd = (n: (typeof fids)[number]) => f[n].sdErrorMs;
  return {
    method,
    records: k,
    seed,
    meanF1: score.delineation.meanF1,
    diceP: score.dice.perClass[1],
    diceQRS: score.dice.perClass[2],
    diceT: score.dice.perClass[3],
    timingSdMs: fids.map(sd).filter(Number.isFinite).reduce((a, v, _, arr) => a + v / arr.length, 0),
    pTimingSdMs: (sd('P_onset') + sd('P_offset')) / 2,
  };
}

/** Fine-tunes a classifier on `fraction` of the training labels for ≈ `ftSteps` steps; macro AUROC. */
async function clsRun(method: string, train: ClsSet, evalSet: ClsSet, fraction: number, seed: number): Promise<ClsRun> {
  const idx = sampleFraction(train.x.length, fraction, 6000 + seed);
  const examples = idx.map((i) => ({ signals: train.x[i], labels: train.y[i] }));
  const batch = Math.min(32, examples.length);
  const epochs = Math.max(1, Math.round(ftSteps / Math.ceil(examples.length / batch)));
  const clf = createClassifier(await encoderFor(method, seed), { numClasses: 5, labels: [...PTBXL_SUPERCLASSES], seed });
  await finetuneClassifier({ classifier: clf, train: examples, epochs, batchSize: batch, optimizer: { learningRate: 1e-3 }, lrSchedule: { type: 'cosine' }, windowSamples: 512, encoderLearningRateScale: method === 'random' ? 1 : clsEncoderScale, seed, restoreBest: false });
  const scores = predictSet(clf, evalSet);
  clf.dispose();
  return { method, fraction, seed, macroAuroc: macroAuroc(scores, evalSet.y.map((l) => Array.from(l))).macro };
}

async function main() {
  const t0 = performance.now();
  const be = await setBackend(args.backend as 'auto');
  log(`backend: ${be.name}; methods ${methods.join(', ')}; ${seeds.length} seeds; pretraining ${pretrainSteps} steps × ${pretrainSeeds} seeds; fine-tuning ${ftSteps} steps`);
  const ours = methods.filter((m) => !BASELINES.includes(m));
  const out: Record<string, unknown> = {
    command: `npx tsx eval/few-label.ts ${process.argv.slice(2).join(' ')}`.trim(),
    backend: be.name,
    pretrainSteps,
    pretrainSeeds,
    ftSteps,
    segEncoderLrScale: segEncoderScale,
    clsEncoderLrScale: clsEncoderScale,
    methods,
  };
  const name = typeof args.flags.name === 'string' ? args.flags.name : 'few-label';
  // Saved after every run (complete: false until the end), so a stopped run keeps what it measured.
  const save = async (complete: boolean) => writeResults(name, { ...out, complete, seconds: (performance.now() - t0) / 1000 }, args.out);
  const pre = segmentationPreprocessing(100);
  if (task === 'ludb' || task === 'both') {
    const all = await prepareLudb(requireDir(resolve(DATA_ROOT, 'ludb'), 'LUDB'), pre);
    const train = all.filter((i) => i.id <= 120);
    if (args.test) await assertOutsidePretraining(args.test, '--test');
    const evalItems = args.test ? await prepareLudb(args.test, pre) : all.filter((i) => i.id > 120);
    const where = args.test ? `held-out LUDB records in ${args.test} (${evalItems.length})` : 'validation LUDB 121–160';
    const runs: SegRun[] = [];
    for (const k of recordCounts) {
      for (const seed of seeds) {
        for (const m of methods) {
          const r = await segRun(m, train, evalItems, k, seed);
          runs.push(r);
          out.ludb = { split: { train: '1-120', eval: args.test ?? '121-160' }, runs };
          await save(false);
          log(`[${elapsed(t0)}] LUDB k=${k} seed ${seed} ${m}: F1 ${fmt(r.meanF1, 4)} Dice P ${fmt(r.diceP, 3)} timing SD ${fmt(r.timingSdMs, 1)} ms`);
        }
      }
    }
    console.log(`\nLUDB segmentation, ${where}; mean ± SD over ${seeds.length} seeds (backend ${be.name})\n`);
    segmentationTables(runs, methods, ours);
    out.ludb = { split: { train: '1-120', eval: args.test ?? '121-160' }, runs };
  }
  if (task === 'ptbxl' || task === 'both') {
    const ptb = requireDir(resolve(DATA_ROOT, 'ptbxl'), 'PTB-XL');
    const train = await loadClsSet(ptb, [1, 2, 3, 4, 5, 6, 7, 8]);
    const testDir = typeof args.flags['ptbxl-test'] === 'string' ? resolve(args.flags['ptbxl-test']) : null;
    if (testDir) await assertOutsidePretraining(testDir, '--ptbxl-test');
    const evalSet = testDir ? await loadClsSet(testDir, undefined, resolve(ptb, 'scp_statements.csv')) : await loadClsSet(ptb, [9]);
    const where = testDir ? `held-out PTB-XL records in ${testDir} (${evalSet.x.length})` : 'validation fold 9';
    const runs: ClsRun[] = [];
    for (const f of fractions) {
      for (const seed of seeds) {
        for (const m of methods) {
          const r = await clsRun(m, train, evalSet, f, seed);
          runs.push(r);
          out.ptbxl = { split: { train: 'folds 1-8', eval: testDir ?? 'fold 9' }, runs };
          await save(false);
          log(`[${elapsed(t0)}] PTB-XL ${f * 100} % seed ${seed} ${m}: AUROC ${fmt(r.macroAuroc, 4)}`);
        }
      }
    }
    console.log(`\nPTB-XL superdiagnostic, ${where}; macro AUROC mean ± SD (runs) (backend ${be.name})\n`);
    classificationTables(runs, methods, ours);
    out.ptbxl = { split: { train: 'folds 1-8', eval: testDir ?? 'fold 9' }, runs };
  }
  log(`wrote ${await save(true)}`);
}

await main();
