import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { BACKEND_FLAG, FAIL_FAST_FLAG } from '../flags';
import { checkInputDir, checkModelKind, emit, expandRecordArgs, forEachRecord } from '../_internal/output';

/** `beat-ssl segment <record|folder...> [--model DIR] --json`: P/QRS/T waves of WFDB records. */
export const segmentCommand: CliCommand = {
  name: 'segment',
  summary: 'Delineate P, QRS and T waves with a segmentation model (default: the shipped weights; 12-lead records); indices at the native rate.',
  usage: '<record|folder...> [--model DIR] [--backend auto|wasm|cpu|tensorflow] [--json]',
  options: [
    { name: 'model', type: 'string', valueName: 'dir', description: "segmentation model folder (from 'beat-ssl finetune --task segment' or saveSegmentationModel); default: the shipped weights" },
    BACKEND_FLAG,
    { name: 'intervals', type: 'boolean', description: 'also print per-beat clinical intervals (PR, QRS, QT, QTc in ms) with --json', default: false },
    FAIL_FAST_FLAG,
  ],
  epilog: 'The shipped model needs the 12 standard leads (I, II, III, aVR, aVL, aVF, V1–V6).\nExample: beat-ssl segment examples/data/ludb/1 --json',
  async validate(args) {
    if (args.positionals.length === 0) throw new UsageError("'beat-ssl segment' needs at least one record path (with or without .hea) or folder");
    if (typeof args.options.model === 'string') {
      await checkInputDir('model', args.options.model);
      await checkModelKind('model', args.options.model, 'segment');
    }
  },
  async run(args, io) {
    const { setBackend } = await import('../../backend/setBackend');
    await setBackend(args.options.backend as 'auto');
    const { readRecord } = await import('../../io/index');
    const { loadSegmentationModel } = await import('../../heads/segmentationModel');
    const { segmentRecord } = await import('../../analysis/segmentRecord');
    const json = Boolean(args.options.json);
    const paths = await expandRecordArgs(args.positionals);
    const model = await loadSegmentationModel(typeof args.options.model === 'string' ? args.options.model : undefined);
    try {
      const res = await forEachRecord(paths, io, { command: 'segment', json, failFast: Boolean(args.options['fail-fast']) }, async (path) => {
        const result = await segmentRecord(await readRecord(path.replace(/\.hea$/, '')), model);
        const waves = result.waves.map((w) => ({ type: w.type, onset: w.onset, offset: w.offset }));
        const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : null);
        if (json) {
          const { beats, ...medians } = result.intervals;
          const line: Record<string, unknown> = { record: path, fs: result.fs, waves, intervals: Object.fromEntries(Object.entries(medians).map(([k, v]) => [k, round(v as number)])) };
          if (args.options.intervals) line.beats = beats.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, round(v)])));
          emit(io, 'record', line);
        } else {
          const n = { P: 0, QRS: 0, T: 0 };
          for (const w of waves) n[w.type]++;
          const iv = result.intervals;
          const f = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');
          io.stdout(`${path}: ${result.fs} Hz, ${n.P} P, ${n.QRS} QRS, ${n.T} T waves; HR ${f(iv.heartRateBpm)} bpm, PR ${f(iv.prMs)} ms, QRS ${f(iv.qrsMs)} ms, QT ${f(iv.qtMs)} ms, QTc ${f(iv.qtcMs)} ms\n`);
        }
      });
      if (json) emit(io, 'done', { records: res.ok, failed: res.failed });
      return res.failed ? 1 : 0;
    } finally {
      model.dispose();
    }
  },
};
