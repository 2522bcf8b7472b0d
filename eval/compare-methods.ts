/**
 * The paper's comparison at our scale (issue 9): pretraining methods side by side on one encoder
 * (the `small` preset), one pretraining set (PTB-XL folds 1–8 + LUDB 1–160 at 100 Hz, labels unused)
 * and one budget (steps × batch), then fine-tuned on
 * - LUDB segmentation (train LUDB 1–120, 10% = 12 records or 100%; validation 121–160): mean F1 of the
 *   six fiducials at 150 ms;
 * - PTB-XL superdiagnostic (folds 1–8, 10% or 100% of the labels; validation fold 9): macro AUROC.
 *
 * Methods: random initialisation; 3KG/SimCLR (rhythm-level hard NT-Xent on 3KG views, the paper's
 * baseline); 3KG/SimCLR with patient-level positives (PTB-XL `patient_id`); TS2Vec (hierarchical
 * contrastive loss on crops, trained on the same encoder's last stage); Beat-SSL (soft rhythm + soft
 * beat targets). Mean ± SD over seeds, and a paired t-test over seeds of every method against
 * Beat-SSL per task.
 *
 *   npx tsx eval/compare-methods.ts --quick          # tiny budgets, 10% labels only, 3 seeds
 *   npx tsx eval/compare-methods.ts [--seeds 3] [--pretrain-steps 150] [--fractions 0.1,1]
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setBackend } from '../src/backend/setBackend';
import { readPtbxlLabels } from '../src/data/ptbxl';
import { BeatSslModel } from '../src/models/beatSslModel';
import type { Encoder } from '../src/models/encoder';
import { pretrainBeatSsl } from '../src/train/pretrain';
import { encoderTs2VecTrainable, pretrainTs2Vec } from '../src/train/pretrainTs2Vec';
import { pairedTTest } from '../src/metrics/pairedTTest';
import { DATA_ROOT, REPO_ROOT, elapsed, fmt, meanSd, parseEvalArgs, printTable, writeResults } from './_lib';
import { loadDownstreamData, scoreDownstream } from './_downstream';
import type { SslRecord } from '../src/data/precomputeSsl';
import { DEFAULT_PRETRAIN, loadPretrainedEncoder, pretrainKey, pretrainingRecords, pretrainSpecFromFlags, randomEncoder } from './_pretrain';

const args = parseEvalArgs(process.argv.slice(2), { seeds: 3 });
const quick = args.quick;
const basePretrain = pretrainSpecFromFlags(args.flags, quick ? { steps: 12, batchSize: 16 } : {});
const pretrainSteps = basePretrain.steps;
const pretrainBatch = basePretrain.batchSize;
const fractions = String(args.flags.fractions ?? (quick ? '0.1' : '0.1,1')).split(',').map(Number);
const segEpochs10 = Number(args.flags['seg-epochs'] ?? (quick ? 30 : 200));
const clsEpochs10 = Number(args.flags['cls-epochs'] ?? (quick ? 5 : 30));
const log = (s: string) => console.error(s);

const METHODS = ['random-init', 'simclr-3kg', 'simclr-patient', 'ts2vec', 'beat-ssl'] as const;
type Method = (typeof METHODS)[number];

/** Pretrains `method` for `seed` with the shared budget (cached under eval/results/pretrained/). */
async function pretrainedDir(method: Exclude<Method, 'random-init'>, seed: number): Promise<string> {
  const spec = { ...basePretrain, seed };
  const dir = resolve(REPO_ROOT, 'eval/results/pretrained', `${method}-${pretrainKey(spec)}`);
  if (existsSync(resolve(dir, 'done.json'))) return dir;
  const data = await pretrainingRecords(log);
  const model = BeatSslModel.create({ encoder: spec.encoder, seed: spec.seed });
  const t0 = performance.now();
  let history: number[] = [];
  if (method === 'ts2vec') {
    const T = Math.min(...data.map((r) => r.signals.length / r.leads));
    const x = new Float32Array(data.length * T * 12);
    data.forEach((r, i) => x.set(r.signals.subarray(0, T * 12), i * T * 12));
    const xt = tf.tensor3d(x, [data.length, T, 12]);
    const res = await pretrainTs2Vec({ model: encoderTs2VecTrainable(model.encoder), data: xt, steps: spec.steps, batchSize: spec.batchSize, learningRate: spec.lr, seed: spec.seed, onStep: (s) => s.step % 10 === 0 && log(`  ts2vec seed ${seed} step ${s.step}/${spec.steps} loss ${s.loss.toFixed(4)}`) });
    xt.dispose();
    history = res.losses;
  } else {
    let records: (SslRecord & { groupId?: number })[] = data;
    if (method === 'simclr-patient') {
      const entries = await readPtbxlLabels(resolve(DATA_ROOT, 'ptbxl'), { folds: [1, 2, 3, 4, 5, 6, 7, 8], keepUnlabeled: true });
      const patientOf = new Map(entries.map((e) => [e.filename.split('/').pop()!, Math.round(e.patientId)]));
      records = data.map((r) => ({ ...r, groupId: patientOf.get(r.name) }));
      const groups = new Map<number, number>();
      for (const r of records) if (r.groupId !== undefined) groups.set(r.groupId, (groups.get(r.groupId) ?? 0) + 1);
      log(`  patient ids: ${groups.size} patients, ${[...groups.values()].filter((c) => c > 1).length} with more than one record`);
    }
    const res = await pretrainBeatSsl({
      model,
      data: records,
      steps: spec.steps,
      batchSize: spec.batchSize,
      optimizer: { learningRate: spec.lr },
      rhythmTargets: method === 'beat-ssl' ? 'soft' : method === 'simclr-patient' ? 'patient' : 'hard',
      beatTargets: method === 'beat-ssl' ? 'soft' : 'none',
      exponent: spec.exponent,
      seed: spec.seed,
      onStep: (s) => void (s.step % 10 === 0 && log(`  ${method} seed ${seed} step ${s.step}/${s.totalSteps} loss ${s.loss.toFixed(4)}`)),
    });
    history = res.history.map((h) => h.loss);
  }
  mkdirSync(dir, { recursive: true });
  await model.save(dir);
  model.dispose();
  writeFileSync(resolve(dir, 'done.json'), JSON.stringify({ method, spec, seconds: (performance.now() - t0) / 1000, history }));
  return dir;
}

