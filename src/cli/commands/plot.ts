import type { CliCommand } from '../command';
import { UsageError } from '../command';
import type { EcgRecord, Wave } from '../../core/types';

/** `beat-ssl plot <record> [--segment] [--layout] --out file.svg`: a 12-lead printout as SVG. */
export const plotCommand: CliCommand = {
  name: 'plot',
  summary: 'Draw a WFDB record as an ECG printout (SVG, 25 mm/s, 10 mm/mV, mm grid) with R-peaks and, with --segment, P/QRS/T waves.',
  usage: '<record> [--out file.svg] [--layout auto|3x4|12x1] [--segment] [options]',
  options: [
    { name: 'out', type: 'string', description: 'output SVG file (written atomically); default <record name>.svg in the current folder' },
    { name: 'layout', type: 'string', description: "'3x4' (standard, 12 leads + lead II rhythm strip), '12x1' (one row per lead) or 'auto' (3x4 when the 12 standard leads are present)", default: 'auto', choices: ['auto', '3x4', '12x1'] },
    { name: 'segment', type: 'boolean', description: 'shade P, QRS and T waves found by the segmentation model (shipped weights unless --model)', default: false },
    { name: 'model', type: 'string', description: 'segmentation model folder for --segment (default: the weights shipped with beat-ssl)' },
    { name: 'backend', type: 'string', description: 'tfjs backend for --segment', default: 'auto', choices: ['auto', 'tensorflow', 'wasm', 'cpu'] },
    { name: 'peaks', type: 'boolean', description: 'mark detected R-peaks (--peaks=false to hide)', default: true },
    { name: 'start', type: 'number', description: 'start of the plotted window (s)', default: 0 },
    { name: 'duration', type: 'number', description: 'length of the plotted window (s)', default: 10 },
    { name: 'lead', type: 'string', description: "lead to draw in the '12x1' layout (repeatable; default all)", multiple: true },
    { name: 'mm-per-sec', type: 'number', description: 'paper speed (mm/s)', default: 25 },
    { name: 'mm-per-mv', type: 'number', description: 'gain (mm/mV)', default: 10 },
    { name: 'no-grid', type: 'boolean', description: 'omit the millimetre grid', default: false },
  ],
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError(`'beat-ssl plot' needs exactly one record path (with or without .hea), but got ${args.positionals.length}`);
    const path = args.positionals[0];
    const o = args.options;
    const { readRecord } = await import('../../io/index');
    const { plotEcg12 } = await import('../../plot/index');
    const rec = await readRecord(path);
    const standard = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'].every((l) => rec.leads.some((x) => x.toUpperCase() === l));
    const layout = o.layout === 'auto' ? (standard ? '3x4' : '12x1') : (o.layout as '3x4' | '12x1');
    const start = o.start as number;
    const duration = o.duration as number;
    if (!(start >= 0)) throw new UsageError(`option --start must be ≥ 0 (s), but got '${start}'`);
    if (!(duration > 0)) throw new UsageError(`option --duration must be > 0 (s), but got '${duration}'`);

    let peaks: Int32Array | undefined;
    if (o.peaks) {
      const { detectRPeaks } = await import('../../beats/index');
      peaks = detectRPeaks(rec.signals, rec.fs);
    }
    let waves: Wave[] | undefined;
    if (o.segment) {
      const { setBackend } = await import('../../backend/setBackend');
      await setBackend(o.backend as 'auto');
      waves = await segmentWaves(rec, o.model as string | undefined);
    }

    const svg = plotEcg12(rec, {
      layout,
      rPeaks: peaks,
      waves,
      startSec: start,
      durationSec: duration,
      leads: Array.isArray(o.lead) ? (o.lead as string[]) : undefined,
      mmPerSec: o['mm-per-sec'] as number,
      mmPerMv: o['mm-per-mv'] as number,
      grid: !o['no-grid'],
    });
    const out = (o.out as string | undefined) ?? `${rec.name || 'ecg'}.svg`;
    await writeAtomic(out, svg);
    if (o.json) {
      io.stdout(JSON.stringify({ record: path, out, layout, fs: rec.fs, peaks: peaks ? peaks.length : null, waves: waves ? waves.length : null }) + '\n');
    } else {
      io.stdout(`wrote ${out} (${layout}, ${peaks ? `${peaks.length} R-peaks in the record` : 'no peaks'}${waves ? `, ${waves.length} waves` : ''})\n`);
    }
    return 0;
  },
};

async function segmentWaves(rec: EcgRecord, model: string | undefined): Promise<Wave[]> {
  const { segmentRecord } = await import('../../heads/index');
  // A folder given with --model, else the weights shipped with the package (a clear error if absent).
  const res = await segmentRecord(rec, model);
  return res.waves;
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const { writeFile, rename, unlink } = await import('node:fs/promises');
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new Error(`cannot write ${file}: ${(err as Error).message}`);
  }
}
