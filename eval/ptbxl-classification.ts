/**
 * PTB-XL superdiagnostic classification (DESIGN §7): fine-tune the classification head with 10%
 * and 100% of the fold 1–8 labels from (a) random initialisation and (b) a Beat-SSL-pretrained
 * encoder (pretrained on the PTB-XL records of folds 1–8 + LUDB 1–160, labels unused); validate on
 * fold 9; macro AUROC and macro F1, mean ± SD over seeds. `--test <folder>` also reports the same
 * metrics on a folder of PTB-XL records with its label file(s), with the F1 thresholds chosen on
 * fold 9.
 *
 *   npx tsx eval/ptbxl-classification.ts [--quick] [--seeds 3] [--epochs 6] [--test <folder>] [--name <results name>]
 *       [--pretrain-steps 150] [--pretrain-exponent 1] [--pretrain-rhythm-targets soft] [--pretrain-beat-targets soft] [--pretrain-batch-size 32] [--pretrain-lr 1e-3] (the shared pretraining flags)
 *
 * F1 is reported at the fixed threshold 0.5 and at per-class thresholds maximising F1 on fold 9
 * (on fold 9 itself the latter is optimistic; on --test it is the honest number).
 */
import { resolve } from 'node:path';
import { setBackend } from '../src/backend/setBackend';
import { createClassifier } from '../src/heads/classification';
import { sampleFraction } from '../src/data/dataset';
import { PTBXL_SUPERCLASSES } from '../src/data/ptbxl';
import { DATA_ROOT, elapsed, fmt, meanSd, parseEvalArgs, printTable, requireDir, writeResults } from './_lib';
import { clsMetrics, finetuneClassifierOnSet, loadClsSet, predictSet, subsetCls, valThresholds, type ClsMetrics } from './_classification';
import { DEFAULT_PRETRAIN, assertOutsidePretraining, loadPretrainedEncoder, pretrainedDirFor, pretrainSpecFromFlags, randomEncoder } from './_pretrain';

const args = parseEvalArgs(process.argv.slice(2), {
  seeds: 3,
  options: [
    { name: 'epochs', type: 'number', integer: true, min: 1, description: 'fine-tuning epochs' },
    { name: 'name', type: 'string', description: 'results name (eval/results/<name>.json)' },
  ],
});
const quick = args.quick;
const epochsFull = Number(args.flags.epochs ?? (quick ? 2 : 3));
const pretrainSpec = pretrainSpecFromFlags(args.flags, quick ? { steps: 30 } : {});
const fractions = quick ? [0.1] : [0.1, 1];
const log = (s: string) => console.error(s);

