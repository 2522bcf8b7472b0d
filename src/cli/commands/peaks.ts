import type { CliCommand } from '../command';
import { UsageError } from '../command';

/** `beat-ssl peaks <record...> [--lead NAME|all] [--json]`: R-peak detection on WFDB records. */
export const peaksCommand: CliCommand = {
  name: 'peaks',
  summary: 'Detect R peaks in WFDB records; prints sample indices at the native rate (one JSON object per record with --json).',
  usage: '<record...> [--lead NAME|all] [--json]',
  options: [
    { name: 'lead', type: 'string', description: "lead to use (name as in the header, case-insensitive), or 'all' to combine every lead", default: 'all' },
  ],
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError("'beat-ssl peaks' needs at least one record path (with or without .hea)");
    const { readRecord } = await import('../../io/index');
    const { detectRPeaks } = await import('../../beats/detect');
    const lead = String(args.options.lead ?? 'all');
    for (const arg of args.positionals) {
      const path = arg.replace(/\.hea$/i, '');
      const rec = await readRecord(path);
      let signals = rec.signals;
      if (lead.toLowerCase() !== 'all') {
        const i = rec.leads.findIndex((l) => l.toLowerCase() === lead.toLowerCase());
        if (i < 0) throw new UsageError(`option --lead must be one of ${rec.leads.join(', ')} or all for record '${arg}', but got '${lead}'`);
        signals = [rec.signals[i]];
      }
      const peaks = Array.from(detectRPeaks(signals, rec.fs));
      if (args.options.json) {
        io.stdout(JSON.stringify({ record: arg, fs: rec.fs, peaks }) + '\n');
      } else {
        const n = rec.signals[0]?.length ?? 0;
        const bpm = peaks.length > 1 ? (60 * (peaks.length - 1)) / ((peaks[peaks.length - 1] - peaks[0]) / rec.fs) : NaN;
        io.stdout(`${rec.name}: ${peaks.length} R peaks in ${(n / rec.fs).toFixed(1)} s (${Number.isFinite(bpm) ? bpm.toFixed(0) : '—'} bpm), lead ${lead}, ${rec.fs} Hz\n`);
        io.stdout(`  ${peaks.join(' ')}\n`);
      }
    }
    return 0;
  },
};
