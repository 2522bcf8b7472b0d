/**
 * Exports LUDB records 1–160 at the segmentation working rate (100 Hz), with exactly the
 * preprocessing of our segmentation models (`segmentationPreprocessing(100)`: 12 leads,
 * band-pass 0.5–40 Hz, per-lead standardisation), for the outside PyTorch anchor
 * `bench/ludb_unet_reference.py` (DESIGN §7). Scored back with
 * `eval/score-reference-probabilities.ts`.
 *
 *   npx tsx eval/export-ludb-working-rate.ts <outDir>
 *
 * Writes to <outDir>, per record `<id>`, raw little-endian binaries:
 *   <id>.x.f32  Float32 [T × 12], time-major (interleaved leads)
 *   <id>.y.u8   Uint8 [T], class per 100 Hz sample from lead II annotations (0 none, 1 P, 2 QRS, 3 T)
 *   <id>.w.f32  Float32 [T], 1 inside lead II's annotated span, 0 outside
 * and `index.json`: { fs, leads, preprocessing, records: [{ id, T }] }.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DATA_ROOT, requireDir } from './_lib';
import { prepareLudb, segmentationPreprocessing } from './_segmentation';

const out = process.argv[2];
if (!out) {
  console.error('usage: npx tsx eval/export-ludb-working-rate.ts <outDir>');
  process.exit(2);
}
const outDir = resolve(out);
const ludb = requireDir(resolve(DATA_ROOT, 'ludb'), 'LUDB');
const pre = segmentationPreprocessing(100);
const ids = Array.from({ length: 160 }, (_, i) => i + 1);

const items = await prepareLudb(ludb, pre, ids);
mkdirSync(outDir, { recursive: true });
const bytes = (a: Float32Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength); // x86/ARM: little-endian
for (const it of items) {
  writeFileSync(join(outDir, `${it.id}.x.f32`), bytes(it.x));
  writeFileSync(join(outDir, `${it.id}.y.u8`), bytes(it.y));
  writeFileSync(join(outDir, `${it.id}.w.f32`), bytes(it.w));
}
const index = { fs: pre.fs, leads: pre.leads, preprocessing: pre, records: items.map((it) => ({ id: it.id, T: it.T })) };
writeFileSync(join(outDir, 'index.json'), JSON.stringify(index, null, 1) + '\n');
console.log(`wrote ${items.length} records (T = ${Math.min(...items.map((i) => i.T))}–${Math.max(...items.map((i) => i.T))}) to ${outDir}`);