async function main() {
  const t0 = performance.now();
  const be = await setBackend(args.backend as 'auto');
  log(`backend: ${be.name}`);
  const dir = requireDir(resolve(DATA_ROOT, 'ptbxl'), 'PTB-XL');
  const train = await loadClsSet(dir, [1, 2, 3, 4, 5, 6, 7, 8]);
  const val = await loadClsSet(dir, [9]);
  if (args.test) await assertOutsidePretraining(requireDir(args.test, 'test folder'), '--test');
  const test = args.test ? await loadClsSet(requireDir(args.test, 'test folder'), undefined, resolve(dir, 'scp_statements.csv')) : null;
  log(`PTB-XL: ${train.x.length} train (folds 1–8), ${val.x.length} validation (fold 9)${test ? `, ${test.x.length} test` : ''} labelled records`);
  const seeds = Array.from({ length: args.seeds }, (_, i) => i);
  // One pretrained encoder (pretraining seed 0) shared by the fine-tuning seeds (loaded after the random-init runs).
  let pdir = '';
  const rows: { init: string; fraction: number; records: number; val: ClsMetrics[]; test: ClsMetrics[]; seconds: number[] }[] = [];
  const plan: { init: 'random' | 'pretrained'; fraction: number }[] = [];
  for (const init of ['random', 'pretrained'] as const) for (const fraction of fractions) plan.push({ init, fraction });
  for (const { init, fraction } of plan) {
    {
      if (init === 'pretrained' && !pdir) pdir = await pretrainedDirFor(args.flags, pretrainSpec, log);
      const row = { init, fraction, records: 0, val: [] as ClsMetrics[], test: [] as ClsMetrics[], seconds: [] as number[] };
      for (const seed of seeds) {
        const sub = fraction < 1 ? subsetCls(train, sampleFraction(train.x.length, fraction, 2000 + seed)) : train;
        row.records = sub.x.length;
        const encoder = init === 'pretrained' ? await loadPretrainedEncoder(pdir) : randomEncoder(DEFAULT_PRETRAIN.encoder, 100 + seed);
        const clf = createClassifier(encoder, { numClasses: 5, labels: [...PTBXL_SUPERCLASSES], seed });
        // Same number of gradient steps for 10% as for 100% would overfit; 10% gets 5× the epochs.
        const epochs = fraction < 1 ? epochsFull * 5 : epochsFull;
        const r = await finetuneClassifierOnSet(clf, sub, {
          epochs,
          seed,
          onEpoch: (e, l, s) => log(`  ${init} ${Math.round(fraction * 100)}% seed ${seed} epoch ${e + 1}/${epochs} loss ${l.toFixed(4)} ${s.toFixed(0)} s`),
        });
        row.seconds.push(r.seconds);
        const vs = predictSet(clf, val);
        const th = valThresholds(vs, val.y);
        const vm = clsMetrics(vs, val.y, th);
        row.val.push(vm);
        log(`${init} ${Math.round(fraction * 100)}% seed ${seed}: fold 9 macro AUROC ${vm.macroAuroc.toFixed(4)}, macro F1@0.5 ${vm.macroF1At05.toFixed(4)}`);
        if (test) row.test.push(clsMetrics(predictSet(clf, test), test.y, th));
        clf.dispose();
      }
      rows.push(row);
      await writeResults(typeof args.flags.name === 'string' ? args.flags.name : 'ptbxl-classification', { partial: true, rows }, args.out);
    }
  }
  const ms = (xs: number[], d = 3) => {
    const s = meanSd(xs);
    return `${fmt(s.mean, d)} ± ${fmt(s.sd, d)}`;
  };
  for (const split of ['val', 'test'] as const) {
    if (split === 'test' && !test) continue;
    console.log(`\nPTB-XL superdiagnostic, ${split === 'val' ? 'fold 9 (validation)' : `test (${args.test})`}: mean ± SD over ${seeds.length} seed(s), backend ${be.name}`);
    printTable(
      ['init', 'labels', 'macro AUROC', 'macro F1 @0.5', 'macro F1 @fold-9 thresholds', ...PTBXL_SUPERCLASSES.map((c) => `AUROC ${c}`)],
      rows.map((r) => {
        const m = r[split];
        return [
          r.init,
          `${Math.round(r.fraction * 100)}% (${r.records})`,
          ms(m.map((x) => x.macroAuroc)),
          ms(m.map((x) => x.macroF1At05)),
          ms(m.map((x) => x.macroF1ValThresholds)),
          ...PTBXL_SUPERCLASSES.map((_, j) => fmt(meanSd(m.map((x) => x.perClassAuroc[j])).mean)),
        ];
      }),
    );
  }
  const path = await writeResults(typeof args.flags.name === 'string' ? args.flags.name : 'ptbxl-classification', { command: `npx tsx eval/ptbxl-classification.ts ${process.argv.slice(2).join(' ')}`.trim(), backend: be.name, epochsFull, pretrain: pretrainSpec, pretrained: pdir, rows, seconds: (performance.now() - t0) / 1000 }, args.out);
  console.log(`\nwrote ${path} (${elapsed(t0)})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
