import type { CliCommand } from '../command';
import { UsageError } from '../command';

/** `beat-ssl segment <record...> [--model DIR] --json`: P/QRS/T waves of WFDB records. */
export const segmentCommand: CliCommand = {
  name: 'segment',
  summary: 'Delineate P, QRS and T waves with a segmentation model (default: the shipped pretrained weights); indices at the native rate.',
  usage: '<record...> [--model DIR] [--backend auto|wasm|cpu|tensorflow] [--json]',
  options: [
    { name: 'model', type: 'string', description: 'segmentation model folder (model.json, weights.bin, segmenter.json, preprocess.json); default: the shipped weights' },
    { name: 'backend', type: 'string', description: 'tfjs backend', default: 'auto', choices: ['auto', 'tensorflow', 'wasm', 'cpu'] },
    { name: 'intervals', type: 'boolean', description: 'also print clinical intervals (PR, QRS, QT, QTc in ms)', default: false },
  ],
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError("'beat-ssl segment' needs at least one record path (with or without .hea)");
    const { setBackend } = await import('../../backend/setBackend');
    await setBackend(args.options.backend as 'auto');
    const { readRecord } = await import('../../io/index');
    const { loadSegmentationModel, segmentRecord } = await import('../../heads/segmentRecord');
    const model = await loadSegmentationModel(typeof args.options.model === 'string' ? args.options.model : undefined);
    let failures = 0;
    try {
      for (const path of args.positionals) {
        let result;
        try {
          result = await segmentRecord(await readRecord(path.replace(/\.hea$/, '')), model);
        } catch (e) {
          failures++;
          io.stderr(`beat-ssl segment: ${path}: ${(e as Error).message}\n`);
          continue;
        }
        const waves = result.waves.map((w) => ({ type: w.type, onset: w.onset, offset: w.offset }));
        if (args.options.json) {
          const line: Record<string, unknown> = { record: path, fs: result.fs, waves };
          if (args.options.intervals) {
            const { beats, ...medians } = result.intervals;
            line.intervals = Object.fromEntries(Object.entries(medians).map(([k, v]) => [k, Number.isFinite(v) ? Math.round((v as number) * 10) / 10 : null]));
            line.beats = beats.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Number.isFinite(v) ? Math.round(v * 10) / 10 : null])));
          }
          io.stdout(JSON.stringify(line) + '\n');
        } else {
          const n = { P: 0, QRS: 0, T: 0 };
          for (const w of waves) n[w.type]++;
          const iv = result.intervals;
          const f = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');
          io.stdout(`${path}: ${result.fs} Hz, ${n.P} P, ${n.QRS} QRS, ${n.T} T waves; HR ${f(iv.heartRateBpm)} bpm, PR ${f(iv.prMs)} ms, QRS ${f(iv.qrsMs)} ms, QT ${f(iv.qtMs)} ms, QTc ${f(iv.qtcMs)} ms\n`);
        }
      }
    } finally {
      model.dispose();
    }
    return failures > 0 ? 1 : 0;
  },
};
