/**
 * Beat-SSL pretraining from a configuration file: data folders, preprocessing, model, every
 * option of the objective, checkpoints (resumable), the saved model and a loss curve.
 *
 *   npx tsx examples/pretrain.ts [config.json] [--resume] [--steps N]
 *
 * Default config: examples/pretrain.config.json (the embedded sample; edit `data.folders` for real
 * data). Interrupt it and run again with `--resume` to continue from the last checkpoint. The saved
 * model (`out`) is what examples/classify-ptbxl.ts takes as `--encoder`.
 * BEAT_SSL_EXAMPLE_QUICK=1 runs 3 steps of the tiny encoder.
 */
import { parseArgs } from 'node:util';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listWfdbRecords, loadSslRecords } from 'beat-ssl/data';
import { BeatSslModel, type BeatSslModelConfig } from 'beat-ssl/models';
import { pretrainBeatSsl, type PretrainOptions } from 'beat-ssl/train';
import { setBackend, type BackendRequest } from 'beat-ssl/backend';
import { plotTrainingCurve } from 'beat-ssl/plot';

interface PretrainConfigFile {
  data: { folders: string[]; fs: number; bandpassHz: [number, number] | null; lengthSec: number; cache?: string };
  model: BeatSslModelConfig;
  pretrain: Omit<PretrainOptions, 'model' | 'data' | 'checkpoint' | 'resume' | 'onStep'>;
  checkpoint?: { dir: string; everySteps?: number };
  backend?: BackendRequest;
  out: string;
}

const QUICK = process.env.BEAT_SSL_EXAMPLE_QUICK === '1';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { resume: { type: 'boolean', default: false }, steps: { type: 'string' } } });
const configPath = resolve(positionals[0] ?? fileURLToPath(new URL('./pretrain.config.json', import.meta.url)));
const config = JSON.parse(await readFile(configPath, 'utf8')) as PretrainConfigFile;
const rel = (p: string) => resolve(dirname(configPath), p);
if (values.steps) config.pretrain.steps = Number(values.steps);
if (QUICK) {
  config.pretrain.steps = 3;
  config.pretrain.batchSize = 8;
  config.model.encoder = 'tiny';
  config.out = 'output/pretrain-model-quick';
  if (config.checkpoint) config.checkpoint.dir = 'output/pretrain-run-quick';
}

const backend = await setBackend(config.backend ?? 'auto');
console.log(`config ${configPath}\nbackend ${backend.name}`);

// Records: every WFDB record in the folders, preprocessed once (cached on disk by content + config).
const paths = (await Promise.all(config.data.folders.map((f) => listWfdbRecords(rel(f))))).flat();
const data = await loadSslRecords(paths, {
  config: { fs: config.data.fs, bandpassHz: config.data.bandpassHz, lengthSamples: Math.round(config.data.lengthSec * config.data.fs) },
  cache: config.data.cache ? rel(config.data.cache) : null,
  onProgress: (done, total) => {
    if (done === total || done % 100 === 0) console.log(`  precomputed ${done}/${total} records (filter, ${config.data.fs} Hz, R-peaks, features)`);
  },
});

const model = BeatSslModel.create(config.model);
console.log(`model: ${model.countParams().toLocaleString('en')} parameters; ${data.length} records; ${config.pretrain.steps} steps of ${config.pretrain.batchSize} records`);
const curve = { loss: [] as number[], rhythmLoss: [] as number[], beatLoss: [] as number[] };
const every = Math.max(1, Math.round((config.pretrain.steps ?? 100) / 20));
const result = await pretrainBeatSsl({
  ...config.pretrain,
  model,
  data,
  checkpoint: config.checkpoint ? { dir: rel(config.checkpoint.dir), everySteps: config.checkpoint.everySteps } : undefined,
  resume: values.resume,
  onStep: (s) => {
    curve.loss.push(s.loss);
    curve.rhythmLoss.push(s.rhythmLoss);
    curve.beatLoss.push(s.beatLoss);
    if (s.step % every === 0 || s.step === s.totalSteps) {
      console.log(`step ${String(s.step).padStart(5)}/${s.totalSteps}  loss ${s.loss.toFixed(4)}  rhythm ${s.rhythmLoss.toFixed(4)}  beat ${s.beatLoss.toFixed(4)}  lr ${s.lr.toExponential(2)}  ${s.recordsPerSec.toFixed(1)} records/s  tensors ${s.numTensors}`);
    }
  },
});
if (result.resumedFrom > 0) console.log(`resumed from step ${result.resumedFrom}`);

const out = rel(config.out);
await model.save(out);
await mkdir(out, { recursive: true });
await writeFile(resolve(out, 'loss.svg'), plotTrainingCurve(curve, { title: `Beat-SSL pretraining (${typeof config.pretrain.objective === 'string' ? config.pretrain.objective : `${config.pretrain.objective?.rhythmTargets ?? 'soft'} rhythm / ${config.pretrain.objective?.beatTargets ?? 'hard'} beat targets`})`, smoothing: curve.loss.length > 50 ? 0.9 : 0 }));
console.log(`saved the model to ${out} (load it with BeatSslModel.load), loss curve ${resolve(out, 'loss.svg')}`);
if (result.checkpointPath) console.log(`last checkpoint ${result.checkpointPath}`);
model.dispose();
