import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { readJsonConfig, selectBackend } from './pretrain';

/** `beat-ssl finetune`: classification (PTB-XL) or segmentation (LUDB) fine-tuning. */
export const finetuneCommand: CliCommand = {
  name: 'finetune',
  summary: 'Fine-tune a (pretrained) encoder: --task classify (PTB-XL superclasses) or --task segment (LUDB P/QRS/T).',
  usage: '--task classify|segment --data <dir> [options]',
  options: [
    { name: 'task', type: 'string', description: 'downstream task', choices: ['classify', 'segment'] },
    { name: 'data', type: 'string', description: 'PTB-XL folder (classify) or LUDB folder (segment)' },
    { name: 'pretrained', type: 'string', description: 'saved BeatSslModel folder (e.g. runs/pretrain/model); default: random initialisation' },
    { name: 'config', type: 'string', description: 'JSON file { "model": BeatSslModelConfig, "finetune": options }' },
    { name: 'preset', type: 'string', description: 'encoder preset without --pretrained', default: 'small', choices: ['tiny', 'small', 'base'] },
    { name: 'epochs', type: 'number', description: 'epochs', default: 10 },
    { name: 'batch-size', type: 'number', description: 'records per batch', default: 32 },
    { name: 'lr', type: 'number', description: 'Adam learning rate', default: 0.001 },
    { name: 'label-fraction', type: 'number', description: 'fraction of training labels used (0–1]', default: 1 },
    { name: 'encoder-lr-scale', type: 'number', description: 'encoder learning rate relative to the head (0.1 suits a pretrained encoder; 0 freezes its weights)', default: 1 },
    { name: 'linear-probe', type: 'boolean', description: 'classify: freeze the encoder, train the head only', default: false },
    { name: 'fs', type: 'number', description: 'working sampling rate (Hz)', default: 100 },
    { name: 'train-folds', type: 'string', description: 'classify: PTB-XL strat_folds for training', default: '1,2,3,4,5,6,7,8' },
    { name: 'val-folds', type: 'string', description: 'classify: PTB-XL strat_folds for validation', default: '9' },
    { name: 'val-fraction', type: 'number', description: 'segment: last fraction of LUDB ids used for validation', default: 0.2 },
    { name: 'max-records', type: 'number', description: 'use at most this many training records' },
    { name: 'out', type: 'string', description: 'run folder: best model in <out>/best, history.json', default: 'runs/finetune' },
    { name: 'backend', type: 'string', description: 'tfjs backend', default: 'auto', choices: ['auto', 'tensorflow', 'wasm', 'cpu'] },
    { name: 'seed', type: 'number', description: 'random seed', default: 0 },
  ],
  async run(args, io) {
    const o = args.options;
    const json = Boolean(o.json);
    if (o.task !== 'classify' && o.task !== 'segment') throw new UsageError("'beat-ssl finetune' needs --task classify|segment");
    if (typeof o.data !== 'string') throw new UsageError("'beat-ssl finetune' needs --data <dir>");
    const cfg = await readJsonConfig(o.config as string | undefined);
    const backend = await selectBackend(String(o.backend), io, json);
    const fs = Number(o.fs);
    const { preprocessRecord } = await import('../../data/preprocess');
    const { BeatSslModel } = await import('../../models/beatSslModel');
    const { createEncoder } = await import('../../models/encoder');
    const encoder =
      typeof o.pretrained === 'string'
        ? (await BeatSslModel.load(o.pretrained)).takeEncoder()
        : createEncoder(((cfg.model as { encoder?: object } | undefined)?.encoder as never) ?? { ...(await import('../../models/encoder')).ENCODER_PRESETS[o.preset as 'small'], seed: Number(o.seed) });
    const interleave = (signals: Float32Array[]): Float32Array => {
      const T = signals[0].length;
      const L = signals.length;
      const out = new Float32Array(T * L);
      for (let l = 0; l < L; l++) for (let t = 0; t < T; t++) out[t * L + l] = Number.isFinite(signals[l][t]) ? signals[l][t] : 0;
      return out;
    };
    const ft = (cfg.finetune as Record<string, unknown> | undefined) ?? {};
    const common = {
      ...ft,
      epochs: Number(o.epochs),
      batchSize: Number(o['batch-size']),
      labelFraction: Number(o['label-fraction']),
      optimizer: { learningRate: Number(o.lr) },
      encoderLearningRateScale: Number(o['encoder-lr-scale']),
      seed: Number(o.seed),
      checkpoint: { dir: String(o.out) },
    };
    const t0 = Date.now();
    const folds = (s: unknown) => String(s).split(',').map(Number).filter((n) => Number.isInteger(n));
    if (o.task === 'classify') {
      const { loadPtbxl, PTBXL_SUPERCLASSES } = await import('../../data/ptbxl');
      const { collectDataset } = await import('../../data/dataset');
      const { createClassifier } = await import('../../heads/classification');
      const { finetuneClassifier } = await import('../../train/finetuneClassifier');
      const load = async (f: number[], max?: number) => {
        let ds = await loadPtbxl(o.data as string, { folds: f });
        const n = max !== undefined ? Math.min(max, ds.size) : ds.size;
        const items = await collectDataset(ds.subset(Array.from({ length: n }, (_, i) => i)));
        ds = undefined as never;
        return items.map((s) => ({ signals: interleave(preprocessRecord(s.record, { fs }).signals), labels: s.labels }));
      };
      const max = typeof o['max-records'] === 'number' ? (o['max-records'] as number) : undefined;
      const train = await load(folds(o['train-folds']), max);
      const val = await load(folds(o['val-folds']), max === undefined ? undefined : Math.max(8, Math.round(max / 4)));
      if (!json) io.stderr(`train ${train.length}, val ${val.length} records at ${fs} Hz\n`);
      const clf = createClassifier(encoder, { numClasses: PTBXL_SUPERCLASSES.length, labels: [...PTBXL_SUPERCLASSES], freezeEncoder: Boolean(o['linear-probe']), seed: Number(o.seed) });
      try {
        const res = await finetuneClassifier({
          ...common,
          classifier: clf,
          train,
          val,
          onEpoch: (e) => {
            if (json) io.stdout(JSON.stringify(e) + '\n');
            else io.stdout(`epoch ${e.epoch} loss ${e.loss.toFixed(4)} val loss ${e.valLoss.toFixed(4)} AUROC ${e.valAuroc.toFixed(3)} F1 ${e.valF1.toFixed(3)} ${e.recordsPerSec.toFixed(1)} rec/s\n`);
          },
        });
        if (!json) io.stdout(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s on ${backend}: best epoch ${res.bestEpoch}, val macro AUROC ${res.bestValAuroc.toFixed(3)}; saved to ${o.out}/best\n`);
      } finally {
        clf.dispose();
      }
      return 0;
    }
    const { loadLudb } = await import('../../data/ludb');
    const { collectDataset } = await import('../../data/dataset');
    const { createSegmenter } = await import('../../heads/segmentation');
    const { finetuneSegmenter } = await import('../../train/finetuneSegmenter');
    const items = await collectDataset(await loadLudb(o.data));
    const examples = items.map((s) => {
      const rec = preprocessRecord(s.record, { fs });
      const T = rec.signals[0].length;
      const ratio = s.record.fs / fs;
      const labels = Uint8Array.from({ length: T }, (_, t) => s.mask[Math.min(s.mask.length - 1, Math.round(t * ratio))]);
      const span: [number, number] = [Math.ceil(s.span[0] / ratio), Math.floor(s.span[1] / ratio)];
      return { signals: interleave(rec.signals), labels, span };
    });
    const nVal = Math.max(1, Math.round(examples.length * Number(o['val-fraction'])));
    let train = examples.slice(0, examples.length - nVal);
    if (typeof o['max-records'] === 'number') train = train.slice(0, o['max-records'] as number);
    const val = examples.slice(examples.length - nVal);
    if (!json) io.stderr(`train ${train.length}, val ${val.length} records at ${fs} Hz\n`);
    const seg = createSegmenter(encoder, { seed: Number(o.seed) });
    try {
      const res = await finetuneSegmenter({
        ...common,
        segmenter: seg,
        train,
        val,
        onEpoch: (e) => {
          if (json) io.stdout(JSON.stringify(e) + '\n');
          else io.stdout(`epoch ${e.epoch} loss ${e.loss.toFixed(4)} val Dice P ${e.valDice[1].toFixed(3)} QRS ${e.valDice[2].toFixed(3)} T ${e.valDice[3].toFixed(3)} ${e.recordsPerSec.toFixed(1)} rec/s\n`);
        },
      });
      if (!json) io.stdout(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s on ${backend}: best epoch ${res.bestEpoch}, val mean Dice ${res.bestValMeanDice.toFixed(3)}; saved to ${o.out}/best\n`);
    } finally {
      seg.dispose();
    }
    return 0;
  },
};
