import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { BACKEND_FLAG, FAIL_FAST_FLAG } from '../flags';
import { checkInputDir, checkModelKind, emit, forEachRecord, parseIdList, Progress } from '../_internal/output';

const FIDS = ['P_onset', 'P_offset', 'QRS_onset', 'QRS_offset', 'T_onset', 'T_offset'] as const;

/**
 * `beat-ssl eval <folder> --task segment|classify [--model DIR]`: scores a model on a folder of
 * annotated records — LUDB-format records (segmentation: Se, +P, F1 per fiducial at 150 ms, timing
 * error, Dice, inside each record's annotated span) or PTB-XL records with their label CSV(s)
 * (classification: macro AUROC, macro F1 at 0.5).
 */
export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'Score a segmentation model on LUDB-format records (lead annotations) or a classifier on PTB-XL records (label CSVs).',
  usage: '<folder> [--task segment|classify] [--model DIR] [--ids 121-160] [--json]',
  options: [
    { name: 'task', type: 'string', description: 'what to score', default: 'segment', choices: ['segment', 'classify'] },
    { name: 'model', type: 'string', valueName: 'dir', description: "model folder (segment: default the shipped weights; classify: required, from 'beat-ssl finetune --task classify')" },
    { name: 'ids', type: 'string', valueName: 'list', description: 'segment: LUDB record ids to score, e.g. 121-160 (default: all)' },
    { name: 'folds', type: 'string', valueName: 'list', description: 'classify: PTB-XL strat_folds to score, e.g. 10 (default: all)' },
    { name: 'lead', type: 'string', description: 'segment: annotation file (lead) used as reference', default: 'ii' },
    { name: 'tolerance', type: 'number', min: 0, minExclusive: true, description: 'segment: match tolerance (s)', default: 0.15 },
    BACKEND_FLAG,
    FAIL_FAST_FLAG,
  ],
  epilog: 'Example: beat-ssl eval ../shared/data/ludb --ids 121-160 --model runs/seg/model --json',
  async validate(args) {
    const o = args.options;
    if (args.positionals.length !== 1) throw new UsageError(`'beat-ssl eval' needs exactly one folder of records, but got ${args.positionals.length}`);
    await checkInputDir('<folder>', args.positionals[0]);
    if (typeof o.model === 'string') {
      await checkInputDir('model', o.model);
      await checkModelKind('model', o.model, o.task === 'classify' ? 'classify' : 'segment');
    }
    if (o.task === 'classify' && typeof o.model !== 'string') throw new UsageError("'beat-ssl eval --task classify' needs --model DIR (a classifier folder from 'beat-ssl finetune --task classify')");
    if (typeof o.ids === 'string') parseIdList('ids', o.ids);
    if (typeof o.folds === 'string') parseIdList('folds', o.folds);
  },
  async run(args, io) {
    const folder = args.positionals[0];
    const o = args.options;
    const json = Boolean(o.json);
    const failFast = Boolean(o['fail-fast']);
    const { setBackend } = await import('../../backend/setBackend');
    const backend = await setBackend(o.backend as 'auto');
    if (o.task === 'segment') {
      const { loadLudb } = await import('../../data/ludb');
      const { loadSegmentationModel } = await import('../../heads/segmentationModel');
      const { segmentRecord } = await import('../../analysis/segmentRecord');
      const { scoreSegmentation } = await import('../../metrics/segmentation');
      const ds = await loadLudb(folder, { lead: String(o.lead), ...(typeof o.ids === 'string' ? { ids: parseIdList('ids', o.ids) } : {}) });
      const model = await loadSegmentationModel(typeof o.model === 'string' ? o.model : undefined);
      const recs: { reference: import('../../core/types').Wave[]; predicted: import('../../core/types').Wave[]; span: [number, number]; length: number }[] = [];
      let fs = 0;
      const progress = new Progress(io, ds.size, { unit: 'record', json });
      let batch;
      try {
        batch = await forEachRecord(Array.from({ length: ds.size }, (_, i) => i), io, { command: 'eval', json, failFast, label: (i) => `record #${i + 1} of ${folder}` }, async (i) => {
          const s = await ds.get(i);
          fs = s.record.fs;
          const r = await segmentRecord(s.record, model);
          recs.push({ reference: s.waves, predicted: r.waves, span: s.span, length: s.record.signals[0].length });
          progress.update(i + 1, s.record.name);
        });
        progress.finish();
      } finally {
        model.dispose();
      }
      if (recs.length === 0) throw new UsageError(`<folder> '${folder}' must hold LUDB-format records that can be scored, but none could`);
      const score = scoreSegmentation(recs, fs, { toleranceSec: Number(o.tolerance) });
      const d = score.delineation;
      if (json) {
        emit(io, 'done', { task: 'segment', folder, records: recs.length, failed: batch.failed, backend: backend.name, meanF1: d.meanF1, fiducials: d.fiducials, dice: Object.fromEntries(['none', 'P', 'QRS', 'T'].map((c, k) => [c, score.dice.perClass[k]])) });
      } else {
        io.stdout(`${recs.length} records, lead ${o.lead}, tolerance ${o.tolerance} s: mean F1 ${d.meanF1.toFixed(4)}\n`);
        for (const f of FIDS) {
          const x = d.fiducials[f];
          io.stdout(`  ${f.padEnd(10)} Se ${x.se.toFixed(4)}  +P ${x.ppv.toFixed(4)}  F1 ${x.f1.toFixed(4)}  error ${x.meanErrorMs.toFixed(1)} ± ${x.sdErrorMs.toFixed(1)} ms\n`);
        }
        io.stdout(`  Dice P ${score.dice.perClass[1].toFixed(4)}  QRS ${score.dice.perClass[2].toFixed(4)}  T ${score.dice.perClass[3].toFixed(4)}\n`);
      }
      return batch.failed ? 1 : 0;
    }
    const { loadPtbxl } = await import('../../data/ptbxl');
    const { loadClassifierFolder } = await import('../_internal/classifierFolder');
    const { macroAuroc, macroF1 } = await import('../../metrics/classification');
    const ds = await loadPtbxl(folder, typeof o.folds === 'string' ? { folds: parseIdList('folds', o.folds) } : {});
    const clf = await loadClassifierFolder(String(o.model));
    const scores: number[][] = [];
    const labels: number[][] = [];
    let batch;
    const progress = new Progress(io, ds.size, { unit: 'record', json });
    try {
      batch = await forEachRecord(Array.from({ length: ds.size }, (_, i) => i), io, { command: 'eval', json, failFast, label: (i) => ds.entries[i]?.filename ?? `#${i + 1}` }, async (i) => {
        const s = await ds.get(i);
        scores.push(Array.from(clf.probabilities(s.record)));
        labels.push(Array.from(s.labels));
        progress.update(i + 1, s.record.name);
      });
      progress.finish();
    } finally {
      clf.dispose();
    }
    const a = macroAuroc(scores, labels);
    const f = macroF1(scores, labels, 0.5);
    if (json) emit(io, 'done', { task: 'classify', folder, records: scores.length, failed: batch.failed, backend: backend.name, macroAuroc: a.macro, perClassAuroc: a.perClass, macroF1: f.macro, perClassF1: f.perClass });
    else io.stdout(`${scores.length} records: macro AUROC ${a.macro.toFixed(4)}, macro F1@0.5 ${f.macro.toFixed(4)}\n`);
    return batch.failed ? 1 : 0;
  },
};
