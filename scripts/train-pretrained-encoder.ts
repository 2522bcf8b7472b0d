/**
 * Produces the pretrained encoder shipped in `weights/beat-ssl-small-v1`: the eval pretraining of the
 * library's default Beat-SSL objective (`eval/_pretrain.ts`: PTB-XL folds 1–8 + LUDB 1–120 from
 * ../shared/data, 100 Hz, `small` encoder, 1,000 steps of 32 records, Adam 1e-3 cosine, seed 0) — the
 * same run the few-label evaluation scores (eval/few-label.ts, method `beat-ssl`, pretraining seed 0),
 * reused from its cache when present — saved as a model folder (`saveModelFolder`: weights, config,
 * preprocess.json) with its README (model card summary) and training.json (recipe, learning signal).
 *
 *   npx tsx scripts/train-pretrained-encoder.ts [--pretrain-method beat-ssl] [--pretrain-seed 0] [--out weights/beat-ssl-small-v1]
 *   npx tsx scripts/train-pretrained-encoder.ts --pretrained-dir <eval/results/pretrained/KEY of another checkout> --commit <sha>
 *
 * The second form ships an already pretrained folder of `pretrainedModelDir` (its `model/` and
 * `done.json`), e.g. exactly the encoder a finished evaluation scored; `--commit` records the code it
 * was pretrained with.
 */
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { setBackend } from '../src/backend/setBackend';
import { BeatSslModel } from '../src/models/beatSslModel';
import { saveModelFolder } from '../src/heads/modelFolder';
import { parseEvalArgs, REPO_ROOT } from '../eval/_lib';
import { pretrainedDirFor, pretrainSpecFromFlags, readPretrainDone, type SignalPoint } from '../eval/_pretrain';

const args = parseEvalArgs(process.argv.slice(2), {
  script: 'train-pretrained-encoder.ts',
  options: [{ name: 'commit', type: 'string', valueName: 'sha', description: 'the commit the --pretrained-dir folder was pretrained with (recorded in training.json)' }],
});
const out = args.out ?? resolve(REPO_ROOT, 'weights/beat-ssl-small-v1');
const log = (s: string) => console.error(s);

const be = await setBackend(args.backend as 'auto');
const spec = pretrainSpecFromFlags(args.flags);
log(`backend ${be.name}; pretraining spec ${JSON.stringify(spec)}`);
const dir = await pretrainedDirFor(args.flags, spec, log);
const done = readPretrainDone(dir);
const model = await BeatSslModel.load(resolve(dir, 'model'));

/** Mean of a signal field over the first / last 10 % of the logged steps. */
function ends(h: SignalPoint[], k: keyof SignalPoint): [number, number] | null {
  const v = h.map((p) => p[k]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return null;
  const m = Math.max(1, Math.round(v.length / 10));
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  return [mean(v.slice(0, m)), mean(v.slice(-m))];
}
const signal = {
  rhythmKl: ends(done.history, 'rhythmKl'),
  rhythmTop1: ends(done.history, 'rhythmTop1'),
  rhythmExponent: ends(done.history, 'rhythmExponent'),
  beatKl: ends(done.history, 'beatKl'),
  beatTop1: ends(done.history, 'beatTop1'),
};
const training = {
  format: 'beat-ssl-training@1',
  produced: 'npx tsx scripts/train-pretrained-encoder.ts ' + process.argv.slice(2).join(' '),
  pretrainingKey: done.key,
  pretrainedWithCommit: typeof args.flags.commit === 'string' ? args.flags.commit : 'this checkout',
  spec: done.spec,
  data: 'PTB-XL 100 Hz folds 1–8 (ecg_id 1–1999 subset in ../shared/data, labels unused, 1,499 records) + LUDB 1–120 (signals only); 10-s records, 8-s views',
  backend: done.backend,
  seconds: done.seconds,
  learningSignal: { note: 'mean over the first / last 10 % of logged steps (batch of 32 records)', ...signal },
  history: done.history,
};
const fmt = (p: [number, number] | null, d = 2) => (p ? `${p[0].toFixed(d)} → ${p[1].toFixed(d)}` : '—');
const readme = `# beat-ssl-small-v1

The Beat-SSL-pretrained \`small\` encoder (0.24 M parameters) shipped with beat-ssl, with its rhythm and
beat projectors, to fine-tune for your own task: \`loadPretrainedEncoder()\` of \`beat-ssl/heads\` (API),
\`beat-ssl finetune --pretrained beat-ssl-small-v1\` (CLI). A model folder of kind \`pretrained\`:
\`beat-ssl.json\` + \`encoder/\`, \`projectorRhythm/\`, \`projectorBeat/\` (TF.js layers format: plain Keras
models) and \`preprocess.json\` (12 canonical leads, 0.5–40 Hz band-pass, 100 Hz, per-lead
z-score — prepare fine-tuning inputs the same way).

Pretraining (\`training.json\` has every setting and the per-step learning signal): the library's default
objective (calibrated soft rhythm targets, positive share 0.5; hard beat targets on beats pooled from the
stride-4 stage, matched across two independently cropped 8-s views; 3KG in mV, views standardised per
lead afterwards; τ = 0.1, λ = 1), ${done.spec.steps} steps of ${done.spec.batchSize} records, Adam ${done.spec.lr} with a
${done.spec.lrSchedule} schedule, seed ${done.spec.seed}, on the ${done.backend} backend in ${(done.seconds / 60).toFixed(0)} min (2 CPU cores).
Data: PTB-XL 100 Hz folds 1–8 (the 1,499 records of ecg_id 1–1999 in the project's data) and LUDB
1–120, signals only — no record that beat-ssl's evaluations score (PTB-XL folds 9–10, LUDB 121–200).
Learning signal (first → last 10 % of steps): rhythm KL ${fmt(signal.rhythmKl)} nats, top-1 view
retrieval ${fmt(signal.rhythmTop1)} (batch of 32, γ ≈ ${signal.rhythmExponent ? signal.rhythmExponent[1].toFixed(1) : '—'}); beat KL ${fmt(signal.beatKl)}, top-1 ${fmt(signal.beatTop1)}.

What it is worth downstream, with the commands that measured it: docs/model-card.md and
docs/evaluation.md in the repository. MIT license; pretrained on PTB-XL (CC BY 4.0) and LUDB (ODC-By 1.0)
signals — attribution in NOTICE.md.
`;
await saveModelFolder(out, model, { preprocessing: { fs: 100, standardize: 'lead' }, files: { 'README.md': readme, 'training.json': JSON.stringify(training, null, 1) } });
model.dispose();
log(`wrote ${out} (${JSON.parse(readFileSync(resolve(out, 'beat-ssl.json'), 'utf8')).format})`);
