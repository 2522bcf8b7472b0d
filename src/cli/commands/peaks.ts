import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { FAIL_FAST_FLAG } from '../flags';
import { emit, expandRecordArgs, forEachRecord } from '../_internal/output';

/** `beat-ssl peaks <record|folder...> [--lead NAME|all] [--json]`: R-peak detection on WFDB records. */
export const peaksCommand: CliCommand = {
  name: 'peaks',
  summary: 'Detect R peaks in WFDB records; prints sample indices at the native rate (one JSON event per record with --json).',
  usage: '<record|folder...> [--lead NAME|all] [--json]',
  options: [
    { name: 'lead', type: 'string', valueName: 'name|all', description: "lead to use (by name: case-insensitive, MLII = II), or 'all' to combine every lead", default: 'all' },
    FAIL_FAST_FLAG,
  ],
  epilog: 'A folder stands for every record in it (searched recursively).\nExample: beat-ssl peaks examples/data/mitdb/100 --lead MLII --json',
  validate(args) {
    if (args.positionals.length === 0) throw new UsageError("'beat-ssl peaks' needs at least one record path (with or without .hea) or folder");
  },
  async run(args, io) {
    const { readRecord } = await import('../../io/index');
    const { detectRPeaks } = await import('../../beats/detect');
    const { BeatSslError } = await import('../../core/errors');
    const lead = String(args.options.lead);
    const json = Boolean(args.options.json);
    const paths = await expandRecordArgs(args.positionals);
    let total = 0;
    const res = await forEachRecord(paths, io, { command: 'peaks', json, failFast: Boolean(args.options['fail-fast']) }, async (arg) => {
      const rec = await readRecord(arg.replace(/\.hea$/i, ''));
      let signals = rec.signals;
      if (lead.toLowerCase() !== 'all') {
        const { findLead } = await import('../../core/leads');
        const i = findLead(rec.leads, lead);
        if (i < 0) throw new BeatSslError('beat-ssl peaks', `--lead must be one of ${rec.leads.join(', ')} or all for this record, but got ${JSON.stringify(lead)}.`, 'lead');
        signals = [rec.signals[i]];
      }
      const peaks = Array.from(detectRPeaks(signals, rec.fs));
      total += peaks.length;
      if (json) {
        emit(io, 'record', { record: arg, fs: rec.fs, lead, peaks });
      } else {
        const n = rec.signals[0]?.length ?? 0;
        const bpm = peaks.length > 1 ? (60 * (peaks.length - 1)) / ((peaks[peaks.length - 1] - peaks[0]) / rec.fs) : NaN;
        io.stdout(`${rec.name}: ${peaks.length} R peaks in ${(n / rec.fs).toFixed(1)} s (${Number.isFinite(bpm) ? bpm.toFixed(0) : '—'} bpm), lead ${lead}, ${rec.fs} Hz\n`);
        io.stdout(`  ${peaks.join(' ')}\n`);
      }
    });
    if (json) emit(io, 'done', { records: res.ok, failed: res.failed, peaks: total });
    return res.failed ? 1 : 0;
  },
};
