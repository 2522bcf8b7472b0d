import type { CliCommand } from '../command';
import { UsageError } from '../command';

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
  usage: '<folder> [--task segment|classify] [--model DIR] [--lead ii] [--tolerance 0.15] [--json]',
  options: [
    { name: 'task', type: 'string', description: 'what to score', default: 'segment', choices: ['segment', 'classify'] },
    { name: 'model', type: 'string', description: 'model folder (segment: default the shipped weights; classify: required, from EcgClassifier.save)' },
    { name: 'lead', type: 'string', description: 'segment: annotation file (lead) used as reference', default: 'ii' },
    { name: 'tolerance', type: 'number', description: 'segment: match tolerance (s)', default: 0.15 },
    { name: 'backend', type: 'string', description: 'tfjs backend', default: 'auto', choices: ['auto', 'tensorflow', 'wasm', 'cpu'] },
  ],
  async run(args, io) {
    const folder = args.positionals[0];
    if (!folder || args.positionals.length > 1) throw new UsageError("'beat-ssl eval' needs exactly one folder of records");
    const { setBackend } = await import('../../backend/setBackend');
    const backend = await setBackend(args.options.backend as 'auto');
    if (args.options.task === 'segment') {
      const { loadLudb } = await import('../../data/ludb');
      const { loadSegmentationModel, segmentRecord } = await import('../../heads/segmentRecord');
      const { scoreSegmentation } = await import('../../metrics/segmentation');
      const ds = await loadLudb(folder, { lead: String(args.options.lead) });
      const model = await loadSegmentationModel(typeof args.options.model === 'string' ? args.options.model : undefined);
      const recs = [];
      let fs = 0;
      try {
        for (let i = 0; i < ds.size; i++) {
          const s = await ds.get(i);
          fs = s.record.fs;
          const r = await segmentRecord(s.record, model);
          recs.push({ reference: s.waves, predicted: r.waves, span: s.span, length: s.record.signals[0].length });
        }
      } finally {
        model.dispose();
      }
      const score = scoreSegmentation(recs, fs, { toleranceSec: Number(args.options.tolerance) });
      const d = score.delineation;
      if (args.options.json) {
        io.stdout(JSON.stringify({ task: 'segment', folder, records: recs.length, backend: backend.name, meanF1: d.meanF1, fiducials: d.fiducials, dice: Object.fromEntries(['none', 'P', 'QRS', 'T'].map((c, k) => [c, score.dice.perClass[k]])) }) + '\n');
      } else {
        io.stdout(`${recs.length} records, lead ${args.options.lead}, tolerance ${args.options.tolerance} s: mean F1 ${d.meanF1.toFixed(4)}\n`);
        for (const f of FIDS) {
          const x = d.fiducials[f];
          io.stdout(`  ${f.padEnd(10)} Se ${x.se.toFixed(4)}  +P ${x.ppv.toFixed(4)}  F1 ${x.f1.toFixed(4)}  error ${x.meanErrorMs.toFixed(1)} ± ${x.sdErrorMs.toFixed(1)} ms\n`);
        }
        io.stdout(`  Dice P ${score.dice.perClass[1].toFixed(4)}  QRS ${score.dice.perClass[2].toFixed(4)}  T ${score.dice.perClass[3].toFixed(4)}\n`);
      }
      return 0;
    }
    if (typeof args.options.model !== 'string') throw new UsageError("'beat-ssl eval --task classify' needs --model DIR (a saved EcgClassifier)");
    const tf = await import('@tensorflow/tfjs-core');
    const { loadPtbxl } = await import('../../data/ptbxl');
    const { preprocessRecord, interleaveLeads } = await import('../../data/preprocess');
    const { EcgClassifier } = await import('../../heads/classification');
    const { macroAuroc, macroF1 } = await import('../../metrics/classification');
    const ds = await loadPtbxl(folder);
    const clf = await EcgClassifier.load(args.options.model);
    const scores: number[][] = [];
    const labels: number[][] = [];
    try {
      for (let i = 0; i < ds.size; i++) {
        const s = await ds.get(i);
        const p = preprocessRecord(s.record, { fs: 100 });
        const T = p.signals[0].length;
        const probs = tf.tidy(() => clf.predict(tf.tensor3d(interleaveLeads(p.signals), [1, T, p.signals.length])).probabilities);
        scores.push(Array.from(probs.dataSync()));
        probs.dispose();
        labels.push(Array.from(s.labels));
      }
    } finally {
      clf.dispose();
    }
    const a = macroAuroc(scores, labels);
    const f = macroF1(scores, labels, 0.5);
    if (args.options.json) io.stdout(JSON.stringify({ task: 'classify', folder, records: scores.length, backend: backend.name, macroAuroc: a.macro, perClassAuroc: a.perClass, macroF1: f.macro, perClassF1: f.perClass }) + '\n');
    else io.stdout(`${scores.length} records: macro AUROC ${a.macro.toFixed(4)}, macro F1@0.5 ${f.macro.toFixed(4)}\n`);
    return 0;
  },
};
