/**
 * Screening of pretraining configurations with frozen-encoder probes (issue 13, step 6): each
 * configuration pretrains the `small` encoder for `--steps` steps on PTB-XL folds 1–8 + LUDB 1–120
 * (no scored record), and is scored by
 * - its learning signal: rhythm/beat KL to the targets (first → last 10 % of logged steps) and top-1
 *   retrieval of the other view in the batch;
 * - the PTB-XL linear probe (10 % of the fold 1–8 labels, macro AUROC on fold 9);
 * - the LUDB per-sample linear probe on early-stage features (6 records of 1–120, Dice on 121–160).
 * Validation numbers (fold 9, LUDB 121–160): for choosing, not for claiming.
 *
 *   npx tsx eval/screen-pretraining.ts [--steps 300] [--configs default,simclr-3kg,...] [--probe-seeds 3]
 */
import { setBackend } from '../src/backend/setBackend';
import type { Encoder } from '../src/models/encoder';
import { elapsed, fmt, parseEvalArgs, printTable, writeResults } from './_lib';
import { loadDownstreamData } from './_downstream';
import { DEFAULT_PRETRAIN, loadPretrainedEncoder, pretrainedModelDir, randomEncoder, readPretrainDone, type PretrainSpec, type SignalPoint } from './_pretrain';
import { ludbProbe, ptbxlProbe } from './_probes';

const args = parseEvalArgs(process.argv.slice(2), {
  seeds: 1,
  options: [
    { name: 'steps', type: 'number', integer: true, min: 1, description: 'pretraining steps per configuration (default 300; 20 with --quick)' },
    { name: 'configs', type: 'string', valueName: 'list', description: 'configurations to screen (default: all of CONFIGS)' },
    { name: 'probe-seeds', type: 'number', integer: true, min: 1, description: 'label-subset seeds of each probe (default 3)' },
    { name: 'name', type: 'string', description: 'results name (eval/results/<name>.json)' },
  ],
});
const steps = Number(args.flags.steps ?? (args.quick ? 20 : 300));
const probeSeeds = Array.from({ length: Number(args.flags['probe-seeds'] ?? 3) }, (_, i) => i);
const log = (s: string) => console.error(s);

/** The screened configurations: a partial spec over the default (calibrated soft rhythm, hard beats at stride 4). */
const CONFIGS: Record<string, Partial<PretrainSpec> | null> = {
  random: null,
  'simclr-3kg': { objective: 'simclr3kg' },
  ts2vec: { method: 'ts2vec', objective: 'simclr3kg' },
  'hard-hard': { objective: 'hardHard' },
  default: { objective: 'default' },
  'share-0.3': { objective: { rhythmTargets: 'soft', exponent: 'calibrated', positiveShare: 0.3, beatTargets: 'hard' } },
  'share-0.8': { objective: { rhythmTargets: 'soft', exponent: 'calibrated', positiveShare: 0.8, beatTargets: 'hard' } },
  'soft-beats': { objective: { rhythmTargets: 'soft', exponent: 'calibrated', beatTargets: 'soft' } },
  'paper-exp1': { objective: 'paperExp1' },
  'paper-exp50': { objective: 'paperExp50' },
  'beat-stride-2': { objective: 'default', beatStage: 1 },
  'beat-stride-16': { objective: 'default', beatStage: 4 },
  'shared-crop': { objective: 'default', views: { crops: 'shared' } },
  'z-first': { objective: 'default', views: { augmentInput: 'standardized' } },
};

const names = typeof args.flags.configs === 'string' ? args.flags.configs.split(',') : Object.keys(CONFIGS);
for (const n of names) if (!(n in CONFIGS)) throw new Error(`--configs: unknown configuration ${n} (known: ${Object.keys(CONFIGS).join(', ')})`);

/** Mean of a field over the first / last 10 % of logged steps. */
function ends(h: SignalPoint[], k: keyof SignalPoint): [number, number] {
  const v = h.map((p) => p[k]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return [NaN, NaN];
  const m = Math.max(1, Math.round(v.length / 10));
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  return [mean(v.slice(0, m)), mean(v.slice(-m))];
}

async function main() {
  const t0 = performance.now();
  const be = await setBackend(args.backend as 'auto');
  log(`backend: ${be.name}; ${steps} pretraining steps per configuration; probes with seeds ${probeSeeds.join(', ')}`);
  const data = await loadDownstreamData();
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const name of names) {
    const partial = CONFIGS[name];
    let enc: Encoder;
    let signal: Record<string, number> = {};
    let key = '—';
    if (partial === null) enc = randomEncoder(DEFAULT_PRETRAIN.encoder, 100);
    else {
      const spec: PretrainSpec = { ...DEFAULT_PRETRAIN, steps, ...partial };
      const dir = await pretrainedModelDir(spec, log);
      const done = readPretrainDone(dir);
      key = done.key;
      const [klR0, klR1] = ends(done.history, 'rhythmKl');
      const [, top1R] = ends(done.history, 'rhythmTop1');
      const [klB0, klB1] = ends(done.history, 'beatKl');
      const [, top1B] = ends(done.history, 'beatTop1');
      const [, gamma] = ends(done.history, 'rhythmExponent');
      signal = { klR0, klR1, top1R, klB0, klB1, top1B, gamma, seconds: done.seconds };
      enc = await loadPretrainedEncoder(dir);
    }
    const ptb = ptbxlProbe(enc, data.clsTrain, data.clsVal, { fraction: 0.1, seeds: probeSeeds });
    const ludb = ludbProbe(enc, data.segTrain, data.segVal, { records: 6, seeds: probeSeeds });
    enc.dispose();
    const klDrop = (a: number, b: number) => (Number.isFinite(a) && a > 0 ? `${fmt(a, 2)}→${fmt(b, 2)} (−${fmt(100 * (1 - b / a), 0)} %)` : '—');
    rows.push([
      name,
      key,
      klDrop(signal.klR0, signal.klR1),
      fmt(signal.top1R ?? NaN, 2),
      klDrop(signal.klB0, signal.klB1),
      fmt(signal.top1B ?? NaN, 2),
      fmt(ptb.mean, 3),
      fmt(ludb.mean, 3),
      ludb.dice.map((d) => fmt(d, 3)).join(' / '),
    ]);
    results.push({ name, key, spec: partial, signal, ptbxlProbe: ptb, ludbProbe: ludb });
    log(`[${elapsed(t0)}] ${name}: PTB-XL probe ${fmt(ptb.mean, 3)}, LUDB probe Dice ${fmt(ludb.mean, 3)}`);
  }
  console.log(`\nScreening (${steps} steps, backend ${be.name}; validation: PTB-XL fold 9, LUDB 121–160)\n`);
  printTable(['config', 'key', 'rhythm KL', 'rhythm top1', 'beat KL', 'beat top1', 'PTB-XL probe AUROC (10 %)', 'LUDB probe Dice (6 rec)', 'Dice P / QRS / T'], rows);
  const path = await writeResults(typeof args.flags.name === 'string' ? args.flags.name : `screen-pretraining-${steps}`, { command: `npx tsx eval/screen-pretraining.ts ${process.argv.slice(2).join(' ')}`.trim(), backend: be.name, steps, probeSeeds, results, seconds: (performance.now() - t0) / 1000 }, args.out);
  log(`wrote ${path}`);
}

await main();
