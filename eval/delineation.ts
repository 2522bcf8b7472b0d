/**
 * Rule-based delineation (`delineateBeats`) on LUDB (DESIGN §7): reference = lead II annotations,
 * 150 ms tolerance, only inside the annotated span (first to last lead-II annotation), R peaks from
 * `detectRPeaks` on all 12 leads; delineation on all 12 leads and on lead II alone.
 *
 *   npx tsx eval/delineation.ts          # all LUDB records in ../shared/data/ludb
 *   npx tsx eval/delineation.ts 40       # first 40 records
 *
 * Prints Se, +P, F1 and mean ± SD error (ms) per fiducial; writes eval/results/delineation.json.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectRPeaks } from '../src/beats/detect';
import { delineateBeats } from '../src/beats/delineate';
import { readAnnotations, readRecord } from '../src/io/index';
import type { Annotation, Wave } from '../src/core/types';
import { compareDelineation, type DelineationScore } from '../src/metrics/delineation';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(process.env.BEAT_SSL_DATA ?? resolve(root, '../shared/data'), 'ludb');
const limit = Number(process.argv[2] ?? Infinity);

/** LUDB annotation triplets `(` peak `)` → waves. */
function ludbWaves(anns: Annotation[]): Wave[] {
  const out: Wave[] = [];
  const type = (s: string) => (s === 'p' ? 'P' : s === 'N' ? 'QRS' : s === 't' ? 'T' : null);
  for (let i = 0; i + 2 < anns.length; i++) {
    const t = type(anns[i + 1].symbol);
    if (anns[i].symbol === '(' && t && anns[i + 2].symbol === ')') out.push({ type: t, onset: anns[i].sample, offset: anns[i + 2].sample, peak: anns[i + 1].sample });
  }
  return out;
}

if (!existsSync(dir)) {
  console.warn(`skipped: ${dir} absent`);
  process.exit(0);
}
const names = readdirSync(dir).filter((f) => f.endsWith('.hea')).map((f) => f.slice(0, -4)).sort((a, b) => +a - +b).slice(0, limit);
const refs: Wave[][] = [];
const all: Wave[][] = [];
const two: Wave[][] = [];
const spans: [number, number][] = [];
let fs = 500;
for (const name of names) {
  const rec = await readRecord(join(dir, name));
  fs = rec.fs;
  const anns = await readAnnotations(join(dir, `${name}.ii`));
  if (anns.length === 0) continue;
  const ii = rec.leads.findIndex((l) => l.toLowerCase() === 'ii');
  const peaks = detectRPeaks(rec.signals, rec.fs);
  refs.push(ludbWaves(anns));
  spans.push([anns[0].sample, anns[anns.length - 1].sample]);
  all.push(delineateBeats(rec.signals, rec.fs, peaks));
  two.push(delineateBeats(rec.signals[ii], rec.fs, peaks));
}
const results: Record<string, DelineationScore> = {
  '12-lead': compareDelineation(refs, all, fs, { spans, peaks: true }),
  'lead II': compareDelineation(refs, two, fs, { spans, peaks: true }),
};
for (const [k, s] of Object.entries(results)) {
  console.log(`\nLUDB delineation (${k} input, ${s.records} records, lead II reference, ±150 ms, annotated span)`);
  console.log('fiducial      Se      +P      F1     error ms (mean ± SD)');
  for (const [f, v] of Object.entries(s.fiducials)) {
    console.log(`${f.padEnd(11)} ${v.se.toFixed(3)}  ${v.ppv.toFixed(3)}  ${v.f1.toFixed(3)}   ${v.meanErrorMs.toFixed(1)} ± ${v.sdErrorMs.toFixed(1)}`);
  }
  console.log(`mean F1 (6 onsets/offsets): ${s.meanF1.toFixed(3)}`);
}
mkdirSync(join(root, 'eval/results'), { recursive: true });
writeFileSync(join(root, 'eval/results/delineation.json'), JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1));
console.log('\nwrote eval/results/delineation.json');
