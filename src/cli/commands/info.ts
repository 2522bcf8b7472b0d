import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { FAIL_FAST_FLAG } from '../flags';
import { emit, expandRecordArgs, forEachRecord } from '../_internal/output';

/** `beat-ssl info <record|folder...>`: header summary of WFDB records. */
export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Print a summary of WFDB records: sampling rate (Hz), duration (s), leads, units, format, gain, amplitude range (mV).',
  usage: '<record|folder...> [--json]',
  options: [
    { name: 'checksum', type: 'string', description: 'what to do on a checksum mismatch', default: 'error', choices: ['error', 'warn', 'ignore'] },
    FAIL_FAST_FLAG,
  ],
  epilog: 'A folder stands for every record in it (searched recursively).\nExample: beat-ssl info examples/data/ludb/1 examples/data/mitdb --json',
  validate(args) {
    if (args.positionals.length === 0) throw new UsageError("'beat-ssl info' needs at least one record path (with or without .hea) or folder");
  },
  async run(args, io) {
    const { readRecord, readHeader } = await import('../../io/index');
    const checksum = args.options.checksum as 'error' | 'warn' | 'ignore';
    const json = Boolean(args.options.json);
    const paths = await expandRecordArgs(args.positionals);
    const res = await forEachRecord(paths, io, { command: 'info', json, failFast: Boolean(args.options['fail-fast']) }, async (path) => {
      const header = await readHeader(path);
      const rec = await readRecord(path, { checksum, onWarning: (m) => io.stderr(`beat-ssl info: warning: ${m}\n`) });
      const n = rec.signals[0]?.length ?? 0;
      const ranges = rec.signals.map((s) => {
        let lo = Infinity;
        let hi = -Infinity;
        let nan = 0;
        for (const v of s) {
          if (v !== v) nan++;
          else {
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
        }
        return { min: Number.isFinite(lo) ? lo : null, max: Number.isFinite(hi) ? hi : null, nan };
      });
      const spec = (i: number) => header.signals[i];
      if (json) {
        emit(io, 'record', {
          record: path,
          name: rec.name,
          fs: rec.fs,
          samples: n,
          durationSec: n / rec.fs,
          leads: rec.leads,
          units: rec.units,
          segments: header.segments?.length ?? 1,
          signals: rec.leads.map((lead, i) => ({
            lead,
            unit: rec.units[i],
            ...(spec(i) ? { format: spec(i).format, gain: spec(i).gain, baseline: spec(i).baseline, file: spec(i).fileName } : {}),
            ...ranges[i],
          })),
          baseTime: header.baseTime ?? null,
          baseDate: header.baseDate ?? null,
          comments: rec.comments,
        });
      } else {
        const seg = header.segments ? `, ${header.segments.length} segments` : '';
        io.stdout(`${rec.name}: ${rec.leads.length} leads, ${rec.fs} Hz, ${n} samples (${(n / rec.fs).toFixed(2)} s)${seg}\n`);
        rec.leads.forEach((l, i) => {
          const s = spec(i);
          const fmt = s ? `fmt ${String(s.format).padEnd(3)} gain ${String(s.gain).padEnd(6)} ` : '';
          const r = ranges[i];
          const range = r.min === null ? 'no valid samples' : `min ${r.min.toFixed(3)}  max ${(r.max as number).toFixed(3)}`;
          io.stdout(`  ${l.padEnd(6)} ${rec.units[i].padEnd(4)} ${fmt}${range}${r.nan ? `  (${r.nan} invalid)` : ''}\n`);
        });
        for (const c of rec.comments) io.stdout(`  # ${c}\n`);
      }
    });
    if (json) emit(io, 'done', { records: res.ok, failed: res.failed });
    return res.failed ? 1 : 0;
  },
};
