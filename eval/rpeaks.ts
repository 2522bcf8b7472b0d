/**
 * R-peak detection accuracy (EC57 / bxb style): MIT-BIH Arrhythmia (channel 0 and both channels,
 * native 360 Hz and resampled to 250 and 100 Hz; 150 ms window, scored from 5 min, beat
 * annotations only), LUDB (lead II QRS annotations, 500 and 100 Hz, all 12 leads and lead II alone,
 * annotated span only) and QTDB (.atr beats, both channels, whole record).
 *
 *   npx tsx eval/rpeaks.ts            # everything (~1–2 min)
 *   npx tsx eval/rpeaks.ts mitdb      # one part: mitdb | ludb | qtdb
 *
 * Prints per-record and gross tables, writes eval/results/rpeaks.json.
 * Data: ../shared/data (override with BEAT_SSL_DATA).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectRPeaks } from '../src/beats/detect';
import { readAnnotations, readRecord } from '../src/io/index';
import { resample } from '../src/signal/resample';
import { beatAnnotationSamples, compareBeats, ec57Summary, type BeatComparison } from '../src/metrics/beats';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = process.env.BEAT_SSL_DATA ?? resolve(root, '../shared/data');
const only = process.argv[2];
const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(2) : '  —  ');

interface Row { record: string; result: BeatComparison }
const results: Record<string, { rows: Row[]; summary: ReturnType<typeof ec57Summary> }> = {};

function report(name: string, rows: Row[], perRecord: boolean): void {
  const summary = ec57Summary(rows.map((r) => r.result));
  results[name] = { rows, summary };
  if (perRecord) {
    console.log(`\n${name}\nrecord      TP    FN    FP   Se%     +P%    F1%   err ms (mean ± SD)`);
    for (const { record, result: c } of rows) {
      console.log(`${record.padEnd(9)} ${String(c.tp).padStart(5)} ${String(c.fn).padStart(5)} ${String(c.fp).padStart(5)}  ${pct(c.se)}  ${pct(c.ppv)}  ${pct(c.f1)}  ${c.meanErrorMs.toFixed(1)} ± ${c.sdErrorMs.toFixed(1)}`);
    }
  }
  const g = summary.gross;
  console.log(`${name.padEnd(34)} gross  TP ${g.tp}  FN ${g.fn}  FP ${g.fp}  Se ${pct(g.se)}%  +P ${pct(g.ppv)}%  F1 ${pct(g.f1)}%  | average Se ${pct(summary.average.se)}% +P ${pct(summary.average.ppv)}%  | err ${summary.meanErrorMs.toFixed(1)} ± ${summary.sdErrorMs.toFixed(1)} ms`);
}

function resampled(signals: Float32Array[], fs: number, to: number): Float32Array[] {
  return to === fs ? signals : signals.map((s) => resample(s, fs, to));
}

function scaleIdx(idx: ArrayLike<number>, from: number, to: number): number[] {
  return Array.from(idx, (s) => Math.round((s * to) / from));
}

async function mitdb(): Promise<void> {
  const dir = join(data, 'mitdb');
  if (!existsSync(dir)) return void console.warn(`skipped mitdb: ${dir} absent`);
  const names = readdirSync(dir).filter((f) => f.endsWith('.hea')).map((f) => f.slice(0, -4)).sort();
  const rows: Record<string, Row[]> = {};
  let secs = 0;
  let samples = 0;
  for (const name of names) {
    const rec = await readRecord(join(dir, name));
    const ref = beatAnnotationSamples(await readAnnotations(join(dir, `${name}.atr`)));
    for (const fs of [rec.fs, 250, 100]) {
      const sig = resampled(rec.signals, rec.fs, fs);
      const refFs = scaleIdx(ref, rec.fs, fs);
      for (const mode of ['ch0', 'both'] as const) {
        const t0 = performance.now();
        const peaks = detectRPeaks(mode === 'ch0' ? sig[0] : sig, fs);
        if (fs === rec.fs) {
          secs += (performance.now() - t0) / 1000;
          samples += sig[0].length * (mode === 'ch0' ? 1 : sig.length);
        }
        const key = `mitdb ${mode} ${fs} Hz`;
        (rows[key] ??= []).push({ record: name, result: compareBeats(refFs, peaks, fs, { startSec: 300 }) });
      }
    }
  }
  for (const [k, r] of Object.entries(rows)) report(k, r, k.endsWith(' 360 Hz'));
  console.log(`speed at 360 Hz: ${(samples / secs / 1e6).toFixed(2)} M lead-samples/s`);
}

async function ludb(): Promise<void> {
  const dir = join(data, 'ludb');
  if (!existsSync(dir)) return void console.warn(`skipped ludb: ${dir} absent`);
  const names = readdirSync(dir).filter((f) => f.endsWith('.hea')).map((f) => f.slice(0, -4)).sort((a, b) => +a - +b);
  const rows: Record<string, Row[]> = {};
  for (const name of names) {
    const rec = await readRecord(join(dir, name));
    const anns = await readAnnotations(join(dir, `${name}.ii`));
    const qrs = anns.filter((a) => a.symbol === 'N').map((a) => a.sample);
    if (anns.length === 0) continue;
    const first = anns[0].sample;
    const last = anns[anns.length - 1].sample;
    const ii = rec.leads.findIndex((l) => l.toLowerCase() === 'ii');
    for (const fs of [rec.fs, 100]) {
      const sig = resampled(rec.signals, rec.fs, fs);
      const ref = scaleIdx(qrs, rec.fs, fs);
      const span = { startSec: first / rec.fs, endSec: (last + 1) / rec.fs };
      rows[`ludb 12-lead ${fs} Hz`] ??= [];
      rows[`ludb 12-lead ${fs} Hz`].push({ record: name, result: compareBeats(ref, detectRPeaks(sig, fs), fs, span) });
      rows[`ludb lead II ${fs} Hz`] ??= [];
      rows[`ludb lead II ${fs} Hz`].push({ record: name, result: compareBeats(ref, detectRPeaks(sig[ii], fs), fs, span) });
    }
  }
  for (const [k, r] of Object.entries(rows)) report(k, r, false);
  const bad = rows['ludb 12-lead 500 Hz'].filter((r) => r.result.fn + r.result.fp > 0);
  console.log(`  ludb 12-lead 500 Hz records with errors: ${bad.map((r) => `${r.record}(fn ${r.result.fn}, fp ${r.result.fp})`).join(' ') || 'none'}`);
}

async function qtdb(): Promise<void> {
  const dir = join(data, 'qtdb');
  if (!existsSync(dir)) return void console.warn(`skipped qtdb: ${dir} absent`);
  const names = readdirSync(dir).filter((f) => f.endsWith('.hea')).map((f) => f.slice(0, -4)).sort();
  const rows: Record<string, Row[]> = {};
  for (const name of names) {
    if (!existsSync(join(dir, `${name}.atr`))) continue;
    const rec = await readRecord(join(dir, name));
    const ref = beatAnnotationSamples(await readAnnotations(join(dir, `${name}.atr`)));
    for (const mode of ['ch0', 'both'] as const) {
      const key = `qtdb ${mode} ${rec.fs} Hz`;
      (rows[key] ??= []).push({ record: name, result: compareBeats(ref, detectRPeaks(mode === 'ch0' ? rec.signals[0] : rec.signals, rec.fs), rec.fs) });
    }
  }
  for (const [k, r] of Object.entries(rows)) report(k, r, k.includes('both'));
}

if (!only || only === 'mitdb') await mitdb();
if (!only || only === 'ludb') await ludb();
if (!only || only === 'qtdb') await qtdb();
mkdirSync(join(root, 'eval/results'), { recursive: true });
const out = join(root, `eval/results/rpeaks${only ? `-${only}` : ''}.json`);
writeFileSync(out, JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1));
console.log(`\nwrote ${out}`);
