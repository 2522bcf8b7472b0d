/**
 * ECG → VCG reconstruction accuracy on the PTB Diagnostic ECG Database subset with measured Frank
 * leads (`../shared/data/ptbdb`, overridable by env BEAT_SSL_DATA).
 *
 * For each record: read the 12 standard leads (.dat) and the measured Frank leads vx, vy, vz
 * (.xyz) with `readRecord`, remove baseline wander from all 15 leads (zero-phase Butterworth
 * high-pass, 0.5 Hz, order 2), reconstruct X, Y, Z with the Kors and inverse-Dower matrices
 * (`ecgToVcg`), and report the per-axis Pearson correlation and RMS error (mV) against the
 * measured leads. Run: `npx tsx eval/vcg-ptbdb.ts`. Writes eval/results/vcg-ptbdb.json.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRecord } from '../src/io/readRecord';
import { ecgToVcg, removeBaselineWander, selectLeads, VCG_METHODS, type VcgMethod } from '../src/signal';
import { CANONICAL_LEADS } from '../src/core/leads';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = process.env.BEAT_SSL_DATA ?? path.resolve(repoRoot, '../shared/data');
const ptbDir = path.join(dataRoot, 'ptbdb');
const AXES = ['x', 'y', 'z'] as const;

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
}

interface Row {
  record: string;
  method: VcgMethod;
  seconds: number;
  pearson: Record<(typeof AXES)[number], number>;
  rmseMv: Record<(typeof AXES)[number], number>;
}

async function main(): Promise<void> {
  if (!existsSync(ptbDir)) {
    console.warn(`skipped: ${ptbDir} absent (set BEAT_SSL_DATA to the folder holding ptbdb/)`);
    return;
  }
  const records: string[] = [];
  for (const patient of (await readdir(ptbDir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    for (const f of await readdir(path.join(ptbDir, patient.name))) {
      if (f.endsWith('.hea')) records.push(path.join(patient.name, f.slice(0, -4)));
    }
  }
  records.sort();
  const rows: Row[] = [];
  for (const rec of records) {
    const raw = await readRecord(path.join(ptbDir, rec));
    const ecg = selectLeads(raw, CANONICAL_LEADS);
    const frank = selectLeads(raw, ['vx', 'vy', 'vz']);
    const clean = (x: Float32Array) => removeBaselineWander(x, raw.fs, { method: 'highpass', cutoffHz: 0.5 });
    const leads = ecg.signals.map(clean);
    const measured = frank.signals.map(clean);
    for (const method of VCG_METHODS) {
      const vcg = ecgToVcg(leads, { method });
      const row: Row = {
        record: rec,
        method,
        seconds: raw.signals[0]!.length / raw.fs,
        pearson: { x: 0, y: 0, z: 0 },
        rmseMv: { x: 0, y: 0, z: 0 },
      };
      AXES.forEach((a, k) => {
        row.pearson[a] = pearson(vcg[k]!, measured[k]!);
        row.rmseMv[a] = rmse(vcg[k]!, measured[k]!);
      });
      rows.push(row);
    }
  }
  const summary = VCG_METHODS.map((method) => {
    const rs = rows.filter((r) => r.method === method);
    const mean = (f: (r: Row) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
    return {
      method,
      records: rs.length,
      meanPearson: { x: mean((r) => r.pearson.x), y: mean((r) => r.pearson.y), z: mean((r) => r.pearson.z) },
      meanRmseMv: { x: mean((r) => r.rmseMv.x), y: mean((r) => r.rmseMv.y), z: mean((r) => r.rmseMv.z) },
    };
  });
  const f3 = (v: number) => v.toFixed(3).padStart(6);
  console.log(`ECG→VCG vs measured Frank leads, PTB Diagnostic (${records.length} records, baseline removed: high-pass 0.5 Hz)`);
  console.log('record                 method        r(X)   r(Y)   r(Z)  rmse X  rmse Y  rmse Z (mV)');
  for (const r of rows) {
    console.log(`${r.record.padEnd(22)} ${r.method.padEnd(12)} ${f3(r.pearson.x)} ${f3(r.pearson.y)} ${f3(r.pearson.z)}  ${f3(r.rmseMv.x)}  ${f3(r.rmseMv.y)}  ${f3(r.rmseMv.z)}`);
  }
  for (const s of summary) {
    console.log(`${'mean'.padEnd(22)} ${s.method.padEnd(12)} ${f3(s.meanPearson.x)} ${f3(s.meanPearson.y)} ${f3(s.meanPearson.z)}  ${f3(s.meanRmseMv.x)}  ${f3(s.meanRmseMv.y)}  ${f3(s.meanRmseMv.z)}`);
  }
  const outDir = path.join(repoRoot, 'eval', 'results');
  await mkdir(outDir, { recursive: true });
  const out = path.join(outDir, 'vcg-ptbdb.json');
  await writeFile(out, JSON.stringify({ dataset: 'ptbdb', dataDir: ptbDir, baseline: { method: 'highpass', cutoffHz: 0.5, order: 2 }, rows, summary }, null, 2));
  console.log(`wrote ${path.relative(repoRoot, out)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
