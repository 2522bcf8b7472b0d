import type { CliCommand } from '../command';
import { UsageError } from '../command';

/** `beat-ssl info <record...>`: header summary of WFDB records. */
export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Print a summary of WFDB records: sampling rate (Hz), duration (s), leads, units, format, gain, amplitude range (mV).',
  usage: '<record...> [--json]',
  options: [
    { name: 'checksum', type: 'string', description: "what to do on a checksum mismatch", default: 'error', choices: ['error', 'warn', 'ignore'] },
  ],
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError("'beat-ssl info' needs at least one record path (with or without .hea)");
    const { readRecord, readHeader } = await import('../../io/index');
    const checksum = args.options.checksum as 'error' | 'warn' | 'ignore';
    let failed = 0;
    for (const path of args.positionals) {
      let rec;
      let header;
      try {
        header = await readHeader(path);
        rec = await readRecord(path, { checksum, onWarning: (m) => io.stderr(`beat-ssl info: warning: ${m}\n`) });
      } catch (err) {
        failed++;
        io.stderr(`beat-ssl info: ${(err as Error).message}\n`);
        continue;
      }
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
      if (args.options.json) {
        io.stdout(
          JSON.stringify({
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
          }) + '\n',
        );
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
    }
    return failed ? 1 : 0;
  },
};
