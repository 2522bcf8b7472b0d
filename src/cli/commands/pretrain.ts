import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { BACKEND_FLAG, CONFIG_FLAG, FAIL_FAST_FLAG, PRETRAIN_FLAGS, SEED_FLAG, VERBOSE_FLAG, recipeFromFlags, resolveObjective } from '../flags';
import { checkInputDir, checkOutputPath, emit, forEachRecord, processMemoryMB, Progress, readRecipeFile } from '../_internal/output';

/** Selects the backend with `setBackend` and reports it on stderr (stdout stays for results/events). */
export async function selectBackend(name: string, io: { stderr: (t: string) => void }): Promise<string> {
  const { setBackend } = await import('../../backend/setBackend');
  const res = await setBackend(name as 'auto');
  io.stderr(`backend: ${res.name}\n`);
  return res.name;
}

/** `beat-ssl pretrain`: Beat-SSL pretraining on a folder of WFDB records. */
export const pretrainCommand: CliCommand = {
  name: 'pretrain',
  summary: 'Pretrain a Beat-SSL encoder on a folder of 12-lead WFDB records (checkpoints in --out; --resume continues).',
  usage: '--data <dir> [options]',
  options: [
    { name: 'data', type: 'string', valueName: 'dir', description: 'folder of WFDB records (searched recursively); each must have the 12 standard leads' },
    CONFIG_FLAG,
    ...PRETRAIN_FLAGS,
    { name: 'fs', type: 'number', min: 50, default: 100, description: 'working sampling rate (Hz); records are resampled to it' },
    { name: 'length', type: 'number', min: 1, description: 'working length (s): records are cropped or zero-padded to it; default 10' },
    { name: 'max-records', type: 'number', integer: true, min: 2, description: 'use at most this many records (sorted by path)' },
    { name: 'cache', type: 'string', valueName: 'dir', description: 'cache the per-record precomputation in this folder (reused by later runs)' },
    { name: 'workers', type: 'number', integer: true, min: 0, description: 'worker threads for the precomputation (0: in this thread); default: a few' },
    { name: 'out', type: 'string', valueName: 'dir', default: 'runs/pretrain', description: 'run folder: checkpoints, final model in <out>/model' },
    { name: 'every', type: 'number', integer: true, min: 1, default: 100, description: 'checkpoint every N steps' },
    { name: 'resume', type: 'boolean', description: 'continue from the latest checkpoint in --out', default: false },
    BACKEND_FLAG,
    SEED_FLAG,
    FAIL_FAST_FLAG,
    VERBOSE_FLAG,
  ],
  epilog: [
    'Records that cannot be used (unreadable, without the 12 leads) are reported on stderr and skipped;',
    'the command then exits 1 after saving the model (--fail-fast: stop before training).',
    'Example: beat-ssl pretrain --data examples/data/ptbxl --steps 20 --batch-size 4 --encoder tiny --out runs/pt',
  ].join('\n'),
  async validate(args) {
    const o = args.options;
    if (typeof o.data !== 'string') throw new UsageError("'beat-ssl pretrain' needs --data <dir of WFDB records>");
    if (args.positionals.length) throw new UsageError(`'beat-ssl pretrain' takes no positional arguments, but got '${args.positionals[0]}' (records go in --data <dir>)`);
    await checkInputDir('data', o.data);
    await checkOutputPath('out', String(o.out), { kind: 'dir' });
    if (typeof o.cache === 'string') await checkOutputPath('cache', o.cache, { kind: 'dir' });
    await readRecipeFile('config', o.config as string | undefined, ['model', 'pretrain']);
  },
  async run(args, io) {
    const o = args.options;
    const json = Boolean(o.json);
    const base = await readRecipeFile('config', o.config as string | undefined, ['model', 'pretrain']);
    const recipe = recipeFromFlags([...PRETRAIN_FLAGS, SEED_FLAG], o, { base, given: args.given });
    const { BEAT_SSL_PRESETS } = await import('../../losses/beatSsl');
    resolveObjective(recipe.pretrain, BEAT_SSL_PRESETS);
    const backend = await selectBackend(String(o.backend), io);
    const { listWfdbRecords } = await import('../../data/wfdbFolder');
    const { readHeader } = await import('../../io/index');
    const { loadSslRecords } = await import('../../data/precomputeSsl');
    const { pretrainBeatSsl } = await import('../../train/pretrain');
    const { BeatSslModel } = await import('../../models/beatSslModel');
    const { missingLeads } = await import('../../core/leads');
    const path = await import('node:path');
    const fs = Number(o.fs);
    let paths = (await listWfdbRecords(String(o.data))).sort();
    if (typeof o['max-records'] === 'number') paths = paths.slice(0, o['max-records']);
    // The batch policy: every unusable record is reported; the good ones go on.
    const good: string[] = [];
    const check = await forEachRecord(paths, io, { command: 'pretrain', json, failFast: Boolean(o['fail-fast']), label: (p) => path.relative(process.cwd(), p) || p }, async (p) => {
      const h = await readHeader(p);
      const missing = missingLeads(h.signals.map((s) => s.description ?? ''));
      if (h.signals.length && missing.length) throw new Error(`Error in beat-ssl pretrain: the record must have the 12 standard leads, but it lacks ${missing.join(', ')}.`);
      good.push(p);
    });
    if (check.stopped || (check.failed && o['fail-fast'])) return 1;
    if (good.length < 2) throw new UsageError(`option --data must be a folder with at least 2 usable 12-lead records, but '${o.data}' has ${good.length}`);
    const pre = new Progress(io, good.length, { unit: 'records', json, verbose: Boolean(o.verbose) });
    const data = await loadSslRecords(good, {
      config: { fs, lengthSamples: Math.round((typeof o.length === 'number' ? o.length : 10) * fs) },
      cache: typeof o.cache === 'string' ? o.cache : null,
      ...(typeof o.workers === 'number' ? { workers: o.workers } : {}),
      onProgress: (d) => pre.update(d, 'precomputing R-peaks, features, beat classes'),
    });
    pre.finish();
    if (!json) io.stderr(`records: ${data.length} (${check.failed} skipped) at ${fs} Hz\n`);
    const model = BeatSslModel.create(recipe.model as never);
    const t0 = Date.now();
    const out = String(o.out);
    const modelDir = path.join(out, 'model');
    let progress: Progress | undefined;
    try {
      const res = await pretrainBeatSsl({
        ...(recipe.pretrain as object),
        model,
        data,
        seed: Number(recipe.pretrain.seed ?? o.seed),
        checkpoint: { dir: out, everySteps: Number(o.every) },
        resume: Boolean(o.resume),
        onStep: (s) => {
          progress ??= new Progress(io, s.totalSteps, { unit: 'step', json, verbose: Boolean(o.verbose), startAt: s.step - 1 });
          if (json) emit(io, 'step', { step: s.step, totalSteps: s.totalSteps, loss: s.loss, rhythmLoss: s.rhythmLoss, beatLoss: s.beatLoss, rhythm: s.rhythm, beat: s.beat, beats: s.beats, lr: s.lr, numTensors: s.numTensors, ...processMemoryMB(), recordsPerSec: s.recordsPerSec });
          else {
            // the learning signal, not only the loss: KL to the targets (over their entropy H) and top-1 retrieval of the other view
            const level = (name: string, d: typeof s.rhythm) => (d ? ` | ${name} KL ${d.kl.toFixed(3)} (H ${d.targetEntropy.toFixed(2)}) top1 ${d.top1.toFixed(2)}` : '');
            progress.update(s.step, `loss ${s.loss.toFixed(4)}${level('rhythm', s.rhythm)}${level('beat', s.beat)} ${s.recordsPerSec.toFixed(1)} rec/s`);
          }
        },
      } as Parameters<typeof pretrainBeatSsl>[0]);
      progress?.finish();
      // A model folder every command reads: the weights and the preprocessing the pretraining data had
      // (12 canonical leads, 0.5–40 Hz, --fs; views standardised per lead).
      const { saveModelFolder } = await import('../../heads/modelFolder');
      await saveModelFolder(modelDir, model, { preprocessing: { fs, standardize: 'lead' } });
      const seconds = (Date.now() - t0) / 1000;
      if (json) emit(io, 'done', { steps: res.steps, resumedFrom: res.resumedFrom, records: data.length, skipped: check.failed, seconds, backend, outputs: { model: modelDir, checkpoint: res.checkpointPath, runDir: out } });
      else io.stdout(`done: ${res.steps} steps (resumed from ${res.resumedFrom}) in ${seconds.toFixed(1)} s on ${backend}; model saved to ${modelDir}\n`);
    } finally {
      model.dispose();
    }
    return check.failed ? 1 : 0;
  },
};
