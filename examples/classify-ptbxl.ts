/**
 * PTB-XL superdiagnostic classification (NORM, MI, STTC, CD, HYP): encoder + classification head,
 * fine-tuned with BCE on folds 1–8 and validated on fold 9 (the protocol of the evaluation guide).
 *
 *   npx tsx examples/classify-ptbxl.ts [ptbxl-folder] [--encoder runs/pretrain/model] [--epochs N] [--label-fraction F] [--linear-probe]
 *
 * Default folder: the 24 PTB-XL records embedded in examples/data (almost all NORM, so the scores
 * there only show that the pipeline runs). Point it at a full PTB-XL folder for real numbers, and at
 * a model saved by examples/pretrain.ts (`--encoder`) to start from a Beat-SSL-pretrained encoder.
 * BEAT_SSL_EXAMPLE_QUICK=1 trains 2 epochs.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { classificationExample, loadPtbxl, PTBXL_SUPERCLASSES, type ClassificationExample, type PtbxlSample } from 'beat-ssl/data';
import { preprocessSpec } from 'beat-ssl/signal';
import { BeatSslModel, createEncoder } from 'beat-ssl/models';
import { createClassifier } from 'beat-ssl/heads';
import { evaluateClassifier, finetuneClassifier } from 'beat-ssl/train';
import { auroc, f1Score } from 'beat-ssl/metrics';
import { setBackend } from 'beat-ssl/backend';

const QUICK = process.env.BEAT_SSL_EXAMPLE_QUICK === '1';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    encoder: { type: 'string' },
    epochs: { type: 'string', default: QUICK ? '2' : '15' },
    'label-fraction': { type: 'string', default: '1' },
    'linear-probe': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
  },
});
const dir = positionals[0] ?? fileURLToPath(new URL('./data/ptbxl', import.meta.url));
const epochs = Number(values.epochs);
const seed = Number(values.seed);
const FS = 100;

const backend = await setBackend('auto');
console.log(`PTB-XL from ${dir} — backend ${backend.name}`);
const data = await loadPtbxl(dir);
const samples: PtbxlSample[] = [];
for (let i = 0; i < data.size; i++) samples.push(await data.get(i));
// The model's preprocessing: 12 canonical leads, 0.5–40 Hz, per-lead z-score, 10 s at 100 Hz.
const spec = preprocessSpec({ fs: FS, lengthSamples: 10 * FS });
const toExample = (s: PtbxlSample): ClassificationExample => classificationExample(s.record, s.labels, spec);
const train = samples.filter((s) => s.fold <= 8).map(toExample);
const valSamples = samples.filter((s) => s.fold === 9);
const val = valSamples.map(toExample);
const counts = PTBXL_SUPERCLASSES.map((c, k) => `${c} ${samples.filter((s) => s.labels[k] > 0).length}`).join(', ');
console.log(`${samples.length} labelled records (${counts}); train folds 1–8: ${train.length}, validation fold 9: ${val.length}`);

async function makeEncoder() {
  if (!values.encoder) return createEncoder('tiny');
  const pretrained = await BeatSslModel.load(values.encoder); // saved by examples/pretrain.ts
  const enc = pretrained.takeEncoder();
  pretrained.dispose(); // the projectors are not needed downstream
  return enc;
}
const classifier = createClassifier(await makeEncoder(), { numClasses: PTBXL_SUPERCLASSES.length, labels: [...PTBXL_SUPERCLASSES], freezeEncoder: values['linear-probe'], seed });
console.log(`encoder: ${values.encoder ? `pretrained (${values.encoder})` : 'random initialisation (tiny preset)'}, ${values['linear-probe'] ? 'linear probe' : 'full fine-tuning'}, ${epochs} epochs`);

const result = await finetuneClassifier({
  classifier,
  train,
  val: val.length ? val : undefined,
  epochs,
  batchSize: 16,
  labelFraction: Number(values['label-fraction']),
  seed,
  onEpoch: (e) => console.log(`  epoch ${String(e.epoch).padStart(2)}  loss ${e.loss.toFixed(4)}  val AUROC ${Number.isFinite(e.valAuroc) ? e.valAuroc.toFixed(3) : '–'}  val F1 ${Number.isFinite(e.valF1) ? e.valF1.toFixed(3) : '–'}  (${e.recordsPerSec.toFixed(1)} records/s)`),
});
console.log(`best epoch ${result.bestEpoch} of ${epochs} (trained on ${result.trainRecords} records)`);

if (val.length) {
  const ev = evaluateClassifier(classifier, val);
  console.log('\nvalidation (fold 9), per class:');
  console.log(`  ${'class'.padEnd(6)} ${'positives'.padStart(9)} ${'AUROC'.padStart(7)} ${'F1@0.5'.padStart(7)}`);
  PTBXL_SUPERCLASSES.forEach((c, k) => {
    const scores = ev.probabilities.map((p) => p[k]);
    const labels = val.map((v) => v.labels[k]);
    const pos = labels.filter((l) => l > 0).length;
    const a = pos > 0 && pos < labels.length ? auroc(scores, labels) : NaN;
    const f = f1Score(scores, labels, 0.5).f1;
    console.log(`  ${c.padEnd(6)} ${String(pos).padStart(9)} ${(Number.isFinite(a) ? a.toFixed(3) : '–').padStart(7)} ${(Number.isFinite(f) ? f.toFixed(3) : '–').padStart(7)}`);
  });
  console.log(`  macro AUROC ${Number.isFinite(ev.auroc) ? ev.auroc.toFixed(3) : '–'} (classes without positives are skipped), macro F1 ${Number.isFinite(ev.f1) ? ev.f1.toFixed(3) : '–'}`);
}
classifier.dispose();
