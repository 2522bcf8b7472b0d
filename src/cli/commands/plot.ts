import type { CliCommand } from '../command';
import { UsageError } from '../command';
import type { EcgRecord, Wave } from '../../core/types';
import { BACKEND_FLAG } from '../flags';
import { asLibraryError, checkInputDir, checkModelKind, checkOutputPath, emit } from '../_internal/output';

/** `beat-ssl plot <record> [--segment] [--layout] --out file.svg`: a 12-lead printout as SVG. */
export const plotCommand: CliCommand = {
  name: 'plot',
  summary: 'Draw a WFDB record as an ECG printout (SVG, 25 mm/s, 10 mm/mV, mm grid) with R-peaks and, with --segment, P/QRS/T waves.',
  usage: '<record> [--out file.svg] [--layout auto|3x4|12x1] [--segment] [options]',
  options: [
    { name: 'out', type: 'string', valueName: 'file.svg', description: 'output SVG file (written atomically); default <record name>.svg in the current folder' },
    { name: 'layout', type: 'string', description: "'3x4' (standard, 12 leads + lead II rhythm strip), '12x1' (one row per lead) or 'auto' (3x4 when the 12 standard leads are present)", default: 'auto', choices: ['auto', '3x4', '12x1'] },
    { name: 'segment', type: 'boolean', description: 'shade P, QRS and T waves found by the segmentation model (shipped weights unless --model)', default: false },
    { name: 'model', type: 'string', description: 'segmentation model folder for --segment (default: the weights shipped with beat-ssl)' },
    { ...BACKEND_FLAG, description: 'tfjs backend for --segment' },
    { name: 'peaks', type: 'boolean', description: 'mark detected R-peaks (--no-peaks to hide)', default: true },
    { name: 'start', type: 'number', min: 0, description: 'start of the plotted window (s)', default: 0 },
    { name: 'duration', type: 'number', min: 0, minExclusive: true, description: 'length of the plotted window (s)', default: 10 },
    { name: 'lead', type: 'string', description: "lead to draw in the '12x1' layout (repeatable; default all)", multiple: true },
    { name: 'mm-per-sec', type: 'number', min: 0, minExclusive: true, description: 'paper speed (mm/s)', default: 25 },
    { name: 'mm-per-mv', type: 'number', min: 0, minExclusive: true, description: 'gain (mm/mV)', default: 10 },
    { name: 'grid', type: 'boolean', description: 'draw the millimetre grid (--no-grid to omit)', default: true },
  ],
  epilog: 'Example: beat-ssl plot examples/data/ludb/1 --segment --out ecg.svg',
  async validate(args) {
    if (args.positionals.length !== 1) throw new UsageError(`'beat-ssl plot' needs exactly one record path (with or without .hea), but got ${args.positionals.length}`);
    if (typeof args.options.out === 'string') await checkOutputPath('out', args.options.out, { kind: 'file' });
    if (typeof args.options.model === 'string') {
      await checkInputDir('model', args.options.model);
      await checkModelKind('model', args.options.model, 'segment');
    }
  },
  async run(args, io) {
    const path = args.positionals[0];
    const o = args.options;
    const { readRecord } = await import('../../io/index');
    const { plotEcg12 } = await import('../../plot/index');
    const rec = await readRecord(path);
    const { missingLeads } = await import('../../core/leads');
    const standard = missingLeads(rec.leads).length === 0;
    const layout = o.layout === 'auto' ? (standard ? '3x4' : '12x1') : (o.layout as '3x4' | '12x1');
    const start = o.start as number;
    const duration = o.duration as number;

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
      grid: Boolean(o.grid),
    });
    const out = (o.out as string | undefined) ?? `${rec.name || 'ecg'}.svg`;
    if (o.out === undefined) await checkOutputPath('out', out, { kind: 'file' });
    const { writeFileAtomic } = await import('../../core/atomicWrite');
    await writeFileAtomic(out, svg, { fn: 'beat-ssl plot' }).catch((err) => {
      throw asLibraryError(err, 'beat-ssl plot', '--out', 'write');
    });
    if (o.json) {
      emit(io, 'record', { record: path, out, layout, fs: rec.fs, peaks: peaks ? peaks.length : null, waves: waves ? waves.length : null });
      emit(io, 'done', { records: 1, failed: 0, outputs: { svg: out } });
    } else {
      io.stdout(`wrote ${out} (${layout}, ${peaks ? `${peaks.length} R-peaks in the record` : 'no peaks'}${waves ? `, ${waves.length} waves` : ''})\n`);
    }
    return 0;
  },
};

async function segmentWaves(rec: EcgRecord, model: string | undefined): Promise<Wave[]> {
  const { segmentRecord } = await import('../../analysis/segmentRecord');
  // A folder given with --model, else the weights shipped with the package (a clear error if absent).
  const res = await segmentRecord(rec, model);
  return res.waves;
}
