/**
 * Scores per-sample class probabilities written by an outside model (the PyTorch U-Net anchor
 * `bench/ludb_unet_reference.py`, DESIGN §7) on LUDB with OUR scorer, exactly as the tfjs models
 * are scored: argmax → `labelsToWaves` with `SEGMENTATION_POSTPROCESSING` at the working rate →
 * waves at LUDB's native 500 Hz → `scoreWavesOnItems` (lead II reference, annotated span, 150 ms).
 *
 *   npx tsx eval/score-reference-probabilities.ts <probsDir> [--out file.json]
 *
 * <probsDir> holds `probs.f32` (Float32 [T × 4] per record, concatenated, classes none/P/QRS/T) and
 * `index.json` ({ fs, records: [{ id, T, offset }] }, offset in floats).
 *
 * Working → native mapping: `wavesToNativeRate`, as `segmentRecord` does (each boundary placed where
 * the class's probability margin crosses zero, interpolated between working-rate samples), and, for
 * comparison, the plain one (onset·r, offset·r + r − 1, r = native/working rate). Also scores the
 * same probabilities without our post-processing: `labelsToWaves(labels, fs, {})` (its defaults:
 * gaps < 20 ms merged, P/QRS < 30 ms and T < 50 ms dropped) and every run as a wave (no merging,
 * no minimum duration).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Wave } from '../src/core/types';
import { labelsToWaves, wavesToNativeRate, type LabelsToWavesOptions } from '../src/heads/waves';
import { DELINEATION_FIDUCIALS } from '../src/metrics/delineation';
import type { SegmentationScore } from '../src/metrics/segmentation';
import { DATA_ROOT, fmt, printTable, requireDir } from './_lib';
import { prepareLudb, scoreWavesOnItems, segmentationPreprocessing, SEGMENTATION_POSTPROCESSING } from './_segmentation';

const argv = process.argv.slice(2);
const outIdx = argv.indexOf('--out');
const outPath = outIdx >= 0 ? argv[outIdx + 1] : undefined;
const probsDir = argv.find((a, i) => !a.startsWith('--') && (outIdx < 0 || i !== outIdx + 1));
if (!probsDir) {
  console.error('usage: npx tsx eval/score-reference-probabilities.ts <probsDir> [--out file.json]');
  process.exit(2);
}
const K = 4;
const dir = resolve(probsDir);
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { fs: number; records: { id: number; T: number; offset: number }[]; recipe?: unknown; trainSeconds?: number };
const buf = readFileSync(join(dir, 'probs.f32'));
const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));

const items = await prepareLudb(requireDir(resolve(DATA_ROOT, 'ludb'), 'LUDB'), segmentationPreprocessing(index.fs), index.records.map((r) => r.id));
const byId = new Map(items.map((it) => [it.id, it]));
const recs = index.records.map((r) => {
  const it = byId.get(r.id);
  if (!it) throw new Error(`record ${r.id} not found in LUDB`);
  if (it.T !== r.T) throw new Error(`record ${r.id}: T = ${r.T} in the probabilities, ${it.T} in our preprocessing`);
  const probs = all.subarray(r.offset, r.offset + r.T * K);
  const labels = new Uint8Array(r.T);
  for (let t = 0; t < r.T; t++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[t * K + k] > probs[t * K + best]) best = k;
    labels[t] = best;
  }
  return { it, probs, labels };
});

/** Plain mapping: a working-rate sample t covers native samples [t·r, t·r + r − 1]. */
function toNativePlain(waves: Wave[], ratio: number, nativeLength: number): Wave[] {
  return waves.map((w) => ({ type: w.type, onset: Math.min(nativeLength - 1, w.onset * ratio), offset: Math.min(nativeLength - 1, w.offset * ratio + ratio - 1) }));
}

function score(post: LabelsToWavesOptions, mapping: 'interpolated' | 'plain') {
  const predicted = recs.map(({ it, probs, labels }) => {
    const fsNative = it.sample.record.fs;
    const nativeLength = it.sample.record.signals[0].length;
    const ratio = fsNative / index.fs;
    const w = labelsToWaves(labels, index.fs, post);
    return mapping === 'interpolated' ? wavesToNativeRate(w, probs, K, it.T, ratio, nativeLength) : toNativePlain(w, Math.round(ratio), nativeLength);
  });
  const s = scoreWavesOnItems(recs.map((r) => r.it), predicted);
  const perRecord = recs.map((r, i) => ({ id: r.it.id, f1: scoreWavesOnItems([r.it], [predicted[i]]).delineation.meanF1 }));
  return { score: s, perRecord };
}

