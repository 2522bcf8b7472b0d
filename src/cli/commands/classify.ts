import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { BACKEND_FLAG, FAIL_FAST_FLAG } from '../flags';
import { checkInputDir, checkModelKind, emit, expandRecordArgs, forEachRecord } from '../_internal/output';
import { loadClassifierFolder } from '../_internal/classifierFolder';

/** `beat-ssl classify <record|folder...> --model DIR [--json]`: per-record class probabilities. */
export const classifyCommand: CliCommand = {
  name: 'classify',
  summary: "Classify 12-lead records with a fine-tuned classifier (e.g. PTB-XL superclasses NORM, MI, STTC, CD, HYP): probability per class.",
  usage: '<record|folder...> --model DIR [--threshold 0.5] [--json]',
  options: [
    { name: 'model', type: 'string', valueName: 'dir', description: "classifier folder from 'beat-ssl finetune --task classify' (<out>/model)" },
    { name: 'threshold', type: 'number', min: 0, max: 1, default: 0.5, description: 'probability at or above which a class is reported as present' },
    BACKEND_FLAG,
    FAIL_FAST_FLAG,
  ],
  epilog: [
    'Probabilities are independent sigmoids (a record can have several classes).',
    'Example: beat-ssl classify examples/data/ptbxl/records100/00000/00001_lr --model runs/cls/model --json',
  ].join('\n'),
  async validate(args) {
    if (args.positionals.length === 0) throw new UsageError("'beat-ssl classify' needs at least one record path (with or without .hea) or folder");
    if (typeof args.options.model !== 'string') throw new UsageError("'beat-ssl classify' needs --model DIR (a classifier folder from 'beat-ssl finetune --task classify')");
    await checkInputDir('model', args.options.model);
    await checkModelKind('model', args.options.model, 'classify');
  },
  async run(args, io) {
    const o = args.options;
    const json = Boolean(o.json);
    const threshold = Number(o.threshold);
    const { setBackend } = await import('../../backend/setBackend');
    await setBackend(o.backend as 'auto');
    const { readRecord } = await import('../../io/index');
    const paths = await expandRecordArgs(args.positionals);
    const model = await loadClassifierFolder(String(o.model));
    try {
      const labels = model.classifier.config.labels;
      const res = await forEachRecord(paths, io, { command: 'classify', json, failFast: Boolean(o['fail-fast']) }, async (path) => {
        const rec = await readRecord(path.replace(/\.hea$/, ''));
        const p = model.probabilities(rec);
        const probabilities = Object.fromEntries(labels.map((l, i) => [l, Math.round(p[i] * 1e4) / 1e4]));
        const present = labels.filter((_, i) => p[i] >= threshold);
        if (json) emit(io, 'record', { record: path, probabilities, present });
        else io.stdout(`${path}: ${labels.map((l, i) => `${l} ${p[i].toFixed(3)}`).join('  ')}  → ${present.length ? present.join(', ') : 'none'} (≥ ${threshold})\n`);
      });
      if (json) emit(io, 'done', { records: res.ok, failed: res.failed, labels, threshold });
      return res.failed ? 1 : 0;
    } finally {
      model.dispose();
    }
  },
};
