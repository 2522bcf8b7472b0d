import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';

/** Progress line on a TTY: `[#####.....] 12/100 loss 3.21`. */
export function progressBar(done: number, total: number, text: string, width = 24): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const n = Math.round(f * width);
  return `\r[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${done}/${total} ${text}`;
}

/** Reads `--config file.json` (`{ "model": {...}, "pretrain": {...} }` or `{ "model", "finetune" }`). */
export async function readJsonConfig(path: string | undefined): Promise<Record<string, unknown>> {
  if (!path) return {};
  const fs = await import('node:fs/promises');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--config: cannot read ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--config: ${path} is not valid JSON (${(err as Error).message})`);
  }
}

/** Selects the backend with `setBackend` and reports it on stderr (also with --json). */
export async function selectBackend(name: string, io: CliIo, json: boolean): Promise<string> {
  const { setBackend } = await import('../../backend/setBackend');
  const res = await setBackend(name as 'auto');
  void json; // reported on stderr, so --json stdout stays one object per step
  io.stderr(`backend: ${res.name}\n`);
  return res.name;
}

/** `beat-ssl pretrain`: Beat-SSL pretraining on a folder of WFDB records. */
export const pretrainCommand: CliCommand = {
  name: 'pretrain',
  summary: 'Pretrain a Beat-SSL encoder on a folder of 12-lead WFDB records (checkpoints in --out; --resume continues).',
  usage: '--data <dir> [options]',
  options: [
    { name: 'data', type: 'string', description: 'folder of WFDB records (searched recursively; records without the 12 standard leads are skipped)' },
    { name: 'config', type: 'string', description: 'JSON file { "model": BeatSslModelConfig, "pretrain": PretrainOptions fields }' },
    { name: 'steps', type: 'number', description: 'total optimisation steps', default: 1000 },
    { name: 'batch-size', type: 'number', description: 'records per batch', default: 32 },
    { name: 'lr', type: 'number', description: 'Adam learning rate', default: 0.001 },
    { name: 'preset', type: 'string', description: 'encoder preset', default: 'small', choices: ['tiny', 'small', 'base'] },
    { name: 'fs', type: 'number', description: 'working sampling rate (Hz); records are resampled to it', default: 100 },
    { name: 'max-records', type: 'number', description: 'use at most this many records (sorted by path)' },
    { name: 'out', type: 'string', description: 'run folder: checkpoints, final model in <out>/model', default: 'runs/pretrain' },
    { name: 'every', type: 'number', description: 'checkpoint every N steps', default: 100 },
    { name: 'resume', type: 'boolean', description: 'continue from the latest checkpoint in --out', default: false },
    { name: 'backend', type: 'string', description: 'tfjs backend', default: 'auto', choices: ['auto', 'tensorflow', 'wasm', 'cpu'] },
    { name: 'seed', type: 'number', description: 'random seed', default: 0 },
  ],
  async run(args, io) {
    const o = args.options;
    const json = Boolean(o.json);
    if (typeof o.data !== 'string') throw new UsageError("'beat-ssl pretrain' needs --data <dir of WFDB records>");
    const cfg = await readJsonConfig(o.config as string | undefined);
    const backend = await selectBackend(String(o.backend), io, json);
    const { listWfdbRecords } = await import('../../data/wfdbFolder');
    const { preprocessRecord } = await import('../../data/preprocess');
    const { readRecord } = await import('../../io/index');
    const { precomputeRecord } = await import('../../data/precomputeRecord');
    const { pretrainBeatSsl } = await import('../../train/pretrain');
    const { BeatSslModel } = await import('../../models/beatSslModel');
    let paths = (await listWfdbRecords(o.data)).sort();
    if (typeof o['max-records'] === 'number') paths = paths.slice(0, o['max-records']);
    const fs = Number(o.fs);
    const data = [];
    let skipped = 0;
    for (const p of paths) {
      try {
        data.push(precomputeRecord(preprocessRecord(await readRecord(p), { fs, standardize: 'none' }), { standardize: false }));
      } catch (err) {
        skipped++;
        if (!json) io.stderr(`skipped ${p}: ${(err as Error).message}\n`);
      }
    }
    if (data.length < 2) throw new UsageError(`--data ${o.data}: found ${data.length} usable 12-lead records (need at least 2)`);
    if (!json) io.stderr(`records: ${data.length} (${skipped} skipped) at ${fs} Hz\n`);
    const modelCfg = (cfg.model as object | undefined) ?? { encoder: o.preset, seed: o.seed };
    const model = BeatSslModel.create(modelCfg);
    const pre = (cfg.pretrain as Record<string, unknown> | undefined) ?? {};
    const t0 = Date.now();
    try {
      const res = await pretrainBeatSsl({
        ...pre,
        model,
        data,
        steps: Number(o.steps),
        batchSize: Number(o['batch-size']),
        optimizer: { ...((pre.optimizer as object) ?? {}), learningRate: Number(o.lr) },
        seed: Number(o.seed),
        checkpoint: { dir: String(o.out), everySteps: Number(o.every) },
        resume: Boolean(o.resume),
        onStep: (s) => {
          if (json) {
            io.stdout(JSON.stringify({ step: s.step, loss: s.loss, rhythmLoss: s.rhythmLoss, beatLoss: s.beatLoss, lr: s.lr, numTensors: s.numTensors, recordsPerSec: s.recordsPerSec }) + '\n');
          } else if (io.isTTY) {
            io.stdout(progressBar(s.step, s.totalSteps, `loss ${s.loss.toFixed(4)} (rhythm ${s.rhythmLoss.toFixed(3)}, beat ${s.beatLoss.toFixed(3)}) ${s.recordsPerSec.toFixed(1)} rec/s`));
          } else if (s.step === s.totalSteps || s.step % Math.max(1, Math.round(s.totalSteps / 10)) === 0) {
            io.stdout(`step ${s.step}/${s.totalSteps} loss ${s.loss.toFixed(4)} rhythm ${s.rhythmLoss.toFixed(4)} beat ${s.beatLoss.toFixed(4)} lr ${s.lr.toExponential(2)} ${s.recordsPerSec.toFixed(1)} rec/s\n`);
          }
        },
      });
      const { join } = await import('node:path');
      await model.save(join(String(o.out), 'model'));
      if (!json) {
        if (io.isTTY) io.stdout('\n');
        io.stdout(`done: ${res.steps} steps (resumed from ${res.resumedFrom}) in ${((Date.now() - t0) / 1000).toFixed(1)} s on ${backend}; model saved to ${join(String(o.out), 'model')}\n`);
      }
    } finally {
      model.dispose();
    }
    return 0;
  },
};
