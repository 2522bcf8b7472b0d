/**
 * beat-ssl quickstart (`npm start`): the whole pipeline on the sample embedded in examples/data.
 *
 *   1. read WFDB records (LUDB 1–8 at 500 Hz, 24 PTB-XL records at 100 Hz) and detect R-peaks;
 *   2. pretrain a small Beat-SSL encoder for a short budget (3KG views, soft rhythm targets,
 *      heartbeat-level loss);
 *   3. fine-tune a P/QRS/T segmentation head on LUDB 1–6 (pretrained encoder), and score it on
 *      LUDB 7–8 beside the rule-based delineator and, when the package ships them, the pretrained
 *      weights;
 *   4. print the metrics and write SVGs (segmented 12-lead ECG, training curve) to examples/output/.
 *
 * Finishes in under 3 minutes on 2 CPU cores. BEAT_SSL_EXAMPLE_QUICK=1 runs a 1-minute smoke version
 * (used by the tests). The numbers it prints come from a few seconds of training on 30 records: they
 * show the pipeline, not the method's accuracy (see the evaluation guide for that).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRecord } from 'beat-ssl/io';
import { detectRPeaks, delineateBeats } from 'beat-ssl/beats';
import { loadLudb, segmentationExample, sslRecordFrom, type LudbSample, type SslRecord } from 'beat-ssl/data';
import { preprocessSpec } from 'beat-ssl/signal';
import { BeatSslModel } from 'beat-ssl/models';
import { createSegmenter, loadSegmentationModel, type SegmentationModel } from 'beat-ssl/heads';
import { segmentRecord } from 'beat-ssl/analysis';
import { finetuneSegmenter, pretrainBeatSsl } from 'beat-ssl/train';
import { compareDelineation, createDiceAccumulator, type DelineationScore } from 'beat-ssl/metrics';
import { setBackend } from 'beat-ssl/backend';
import { plotEcg12, plotTrainingCurve } from 'beat-ssl/plot';
import type { Wave } from 'beat-ssl/core';

const QUICK = process.env.BEAT_SSL_EXAMPLE_QUICK === '1';
const FS = 100; // working rate (Hz) of the models
const PRETRAIN_STEPS = QUICK ? 3 : 100;
const FINETUNE_EPOCHS = QUICK ? 2 : 60;
const ENCODER = QUICK ? 'tiny' : 'small';
const SEED = 7;
const DATA = fileURLToPath(new URL('./data/', import.meta.url));
const OUT = fileURLToPath(new URL('./output/', import.meta.url));
const TRAIN_IDS = [1, 2, 3, 4, 5, 6];
const TEST_IDS = [7, 8];

const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0).padStart(3)} s`;
const tty = Boolean(process.stdout.isTTY);
function progress(label: string, done: number, total: number, extra = ''): void {
  if (tty) {
    const w = 24;
    const bar = '█'.repeat(Math.round((w * done) / total)).padEnd(w, '·');
    process.stdout.write(`\r  ${label} ${bar} ${done}/${total} ${extra}   `);
    if (done === total) process.stdout.write('\n');
  } else if (done === total || done % Math.max(1, Math.ceil(total / 6)) === 0) {
    console.log(`  ${label} ${done}/${total} ${extra}`);
  }
}

const backend = await setBackend('auto');
console.log(`beat-ssl quickstart${QUICK ? ' (quick mode)' : ''} — tfjs backend: ${backend.name}\n`);

// ---- 1. records and R-peaks ------------------------------------------------------------------
console.log(`[${elapsed()}] 1/4 reading the embedded sample and detecting R-peaks`);
const ludb = await loadLudb(`${DATA}ludb`, { lead: 'ii' });
const ludbItems: LudbSample[] = [];
for (let i = 0; i < ludb.size; i++) ludbItems.push(await ludb.get(i));
const ptbxlDir = `${DATA}ptbxl/records100/00000/`;
const ptbxlNames = Array.from({ length: 25 }, (_, i) => `${String(i + 1).padStart(5, '0')}_lr`).filter((n) => existsSync(`${ptbxlDir}${n}.hea`));
const ptbxl = await Promise.all(ptbxlNames.map((n) => readRecord(ptbxlDir + n)));
const rows: string[] = [];
for (const { id, record } of ludbItems.slice(0, 3)) {
  const peaks = detectRPeaks(record.signals, record.fs);
  const rr = (peaks[peaks.length - 1] - peaks[0]) / record.fs / Math.max(1, peaks.length - 1);
  rows.push(`  LUDB ${id}: ${peaks.length} beats in ${(record.signals[0].length / record.fs).toFixed(0)} s, ${(60 / rr).toFixed(0)} bpm`);
}
console.log(rows.join('\n'));
console.log(`  … ${ludbItems.length} LUDB and ${ptbxl.length} PTB-XL records read`);

// ---- 2. pretraining ------------------------------------------------------------------------------
console.log(`\n[${elapsed()}] 2/4 pretraining a '${ENCODER}' Beat-SSL encoder (${PRETRAIN_STEPS} steps; soft rhythm targets, soft beat targets)`);
// Pretraining uses every record except the LUDB test records (labels are not used here).
const sslRecords: SslRecord[] = [...ptbxl, ...ludbItems.filter((s) => !TEST_IDS.includes(s.id)).map((s) => s.record)].map((r) => sslRecordFrom(r, { fs: FS }));
const model = BeatSslModel.create({ encoder: ENCODER, seed: SEED });
const curve: { loss: number[]; rhythmLoss: number[]; beatLoss: number[] } = { loss: [], rhythmLoss: [], beatLoss: [] };
await pretrainBeatSsl({
  model,
  data: sslRecords,
  steps: PRETRAIN_STEPS,
  batchSize: 8,
  seed: SEED,
  maxBeats: 8,
  onStep: (s) => {
    curve.loss.push(s.loss);
    curve.rhythmLoss.push(s.rhythmLoss);
    curve.beatLoss.push(s.beatLoss);
    progress('pretrain', s.step, s.totalSteps, `loss ${s.loss.toFixed(3)} (${s.recordsPerSec.toFixed(1)} records/s)`);
  },
});
console.log(`  loss ${curve.loss[0].toFixed(3)} → ${curve.loss[curve.loss.length - 1].toFixed(3)}, ${model.countParams().toLocaleString('en')} parameters`);

// ---- 3. segmentation -----------------------------------------------------------------------------
console.log(`\n[${elapsed()}] 3/4 fine-tuning the segmentation head on LUDB ${TRAIN_IDS[0]}–${TRAIN_IDS[TRAIN_IDS.length - 1]} (${FINETUNE_EPOCHS} epochs)`);
// One preprocessing spec for the training examples and for inference (saved with a model as preprocess.json).
const spec = preprocessSpec({ fs: FS }); // 12 canonical leads, 0.5–40 Hz, per-lead z-score
const train = ludbItems.filter((s) => TRAIN_IDS.includes(s.id)).map((s) => segmentationExample(s.record, s.waves, s.span, spec));
const test = ludbItems.filter((s) => TEST_IDS.includes(s.id));
const segmenter = createSegmenter(model.takeEncoder(), { seed: SEED });
model.dispose();
await finetuneSegmenter({
  segmenter,
  train,
  epochs: FINETUNE_EPOCHS,
  batchSize: 6,
  seed: SEED,
  optimizer: { learningRate: 3e-3 },
  onEpoch: (e) => progress('fine-tune', e.epoch, FINETUNE_EPOCHS, `loss ${e.loss.toFixed(3)}`),
});
const ours: SegmentationModel = {
  segmenter,
  preprocessing: spec,
  dispose: () => segmenter.dispose(),
};

// ---- 4. metrics and plots ------------------------------------------------------------------------
console.log(`\n[${elapsed()}] 4/4 scoring on LUDB ${TEST_IDS.join(' and ')} (lead II annotations, 150 ms tolerance)`);
const spans = test.map((s) => s.span);
const reference = test.map((s) => s.waves);
async function score(predict: (s: LudbSample) => Promise<Wave[]> | Wave[]): Promise<{ d: DelineationScore; dice: number[]; waves: Wave[][] }> {
  const waves: Wave[][] = [];
  for (const s of test) waves.push(await predict(s));
  const d = compareDelineation(reference, waves, 500, { spans });
  // Dice pooled over the test records (micro average: a record without P waves does not make it NaN).
  const acc = createDiceAccumulator();
  test.forEach((s, i) => {
    const pred = new Uint8Array(s.mask.length);
    for (const w of waves[i]) pred.fill(w.type === 'P' ? 1 : w.type === 'QRS' ? 2 : 3, Math.max(0, w.onset), Math.min(pred.length, w.offset + 1));
    acc.add(pred, s.mask, s.span);
  });
  const dice = acc.result().perClass.slice(1);
  return { d, dice, waves };
}
const results: [string, Awaited<ReturnType<typeof score>>][] = [];
results.push(['rule-based delineator', await score((s) => delineateBeats(s.record.signals, s.record.fs, detectRPeaks(s.record.signals, s.record.fs)))]);
results.push(['quickstart model', await score(async (s) => (await segmentRecord(s.record, ours)).waves)]);
let shipped: SegmentationModel | null = null;
try {
  shipped = await loadSegmentationModel();
} catch {
  console.log('  (no shipped weights in this build: skipping the pretrained-weights row)');
}
if (shipped) results.push(['shipped weights *', await score(async (s) => (await segmentRecord(s.record, shipped!)).waves)]);

const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '  –  ');
console.log(`\n  ${'model'.padEnd(22)} ${['P on', 'P off', 'QRS on', 'QRS off', 'T on', 'T off'].map((h) => h.padStart(8)).join('')}  ${'mean F1'.padStart(8)}  ${'Dice P/QRS/T'.padStart(18)}`);
for (const [name, { d, dice }] of results) {
  const fid = d.fiducials;
  const cells = [fid.P_onset, fid.P_offset, fid.QRS_onset, fid.QRS_offset, fid.T_onset, fid.T_offset].map((x) => f(x.f1).padStart(8)).join('');
  console.log(`  ${name.padEnd(22)} ${cells}  ${f(d.meanF1).padStart(8)}  ${dice.map((x) => f(x)).join('/').padStart(18)}`);
}
if (shipped) console.log('  * the shipped weights were trained on all LUDB records in ../shared/data (1–160), these two included:\n    an in-sample score. docs/model-card.md and docs/evaluation.md have held-out numbers.');
const qrs = results[1][1].d.fiducials.QRS_onset;
console.log(`  quickstart model QRS onset error: ${qrs.meanErrorMs.toFixed(1)} ± ${qrs.sdErrorMs.toFixed(1)} ms`);

await mkdir(OUT, { recursive: true });
const best = shipped ? results[2][1] : results[1][1];
const shown = test[0];
const ecgSvg = `${OUT}quickstart-ludb${shown.id}-segmented.svg`;
await writeFile(ecgSvg, plotEcg12(shown.record, { layout: '3x4', waves: best.waves[0], rPeaks: detectRPeaks(shown.record.signals, shown.record.fs), title: `LUDB ${shown.id} · P/QRS/T from the ${shipped ? 'shipped' : 'quickstart'} model · R-peaks` }));
const curveSvg = `${OUT}quickstart-pretraining-loss.svg`;
await writeFile(curveSvg, plotTrainingCurve(curve, { title: 'Beat-SSL pretraining', xLabel: 'step', yLabel: 'loss' }));
ours.dispose();
shipped?.dispose();
console.log(`\n[${elapsed()}] done. Outputs:\n  ${ecgSvg}\n  ${curveSvg}\nOpen the SVGs in a browser. Next: examples/README.md, docs/getting-started.md.`);
