/**
 * Trains the segmentation weights shipped in `weights/segmentation-v1/` (see docs/model-card.md) —
 * a thin call of `beat-ssl finetune --task segment` with the shipped recipe ({@link RECIPE}):
 * Beat-SSL-pretrained encoder (PTB-XL folds 1–8 + LUDB of ../shared/data, labels unused; cached by
 * eval/_pretrain.ts) + U-Net head fine-tuned on LUDB 1–160 (lead II labels) at 100 Hz, then a
 * boundary calibration measured on the same training records (`--calibrate`).
 *
 *   nice -n 10 npx tsx scripts/train-segmentation-weights.ts [--backend tensorflow] [--out weights/segmentation-v1]
 *       [--holdout] [--pretrain-steps 150] [--pretrain-exponent 1] ...   (the shared pretraining flags, prefixed)
 *       [-- <more beat-ssl finetune flags, e.g. --epochs 30>]
 *
 * `--holdout` trains on LUDB 1–120 only and scores 121–160 with `beat-ssl eval` (a dry run of the
 * recipe; nothing is written to weights/ unless `--out` is given). The same run from the shell:
 *
 *   beat-ssl finetune --task segment --data ../shared/data/ludb --ids 1-160 --val-fraction 0 \
 *     --pretrained eval/results/pretrained/<key> <RECIPE flags> --out runs/seg
 *   beat-ssl eval ../shared/data/ludb --ids 121-160 --model runs/seg/model
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { setBackend } from '../src/backend/setBackend';
import { writeDirAtomic } from '../src/core/atomicWrite';
import { main as cli } from '../src/cli/main';
import { DATA_ROOT, REPO_ROOT, parseEvalArgs, requireDir } from '../eval/_lib';
import { pretrainedModelDir, pretrainSpecFromFlags } from '../eval/_pretrain';

/** The shipped model's fine-tuning recipe, as `beat-ssl finetune` flags. */
export const RECIPE = [
  '--fs', '100',
  '--epochs', '60',
  '--batch-size', '16',
  '--lr', '0.002',
  '--lr-schedule', 'cosine',
  '--crop', '512',
  '--dice-weight', '0',
  '--augment-scale', '0.8,1.2',
  '--augment-noise', '0.05',
  '--encoder-lr-scale', '0.1',
  '--no-restore-best',
  '--seed', '0',
  '--calibrate',
  '--wave-sources', 'P=rules,QRS=rules',
];

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const extra = dash >= 0 ? argv.slice(dash + 1) : [];
const args = parseEvalArgs(dash >= 0 ? argv.slice(0, dash) : argv, {
  options: [{ name: 'holdout', type: 'boolean', default: false, description: 'train on LUDB 1–120, score 121–160' }],
});
const holdout = args.flags.holdout === true;
const log = (s: string) => console.error(s);

/** Runs one `beat-ssl` command in this process; returns its `done` event (stderr passes through). */
async function beatSsl(commandArgs: string[]): Promise<Record<string, unknown>> {
  log(`$ beat-ssl ${commandArgs.join(' ')}`);
  let done: Record<string, unknown> | null = null;
  const code = await cli([...commandArgs, '--json'], {
    stdout: (t) => {
      for (const line of t.split('\n').filter(Boolean)) {
        const e = JSON.parse(line) as Record<string, unknown>;
        if (e.event === 'done') done = e;
        else if (e.event === 'epoch' && ((e.epoch as number) % 10 === 0 || e.epoch === e.totalEpochs)) log(`  epoch ${e.epoch}/${e.totalEpochs} loss ${(e.loss as number).toFixed(4)}`);
      }
    },
    stderr: (t) => process.stderr.write(t),
    isTTY: false,
  });
  if (code !== 0 || !done) throw new Error(`beat-ssl ${commandArgs[0]} exited ${code}`);
  return done;
}

async function run() {
  const t0 = performance.now();
  const be = await setBackend(args.backend as 'auto');
  const ludb = requireDir(resolve(DATA_ROOT, 'ludb'), 'LUDB');
  const spec = pretrainSpecFromFlags(args.flags);
  const pdirRoot = await pretrainedModelDir(spec, log);
  const pdir = existsSync(join(pdirRoot, 'model', 'beat-ssl.json')) ? join(pdirRoot, 'model') : pdirRoot;
  const runDir = resolve(REPO_ROOT, '.cache', holdout ? 'segmentation-holdout' : 'segmentation-run');
  const ids = holdout ? '1-120' : '1-160';
  const finetuneArgs = ['finetune', '--task', 'segment', '--data', ludb, '--ids', ids, '--val-fraction', '0', '--pretrained', pdir, ...RECIPE, '--backend', be.name, '--out', runDir, ...extra];
  const ft = await beatSsl(finetuneArgs);
  const model = (ft.outputs as { model: string }).model;
  const pre = JSON.parse(await readFile(join(model, 'preprocess.json'), 'utf8')) as Record<string, unknown>;
  const report: Record<string, unknown> = {
    command: `npx tsx scripts/train-segmentation-weights.ts ${argv.join(' ')}`.trim(),
    cli: `beat-ssl ${finetuneArgs.map((a) => (a === ludb ? '../shared/data/ludb' : a === pdir ? relative(REPO_ROOT, pdir) : a === runDir ? '<out>' : a)).join(' ')}`,
    backend: be.name,
    pretrained: relative(REPO_ROOT, pdirRoot),
    pretrain: spec,
    trainRecords: ids,
    trainSeconds: ft.seconds,
    calibrationMs: pre.calibrationMs,
    waveSources: pre.waveSources,
  };
  if (holdout) {
    const v = await beatSsl(['eval', ludb, '--ids', '121-160', '--model', model, '--backend', be.name]);
    report.validation = { records: '121-160', meanF1: v.meanF1, fiducials: v.fiducials, dice: v.dice };
    log(`validation 121–160: mean F1 ${(v.meanF1 as number).toFixed(4)}`);
  }
  const out = typeof args.out === 'string' ? args.out : holdout ? null : resolve(REPO_ROOT, 'weights/segmentation-v1');
  if (out) {
    // Replace the folder as a whole (the one atomic folder writer), keeping its README (the weights' short card).
    const readme = existsSync(join(out, 'README.md')) ? await readFile(join(out, 'README.md')) : null;
    await writeDirAtomic(out, async (tmp) => {
      await cp(model, tmp, { recursive: true });
      if (readme) await writeFile(join(tmp, 'README.md'), readme);
      await writeFile(join(tmp, 'training.json'), JSON.stringify(report, null, 1) + '\n');
    });
    log(`saved ${out}`);
  } else {
    await writeFile(join(runDir, 'training.json'), JSON.stringify(report, null, 1) + '\n');
    log(`report in ${join(runDir, 'training.json')}`);
  }
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
