/**
 * beat-ssl quickstart (`npm start`): the whole pipeline on the sample embedded in examples/data.
 *
 *   1. read WFDB records (LUDB 1–8 at 500 Hz, 24 PTB-XL records at 100 Hz) and detect R-peaks;
 *   2. a short Beat-SSL pretraining on the sample (independent 8-s crops per view, 3KG in mV,
 *      calibrated soft rhythm targets, heartbeat-level loss on beats matched across views), showing
 *      that it learns: KL to the targets falls and top-1 retrieval of the other view rises;
 *   3. fine-tune a P/QRS/T segmentation head on LUDB 1–6 from the Beat-SSL encoder shipped with the
 *      package (`weights/beat-ssl-small-v1`, pretrained 1,000 steps on PTB-XL + LUDB 1–120), and from
 *      a random initialisation with the same budget;
 *   4. score both on LUDB 7–8 beside the rule-based delineator and the shipped segmentation model,
 *      and write SVGs (segmented 12-lead ECG, the pretraining's learning signal) to examples/output/.
 *
 * Finishes in about 2 minutes on the tensorflow backend (2 CPU cores; longer on wasm). BEAT_SSL_EXAMPLE_QUICK=1 runs a 1-minute smoke version
 * (used by the tests). Scores on two records show the pipeline, not the method's accuracy: see
 * docs/evaluation.md for that (the shipped encoder's pretraining saw LUDB 1–120's signals, these two
 * included, without labels).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRecord } from 'beat-ssl/io';
import { detectRPeaks, delineateBeats } from 'beat-ssl/beats';
import { loadLudb, segmentationExample, sslRecordFrom, type LudbSample, type SslRecord } from 'beat-ssl/data';
import { preprocessSpec } from 'beat-ssl/signal';
import { BeatSslModel } from 'beat-ssl/models';
import { createEncoder } from 'beat-ssl/models';
import { createSegmenter, loadPretrainedEncoder, loadSegmentationModel, type SegmentationModel } from 'beat-ssl/heads';
import { segmentRecord } from 'beat-ssl/analysis';
import { finetuneSegmenter, pretrainBeatSsl } from 'beat-ssl/train';
import { compareDelineation, createDiceAccumulator, type DelineationScore } from 'beat-ssl/metrics';
import { setBackend } from 'beat-ssl/backend';
import { plotEcg12, plotTrainingCurve } from 'beat-ssl/plot';
import type { Wave } from 'beat-ssl/core';

const QUICK = process.env.BEAT_SSL_EXAMPLE_QUICK === '1';
const FS = 100; // working rate (Hz) of the models
const PRETRAIN_STEPS = QUICK ? 3 : 60;
const FINETUNE_EPOCHS = QUICK ? 2 : 300; // 300 Adam steps of the 6 records, as in eval/few-label.ts
const ENCODER = QUICK ? 'tiny' : 'small'; // of the short pretraining demo (fine-tuning uses the shipped `small` encoder)
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
console.log(`\n[${elapsed()}] 2/4 a short Beat-SSL pretraining of a '${ENCODER}' encoder on the sample (${PRETRAIN_STEPS} steps of 8 records × 2 views)`);
// Pretraining uses every record except the LUDB test records (labels are not used here).
const sslRecords: SslRecord[] = [...ptbxl, ...ludbItems.filter((s) => !TEST_IDS.includes(s.id)).map((s) => s.record)].map((r) => sslRecordFrom(r, { fs: FS }));
const model = BeatSslModel.create({ encoder: ENCODER, seed: SEED });
// The learning signal, not only the loss: KL to the targets and top-1 retrieval of the other view.
const signal: Record<string, number[]> = { 'rhythm KL': [], 'beat KL': [] };
const retrieval: Record<string, number[]> = { 'rhythm top-1': [], 'beat top-1': [] };
await pretrainBeatSsl({
  model,
  data: sslRecords,
  steps: PRETRAIN_STEPS,
  batchSize: 8,
  seed: SEED,
  maxBeats: 8,
  lrSchedule: { type: 'cosine' },
  onStep: (s) => {
    signal['rhythm KL'].push(s.rhythm!.kl);
    signal['beat KL'].push(s.beat?.kl ?? NaN);
    retrieval['rhythm top-1'].push(s.rhythm!.top1);
    retrieval['beat top-1'].push(s.beat?.top1 ?? NaN);
    progress('pretrain', s.step, s.totalSteps, `rhythm KL ${s.rhythm!.kl.toFixed(2)} top-1 ${s.rhythm!.top1.toFixed(2)} | beat KL ${(s.beat?.kl ?? NaN).toFixed(2)} top-1 ${(s.beat?.top1 ?? NaN).toFixed(2)}`);
  },
});
model.dispose();
const ends = (xs: number[]) => {
  const k = Math.max(1, Math.round(xs.length / 5)); // first and last fifth of the run
  const mean = (a: number[]) => a.reduce((t, v) => t + v, 0) / a.length;
  return `${mean(xs.slice(0, k)).toFixed(2)} → ${mean(xs.slice(-k)).toFixed(2)}`;
};
console.log(`  rhythm: KL ${ends(signal['rhythm KL'])}, top-1 retrieval ${ends(retrieval['rhythm top-1'])}; beat: KL ${ends(signal['beat KL'])}, top-1 ${ends(retrieval['beat top-1'])}`);

// ---- 3. segmentation -----------------------------------------------------------------------------
console.log(`\n[${elapsed()}] 3/4 fine-tuning a segmentation head on LUDB ${TRAIN_IDS[0]}–${TRAIN_IDS[TRAIN_IDS.length - 1]} (${FINETUNE_EPOCHS} epochs): from the shipped Beat-SSL encoder, and from a random one`);
// The shipped encoder comes with the preprocessing its pretraining data had; examples follow it.
const pretrained = await loadPretrainedEncoder();
const spec = preprocessSpec({ ...pretrained.preprocessing, standardize: 'lead' }); // 12 canonical leads, 0.5–40 Hz, 100 Hz, per-lead z-score
const train = ludbItems.filter((s) => TRAIN_IDS.includes(s.id)).map((s) => segmentationExample(s.record, s.waves, s.span, spec));
const test = ludbItems.filter((s) => TEST_IDS.includes(s.id));
async function finetuneFrom(encoder: Awaited<ReturnType<typeof loadPretrainedEncoder>>['encoder'], encoderLearningRateScale: number, label: string): Promise<SegmentationModel> {
  const segmenter = createSegmenter(encoder, { seed: SEED });
  await finetuneSegmenter({
    segmenter,
    train,
    epochs: FINETUNE_EPOCHS,
    batchSize: 6,
    seed: SEED,
    optimizer: { learningRate: 1e-3 }, // the recipe of eval/few-label.ts (not tuned on these records)
    windowSamples: 512,
    encoderLearningRateScale, // a pretrained encoder is kept close to where pretraining left it
    onEpoch: (e) => progress(label, e.epoch, FINETUNE_EPOCHS, `loss ${e.loss.toFixed(3)}`),
  });
  return { segmenter, preprocessing: spec, dispose: () => segmenter.dispose() };
}
const fromPretrained = await finetuneFrom(pretrained.encoder, 0.1, 'Beat-SSL ');
const fromRandom = await finetuneFrom(createEncoder({ ...pretrained.encoder.config, seed: SEED }), 1, 'random   ');

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
results.push(['random init', await score(async (s) => (await segmentRecord(s.record, fromRandom)).waves)]);
results.push(['Beat-SSL pretrained', await score(async (s) => (await segmentRecord(s.record, fromPretrained)).waves)]);
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
const qrs = results[2][1].d.fiducials.QRS_onset;
console.log(`  Beat-SSL pretrained QRS onset error: ${qrs.meanErrorMs.toFixed(1)} ± ${qrs.sdErrorMs.toFixed(1)} ms`);

await mkdir(OUT, { recursive: true });
const best = results[2][1];
const shown = test[0];
const ecgSvg = `${OUT}quickstart-ludb${shown.id}-segmented.svg`;
await writeFile(ecgSvg, plotEcg12(shown.record, { layout: '3x4', waves: best.waves[0], rPeaks: detectRPeaks(shown.record.signals, shown.record.fs), title: `LUDB ${shown.id} · P/QRS/T from the model fine-tuned from the shipped Beat-SSL encoder · R-peaks` }));
const curveSvg = `${OUT}quickstart-pretraining-kl.svg`;
await writeFile(curveSvg, plotTrainingCurve(signal, { title: 'Beat-SSL pretraining: KL(targets ‖ predictions)', xLabel: 'step', yLabel: 'KL (nats)', smoothing: 0.6 }));
const top1Svg = `${OUT}quickstart-pretraining-top1.svg`;
await writeFile(top1Svg, plotTrainingCurve(retrieval, { title: 'Beat-SSL pretraining: top-1 retrieval of the other view', xLabel: 'step', yLabel: 'top-1', smoothing: 0.6 }));
fromPretrained.dispose();
fromRandom.dispose();
shipped?.dispose();
console.log(`\n[${elapsed()}] done. Outputs:\n  ${ecgSvg}\n  ${curveSvg}\n  ${top1Svg}\nOpen the SVGs in a browser. Next: examples/README.md, docs/getting-started.md.`);