function report(title: string, s: SegmentationScore, perRecord: { id: number; f1: number }[]) {
  console.log(`\n## ${title}: mean F1 ${fmt(s.delineation.meanF1, 4)}\n`);
  printTable(
    ['fiducial', 'Se', '+P', 'F1', 'error ms (mean ± SD)'],
    DELINEATION_FIDUCIALS.map((f) => {
      const d = s.delineation.fiducials[f];
      return [f, fmt(d.se, 4), fmt(d.ppv, 4), fmt(d.f1, 4), `${fmt(d.meanErrorMs, 1)} ± ${fmt(d.sdErrorMs, 1)}`];
    }),
  );
  console.log(`\nDice (none, P, QRS, T): ${s.dice.perClass.map((v) => fmt(v, 4)).join(', ')}; mean over waves ${fmt(s.dice.meanWaves, 4)}`);
  const worst = [...perRecord].sort((a, b) => a.f1 - b.f1).slice(0, 5);
  console.log(`worst records by mean F1: ${worst.map((w) => `${w.id} (${fmt(w.f1, 3)})`).join(', ')}`);
}

const main = score(SEGMENTATION_POSTPROCESSING, 'interpolated');
const plain = score(SEGMENTATION_POSTPROCESSING, 'plain');
const raw = score({}, 'interpolated');
const rawPlain = score({}, 'plain');
const bare = score({ mergeGapSec: 0, minDurationSec: { P: 0, QRS: 0, T: 0 } }, 'interpolated');
console.log(`LUDB ${recs[0].it.id}–${recs[recs.length - 1].it.id} (${recs.length} records), probabilities from ${dir}` + (index.trainSeconds ? ` (training ${index.trainSeconds.toFixed(0)} s wall)` : ''));
report('post-processed (SEGMENTATION_POSTPROCESSING), segmentRecord mapping', main.score, main.perRecord);
report('no post-processing (labelsToWaves {}), segmentRecord mapping', raw.score, raw.perRecord);
console.log('\n## summary\n');
printTable(
  ['post-processing', 'mapping', 'mean F1', 'P on/off F1', 'QRS on/off F1', 'T on/off F1', 'error SD ms (6 fiducials)'],
  [
    ['SEGMENTATION_POSTPROCESSING', 'segmentRecord', main],
    ['SEGMENTATION_POSTPROCESSING', 'plain (t·5, t·5+4)', plain],
    ['none ({})', 'segmentRecord', raw],
    ['none ({})', 'plain (t·5, t·5+4)', rawPlain],
    ['every run a wave', 'segmentRecord', bare],
  ].map(([p, m, r]) => {
    const f = (r as typeof main).score.delineation.fiducials;
    return [p as string, m as string, fmt((r as typeof main).score.delineation.meanF1, 4), `${fmt(f.P_onset.f1, 4)}/${fmt(f.P_offset.f1, 4)}`, `${fmt(f.QRS_onset.f1, 4)}/${fmt(f.QRS_offset.f1, 4)}`, `${fmt(f.T_onset.f1, 4)}/${fmt(f.T_offset.f1, 4)}`, DELINEATION_FIDUCIALS.map((k) => fmt(f[k].sdErrorMs, 0)).join('/')];
  }),
);
if (outPath) {
  const pack = (r: typeof main) => ({ meanF1: r.score.delineation.meanF1, fiducials: r.score.delineation.fiducials, dice: r.score.dice.perClass, perRecordF1: r.perRecord });
  writeFileSync(resolve(outPath), JSON.stringify({ probsDir: dir, recipe: index.recipe, trainSeconds: index.trainSeconds, postprocessed: pack(main), postprocessedPlainMapping: pack(plain), raw: pack(raw), rawPlainMapping: pack(rawPlain), everyRun: pack(bare) }, null, 1) + '\n');
}
