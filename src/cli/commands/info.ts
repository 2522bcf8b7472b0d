import type { CliCommand } from '../command';
import { UsageError } from '../command';

/** `beat-ssl info <record...>`: header summary of WFDB records. */
export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Print a summary of WFDB records: sampling rate (Hz), duration (s), leads, units, amplitude range (mV).',
  usage: '<record...> [--json]',
  options: [],
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError("'beat-ssl info' needs at least one record path (with or without .hea)");
    const { readRecord } = await import('../../io/index');
    for (const path of args.positionals) {
      const rec = await readRecord(path);
      const n = rec.signals[0]?.length ?? 0;
      const ranges = rec.signals.map((s) => {
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of s) if (v === v) { if (v < lo) lo = v; if (v > hi) hi = v; }
        return [lo, hi];
      });
      if (args.options.json) {
        io.stdout(JSON.stringify({ record: path, name: rec.name, fs: rec.fs, samples: n, durationSec: n / rec.fs, leads: rec.leads, units: rec.units, comments: rec.comments }) + '\n');
      } else {
        io.stdout(`${rec.name}: ${rec.leads.length} leads, ${rec.fs} Hz, ${n} samples (${(n / rec.fs).toFixed(2)} s)\n`);
        rec.leads.forEach((l, i) => io.stdout(`  ${l.padEnd(6)} ${rec.units[i].padEnd(4)} min ${ranges[i][0].toFixed(3)}  max ${ranges[i][1].toFixed(3)}\n`));
        for (const c of rec.comments) io.stdout(`  # ${c}\n`);
      }
    }
    return 0;
  },
};