async function main() {
  const t0 = performance.now();
  const be = await setBackend(args.backend as 'auto');
  log(`backend: ${be.name}; pretraining ${pretrainSteps} steps × batch ${pretrainBatch}; fractions ${fractions.join(', ')}; seeds ${args.seeds}`);
  const data = await loadDownstreamData();
  const seeds = Array.from({ length: args.seeds }, (_, i) => i);
  // results[task][method] = per-seed values
  const results: Record<string, Record<Method, number[]>> = {};
  const task = (name: string) => (results[name] ??= Object.fromEntries(METHODS.map((m) => [m, []])) as unknown as Record<Method, number[]>);
  for (const seed of seeds) {
    for (const method of METHODS) {
      const dir = method === 'random-init' ? null : await pretrainedDir(method, seed);
      const enc = async (): Promise<Encoder> => (dir ? loadPretrainedEncoder(dir) : randomEncoder(DEFAULT_PRETRAIN.encoder, 100 + seed));
      for (const fraction of fractions) {
        const pct = `${Math.round(fraction * 100)}%`;
        const r = await scoreDownstream(enc, data, {
          fraction,
          seed,
          pretrained: dir !== null,
          segEpochs: Math.max(10, Math.round((segEpochs10 * 0.1) / fraction)),
          clsEpochs: Math.max(3, Math.round((clsEpochs10 * 0.1) / fraction)),
        });
        const segF1 = r.ludbMeanF1;
        const auroc = r.ptbxlMacroAuroc;
        task(`LUDB mean F1 (${pct})`)[method].push(segF1);
        task(`PTB-XL macro AUROC (${pct})`)[method].push(auroc);
        log(`seed ${seed} ${method} ${pct}: LUDB F1 ${fmt(segF1)}, PTB-XL AUROC ${fmt(auroc)} (${elapsed(t0)})`);
      }
    }
  }
  const ms = (xs: number[]) => {
    const s = meanSd(xs);
    return s.n > 1 ? `${fmt(s.mean)} ± ${fmt(s.sd)}` : fmt(s.mean);
  };
  const tasks = Object.keys(results);
  const rows = METHODS.map((m) => [m, ...tasks.map((t) => ms(results[t][m]))]);
  const pRows = METHODS.filter((m) => m !== 'beat-ssl').map((m) => [
    `${m} vs beat-ssl`,
    ...tasks.map((t) => {
      const r = pairedTTest(results[t][m], results[t]['beat-ssl']);
      return `Δ ${r.meanDifference >= 0 ? '+' : ''}${fmt(r.meanDifference)}, p ${fmt(r.p)}`;
    }),
  ]);
  console.log(`\nPretraining methods compared (${quick ? 'quick' : 'full'}: small encoder, ${pretrainSteps} steps × batch ${pretrainBatch}; seeds ${seeds.join(',')}; mean ± SD)`);
  printTable(['method', ...tasks], rows);
  console.log('\nPaired t-test over seeds against Beat-SSL (Δ = method − Beat-SSL; two-sided p)');
  printTable(['comparison', ...tasks], pRows);
  const path = writeResults('compare-methods', { command: `npx tsx eval/compare-methods.ts ${process.argv.slice(2).join(' ')}`.trim(), backend: be.name, pretrainSteps, pretrainBatch, fractions, seeds, results, seconds: (performance.now() - t0) / 1000 }, args.out);
  console.log(`\nwrote ${path} (${elapsed(t0)})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
