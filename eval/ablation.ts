/**
 * Ablation of the Beat-SSL targets (the paper's Table 1 at our scale): rhythm targets
 * {hard, soft} × beat targets {none, hard, soft} × exponent γ {1, 50} (γ only matters when a
 * target is soft, so hard/none and hard/hard run once), plus a random-initialisation row. Each
 * configuration pretrains the small encoder on PTB-XL folds 1–8 + LUDB 1–160 with the same
 * budget, then is scored on both downstream tasks in the label-scarce setting:
 * - LUDB segmentation, 10% of LUDB 1–120 labels (12 records), validation 121–160: mean F1 (150 ms);
 * - PTB-XL superdiagnostic, 10% of the fold 1–8 labels, validation fold 9: macro AUROC, macro F1@0.5.
 *
 *   npx tsx eval/ablation.ts --quick        # < 30 min on 2 cores (tiny budgets: a smoke-level ablation)
 *   npx tsx eval/ablation.ts [--pretrain-steps 150] [--seeds 1]
 */
import { setBackend } from '../src/backend/setBackend';
import type { BeatTargets, RhythmTargets } from '../src/train/pretrain';
import type { Encoder } from '../src/models/encoder';
import { elapsed, fmt, meanSd, parseEvalArgs, printTable, writeResults } from './_lib';
import { loadDownstreamData, scoreDownstream } from './_downstream';
import { DEFAULT_PRETRAIN, loadPretrainedEncoder, pretrainedModelDir, pretrainSpecFromFlags, randomEncoder, type PretrainSpec } from './_pretrain';

const args = parseEvalArgs(process.argv.slice(2), { seeds: 1 });
const quick = args.quick;
const basePretrain = pretrainSpecFromFlags(args.flags, quick ? { steps: 12, batchSize: 16 } : {});
const pretrainSteps = basePretrain.steps;
const pretrainBatch = basePretrain.batchSize;
const segEpochs = Number(args.flags['seg-epochs'] ?? (quick ? 40 : 200));
const clsEpochs = Number(args.flags['cls-epochs'] ?? (quick ? 5 : 30));
const log = (s: string) => console.error(s);

interface Config {
  rhythm: RhythmTargets | 'random-init';
  beat: BeatTargets | '—';
  exponent: number | null;
}

function configs(): Config[] {
  const out: Config[] = [{ rhythm: 'random-init', beat: '—', exponent: null }];
  for (const rhythm of ['hard', 'soft'] as const) {
    for (const beat of ['none', 'hard', 'soft'] as const) {
      const soft = rhythm === 'soft' || beat === 'soft';
      for (const exponent of soft ? [1, 50] : [null]) out.push({ rhythm, beat, exponent });
    }
  }
  return out;
}

async function main() {
  const t0 = performance.now();
  const be = await setBackend(args.backend as 'auto');
  log(`backend: ${be.name}`);
  const data = await loadDownstreamData();
  const seeds = Array.from({ length: args.seeds }, (_, i) => i);
  const rows: Record<string, unknown>[] = [];
  for (const c of configs()) {
    const segF1: number[] = [];
    const auroc: number[] = [];
    const f1: number[] = [];
    let pretrainSec = 0;
    for (const seed of seeds) {
      let dir: string | null = null;
      if (c.rhythm !== 'random-init') {
        const spec: PretrainSpec = { ...basePretrain, seed, rhythmTargets: c.rhythm, beatTargets: c.beat as BeatTargets, exponent: c.exponent ?? 1 };
        const tp = performance.now();
        dir = await pretrainedModelDir(spec, log);
        pretrainSec += (performance.now() - tp) / 1000;
      }
      const enc = async (): Promise<Encoder> => (dir ? loadPretrainedEncoder(dir) : randomEncoder(DEFAULT_PRETRAIN.encoder, 100 + seed));
      const r = await scoreDownstream(enc, data, { fraction: 0.1, seed, segEpochs, clsEpochs, pretrained: dir !== null });
      segF1.push(r.ludbMeanF1);
      auroc.push(r.ptbxlMacroAuroc);
      f1.push(r.ptbxlMacroF1At05);
    }
    const row = { rhythm: c.rhythm, beat: c.beat, exponent: c.exponent, ludbMeanF1: meanSd(segF1), ptbxlMacroAuroc: meanSd(auroc), ptbxlMacroF1At05: meanSd(f1), pretrainSeconds: pretrainSec };
    rows.push(row);
    log(`${c.rhythm}/${c.beat}/γ=${c.exponent ?? '—'}: LUDB F1 ${fmt(row.ludbMeanF1.mean)}, PTB-XL AUROC ${fmt(row.ptbxlMacroAuroc.mean)}, F1 ${fmt(row.ptbxlMacroF1At05.mean)} (${elapsed(t0)})`);
  }
  console.log(`\nAblation (${quick ? 'quick' : 'full'}: pretraining ${pretrainSteps} steps × batch ${pretrainBatch}; 10% labels; seeds ${seeds.join(',')})`);
  const ms = (s: { mean: number; sd: number; n: number }) => (s.n > 1 ? `${fmt(s.mean)} ± ${fmt(s.sd)}` : fmt(s.mean));
  printTable(
    ['rhythm targets', 'beat targets', 'γ', 'LUDB mean F1 (10%)', 'PTB-XL macro AUROC (10%)', 'PTB-XL macro F1@0.5 (10%)'],
    rows.map((r) => [String(r.rhythm), String(r.beat), r.exponent === null ? '—' : String(r.exponent), ms(r.ludbMeanF1 as never), ms(r.ptbxlMacroAuroc as never), ms(r.ptbxlMacroF1At05 as never)]),
  );
  const path = writeResults('ablation', { command: `npx tsx eval/ablation.ts ${process.argv.slice(2).join(' ')}`.trim(), backend: be.name, pretrainSteps, pretrainBatch, segEpochs, clsEpochs, rows, seconds: (performance.now() - t0) / 1000 }, args.out);
  console.log(`\nwrote ${path} (${elapsed(t0)})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
