/**
 * Rule-based AAMI beat classes (`classifyBeats`) on MIT-BIH: reference beat labels mapped to AAMI
 * (N, L, R, e, j → N; A, a, J, S → S; V, E → V; F → F; /, f, Q → Q), classified at the reference
 * beat positions (so detection errors do not mix in), both channels, whole records. Two tables:
 * all records, and without the paced records 102, 104, 107 (as the AAMI recommended practice does).
 *
 *   npx tsx eval/beat-classes.ts
 *
 * Prints the confusion matrix and per-class Se/+P; writes eval/results/beat-classes.json.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyBeats } from '../src/beats/classify';
import { readAnnotations, readRecord } from '../src/io/index';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(process.env.BEAT_SSL_DATA ?? resolve(root, '../shared/data'), 'mitdb');
const AAMI: Record<string, string> = { N: 'N', L: 'N', R: 'N', e: 'N', j: 'N', A: 'S', a: 'S', J: 'S', S: 'S', V: 'V', E: 'V', F: 'F', '/': 'Q', f: 'Q', Q: 'Q' };
const REF = ['N', 'S', 'V', 'F', 'Q'];
const PRED = ['N', 'S', 'V', 'Q'];
if (!existsSync(dir)) {
  console.warn(`skipped: ${dir} absent`);
  process.exit(0);
}
const names = readdirSync(dir).filter((f) => f.endsWith('.hea')).map((f) => f.slice(0, -4)).sort();
const PACED = new Set(['102', '104', '107', '217']);
const empty = () => Object.fromEntries(REF.map((r) => [r, Object.fromEntries(PRED.map((p) => [p, 0]))])) as Record<string, Record<string, number>>;
const tables: Record<string, Record<string, Record<string, number>>> = { all: empty(), 'no paced records': empty() };
for (const name of names) {
  const rec = await readRecord(join(dir, name));
  const beats = (await readAnnotations(join(dir, `${name}.atr`))).filter((a) => AAMI[a.symbol]);
  const peaks = Int32Array.from(beats.map((a) => a.sample));
  const cls = classifyBeats(rec.signals, rec.fs, peaks);
  beats.forEach((a, i) => {
    tables.all[AAMI[a.symbol]][cls[i]]++;
    if (!PACED.has(name)) tables['no paced records'][AAMI[a.symbol]][cls[i]]++;
  });
}
const stats: Record<string, Record<string, { se: number; ppv: number; n: number }>> = {};
for (const [tname, cm] of Object.entries(tables)) {
  console.log(`\nMIT-BIH (${tname}), reference beats, AAMI classes (rows = reference, columns = predicted)`);
  console.log(`ref\\pred ${PRED.map((p) => p.padStart(7)).join('')}`);
  for (const r of REF) console.log(`${r.padEnd(8)} ${PRED.map((p) => String(cm[r][p]).padStart(7)).join('')}`);
  stats[tname] = {};
  for (const c of PRED) {
    const tp = cm[c]?.[c] ?? 0;
    const n = PRED.reduce((s, p) => s + (cm[c]?.[p] ?? 0), 0);
    const predicted = REF.reduce((s, r) => s + cm[r][c], 0);
    stats[tname][c] = { se: n ? tp / n : NaN, ppv: predicted ? tp / predicted : NaN, n };
    console.log(`${c}: Se ${(100 * stats[tname][c].se).toFixed(1)}%  +P ${(100 * stats[tname][c].ppv).toFixed(1)}%  (${n} reference beats)`);
  }
}
mkdirSync(join(root, 'eval/results'), { recursive: true });
writeFileSync(join(root, 'eval/results/beat-classes.json'), JSON.stringify({ confusion: tables, stats }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1));
console.log('wrote eval/results/beat-classes.json');
