import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import { BACKEND_FLAG, CONFIG_FLAG, FINETUNE_FLAGS, SEED_FLAG, VERBOSE_FLAG, recipeFromFlags } from '../flags';
import { checkInputDir, checkModelKind, checkOutputPath, emit, parseIdList, processMemoryMB, Progress, readRecipeFile } from '../_internal/output';
import { selectBackend } from './pretrain';

/**
 * `--pretrained` as a folder: a path as given, or the name of a pretrained model shipped with the
 * package (`beat-ssl-small-v1`) when no such path exists here.
 */
async function resolvePretrained(value: string): Promise<string> {
  const { existsSync } = await import('node:fs');
  if (existsSync(value)) return value;
  const { SHIPPED_MODELS, shippedModelDir } = await import('../../heads/modelFolder');
  if (Object.hasOwn(SHIPPED_MODELS, value) && SHIPPED_MODELS[value as keyof typeof SHIPPED_MODELS] === 'pretrained') return shippedModelDir(value as keyof typeof SHIPPED_MODELS, 'beat-ssl finetune');
  return value;
}

/** Reports one epoch: a `--json` event, else progress (a bar on a terminal, periodic lines otherwise). */
function epochReporter(io: CliIo, json: boolean, verbose: boolean, epochs: number) {
  const progress = new Progress(io, epochs, { unit: 'epoch', json, verbose });
  return {
    progress,
    report(info: { epoch: number } & Record<string, unknown>, text: string) {
      if (json) emit(io, 'epoch', { ...info, totalEpochs: epochs, ...processMemoryMB() });
      else progress.update(info.epoch, text);
    },
  };
}

/** `beat-ssl finetune`: classification (PTB-XL) or segmentation (LUDB) fine-tuning. */
export const finetuneCommand: CliCommand = {
  name: 'finetune',
  summary: 'Fine-tune a (pretrained) encoder: --task classify (PTB-XL superclasses) or --task segment (LUDB P/QRS/T); writes a model folder every command reads.',
  usage: '--task classify|segment --data <dir> [options]',
  options: [
    { name: 'task', type: 'string', description: 'downstream task', choices: ['classify', 'segment'] },
    { name: 'data', type: 'string', valueName: 'dir', description: 'PTB-XL folder (classify) or LUDB folder (segment)' },
    { name: 'pretrained', type: 'string', valueName: 'dir|name', description: "pretrained model folder (<out>/model of 'beat-ssl pretrain'), or 'beat-ssl-small-v1' for the encoder shipped with the package; default: random initialisation" },
    CONFIG_FLAG,
    { name: 'encoder', type: 'string', choices: ['tiny', 'small', 'base'], default: 'small', description: 'encoder preset without --pretrained' },
    ...FINETUNE_FLAGS,
    { name: 'linear-probe', type: 'boolean', description: 'classify: freeze the encoder, train the head only', default: false },
    { name: 'fs', type: 'number', min: 50, default: 100, description: 'working sampling rate (Hz)' },
    { name: 'train-folds', type: 'string', valueName: 'list', description: 'classify: PTB-XL strat_folds for training', default: '1-8' },
    { name: 'val-folds', type: 'string', valueName: 'list', description: 'classify: PTB-XL strat_folds for validation', default: '9' },
    { name: 'ids', type: 'string', valueName: 'list', description: 'segment: LUDB record ids to use, e.g. 1-160 (default: every record in --data)' },
    { name: 'val-fraction', type: 'number', min: 0, max: 0.9, description: 'segment: last fraction of the ids used for validation (0: none, train on all)', default: 0.2 },
    { name: 'calibrate', type: 'boolean', description: 'segment: store the mean boundary error per fiducial on the training records as the model\'s calibration', default: false },
    { name: 'wave-sources', type: 'string', valueName: 'spec', description: "segment: wave types taken from the rule-based delineator, e.g. P=rules,QRS=rules (default: all from the model)" },
    { name: 'max-records', type: 'number', integer: true, min: 1, description: 'use at most this many training records' },
    { name: 'out', type: 'string', valueName: 'dir', description: 'run folder: the model in <out>/model, history in <out>/history.json', default: 'runs/finetune' },
    BACKEND_FLAG,
    SEED_FLAG,
    VERBOSE_FLAG,
  ],
  epilog: [
    'Examples:',
    '  beat-ssl finetune --task segment --data examples/data/ludb --pretrained runs/pt/model --epochs 5 --out runs/seg',
    '  beat-ssl segment examples/data/ludb/1 --model runs/seg/model',
  ].join('\n'),
  async validate(args) {
    const o = args.options;
    if (o.task !== 'classify' && o.task !== 'segment') throw new UsageError("'beat-ssl finetune' needs --task classify|segment");
    if (typeof o.data !== 'string') throw new UsageError("'beat-ssl finetune' needs --data <dir>");
    if (args.positionals.length) throw new UsageError(`'beat-ssl finetune' takes no positional arguments, but got '${args.positionals[0]}'`);
    await checkInputDir('data', o.data);
    if (typeof o.pretrained === 'string') {
      o.pretrained = await resolvePretrained(o.pretrained);
      await checkInputDir('pretrained', o.pretrained);
      await checkModelKind('pretrained', o.pretrained, 'pretrained');
    }
    await checkOutputPath('out', String(o.out), { kind: 'dir' });
    await readRecipeFile('config', o.config as string | undefined, ['model', 'finetune']);
    if (typeof o.ids === 'string') parseIdList('ids', o.ids);
    parseIdList('train-folds', String(o['train-folds']));
    parseIdList('val-folds', String(o['val-folds']));
    if (typeof o['wave-sources'] === 'string') parseWaveSources(o['wave-sources']);
    recipeFromFlags(FINETUNE_FLAGS, o);
  },
  async run(args, io) {
    const o = args.options;
    const json = Boolean(o.json);
    const verbose = Boolean(o.verbose);
    const base = await readRecipeFile('config', o.config as string | undefined, ['model', 'finetune']);
    const recipe = recipeFromFlags([...FINETUNE_FLAGS, SEED_FLAG], o, { base, given: args.given });
    const backend = await selectBackend(String(o.backend), io);
    let fs = Number(o.fs);
    const path = await import('node:path');
    const out = String(o.out);
    const modelDir = path.join(out, 'model');
    const { classificationExample, segmentationExample } = await import('../../data/examples');
    const { preprocessSpec } = await import('../../signal/preprocess');
    const { createEncoder, ENCODER_PRESETS } = await import('../../models/encoder');
    // A pretrained folder's own preprocessing spec (when it carries one) decides how examples are made.
    let pretrainedSpec: import('../../signal/preprocess').PreprocessSpec | null = null;
    let encoder;
    if (typeof o.pretrained === 'string') {
      const { loadModelFolder } = await import('../../heads/modelFolder');
      const loaded = await loadModelFolder(o.pretrained);
      if (loaded.kind !== 'pretrained') {
        loaded.dispose();
        throw new UsageError(`option --pretrained must be a pretrained model folder, but '${o.pretrained}' holds a ${loaded.kind}`);
      }
      pretrainedSpec = loaded.preprocessing;
      encoder = loaded.model.takeEncoder();
    } else encoder = createEncoder({ ...ENCODER_PRESETS[o.encoder as 'small'], ...((recipe.model.encoder as object | undefined) ?? {}), seed: Number(o.seed) });
    const common = { ...recipe.finetune, seed: Number(recipe.finetune.seed ?? o.seed) } as Record<string, unknown> & { epochs: number; seed: number };
    const t0 = Date.now();
    const { mkdir } = await import('node:fs/promises');
    const { writeFileAtomic } = await import('../../core/atomicWrite');
    // The preprocessing every example is made with (beat-ssl/signal's spec: 12 canonical leads,
    // 0.5–40 Hz, per-lead z-score at --fs); saved in the model folder so that inference matches.
    if (pretrainedSpec && args.given.has('fs') && pretrainedSpec.fs !== fs) {
      encoder.dispose();
      throw new UsageError(`option --fs must be the pretrained model's rate ${pretrainedSpec.fs} Hz (its preprocess.json), but got ${fs}; leave --fs out to use it`);
    }
    if (pretrainedSpec) fs = pretrainedSpec.fs;
    const pre = pretrainedSpec ? preprocessSpec({ ...pretrainedSpec, standardize: 'lead', lengthSamples: null }) : preprocessSpec({ fs });
    if (o.task === 'classify') {
      const { loadPtbxl, PTBXL_SUPERCLASSES } = await import('../../data/ptbxl');
      const { saveClassifierFolder } = await import('../_internal/classifierFolder');
      const { collectDataset } = await import('../../data/dataset');
      const { createClassifier } = await import('../../heads/classification');
      const { finetuneClassifier } = await import('../../train/finetuneClassifier');
      const load = async (f: number[], max?: number) => {
        const ds = await loadPtbxl(o.data as string, { folds: f });
        const n = max !== undefined ? Math.min(max, ds.size) : ds.size;
        const items = await collectDataset(ds.subset(Array.from({ length: n }, (_, i) => i)));
        return items.map((s) => classificationExample(s.record, s.labels, pre));
      };
      const max = typeof o['max-records'] === 'number' ? (o['max-records'] as number) : undefined;
      const train = await load(parseIdList('train-folds', String(o['train-folds'])), max);
      const val = await load(parseIdList('val-folds', String(o['val-folds'])), max === undefined ? undefined : Math.max(8, Math.round(max / 4)));
      if (!json) io.stderr(`train ${train.length}, val ${val.length} records at ${fs} Hz\n`);
      const clf = createClassifier(encoder, { numClasses: PTBXL_SUPERCLASSES.length, labels: [...PTBXL_SUPERCLASSES], freezeEncoder: Boolean(o['linear-probe']), seed: common.seed });
      const rep = epochReporter(io, json, verbose, common.epochs);
      try {
        const res = await finetuneClassifier({
          ...common,
          classifier: clf,
          train,
          val,
          onEpoch: (e) => rep.report({ ...e }, `loss ${e.loss.toFixed(4)} val loss ${e.valLoss.toFixed(4)} AUROC ${e.valAuroc.toFixed(3)} F1 ${e.valF1.toFixed(3)}`),
        } as Parameters<typeof finetuneClassifier>[0]);
        rep.progress.finish();
        await mkdir(out, { recursive: true });
        await saveClassifierFolder(modelDir, clf, pre);
        await writeFileAtomic(path.join(out, 'history.json'), JSON.stringify({ bestEpoch: res.bestEpoch, history: res.history }, null, 1), { fn: 'beat-ssl finetune' });
        const seconds = (Date.now() - t0) / 1000;
        if (json) emit(io, 'done', { task: 'classify', bestEpoch: res.bestEpoch, bestValAuroc: res.bestValAuroc, seconds, backend, outputs: { model: modelDir, history: path.join(out, 'history.json') } });
        else io.stdout(`done in ${seconds.toFixed(1)} s on ${backend}: best epoch ${res.bestEpoch}, val macro AUROC ${res.bestValAuroc.toFixed(3)}; model saved to ${modelDir}\n`);
      } finally {
        clf.dispose();
      }
      return 0;
    }
    const { loadLudb } = await import('../../data/ludb');
    const { collectDataset } = await import('../../data/dataset');
    const { createSegmenter } = await import('../../heads/segmentation');
    const { finetuneSegmenter } = await import('../../train/finetuneSegmenter');
    const { saveSegmentationModel } = await import('../../heads/segmentationModel');
    const post = { mergeGapSec: 0.04, minDurationSec: { P: 0.04, QRS: 0.04, T: 0.08 } };
    const items = await collectDataset(await loadLudb(o.data as string, { lead: 'ii', ...(typeof o.ids === 'string' ? { ids: parseIdList('ids', o.ids) } : {}) }));
    const examples = items.map((s) => segmentationExample(s.record, s.waves, s.span, pre));
    const nVal = Math.round(examples.length * Number(o['val-fraction']));
    let train = examples.slice(0, examples.length - nVal);
    if (typeof o['max-records'] === 'number') train = train.slice(0, o['max-records'] as number);
    const val = nVal > 0 ? examples.slice(examples.length - nVal) : undefined;
    if (!json) io.stderr(`train ${train.length}, val ${val?.length ?? 0} records at ${fs} Hz\n`);
    const seg = createSegmenter(encoder, { seed: common.seed });
    const rep = epochReporter(io, json, verbose, common.epochs);
    try {
      const res = await finetuneSegmenter({
        ...common,
        segmenter: seg,
        train,
        ...(val ? { val } : {}),
        onEpoch: (e) => rep.report({ ...e }, `loss ${e.loss.toFixed(4)}${val ? ` val Dice P ${e.valDice[1].toFixed(3)} QRS ${e.valDice[2].toFixed(3)} T ${e.valDice[3].toFixed(3)}` : ''}`),
      } as Parameters<typeof finetuneSegmenter>[0]);
      rep.progress.finish();
      const waveSources = typeof o['wave-sources'] === 'string' ? parseWaveSources(o['wave-sources']) : undefined;
      let calibrationMs: Record<'P' | 'QRS' | 'T', [number, number]> | undefined;
      if (o.calibrate) {
        // Boundary calibration: the mean timing error per fiducial on the training records, through segmentRecord.
        const { segmentRecord } = await import('../../analysis/segmentRecord');
        const { scoreSegmentation } = await import('../../metrics/segmentation');
        const model = { segmenter: seg, preprocessing: pre, postprocessing: post, dispose: () => undefined };
        const trainItems = items.slice(0, train.length);
        const recs = [];
        for (const s of trainItems) recs.push({ reference: s.waves, predicted: (await segmentRecord(s.record, model)).waves, span: s.span, length: s.record.signals[0].length });
        const f = scoreSegmentation(recs, trainItems[0].record.fs).delineation.fiducials;
        const r = (v: number) => Math.round(v * 10) / 10;
        calibrationMs = { P: [r(f.P_onset.meanErrorMs), r(f.P_offset.meanErrorMs)], QRS: [r(f.QRS_onset.meanErrorMs), r(f.QRS_offset.meanErrorMs)], T: [r(f.T_onset.meanErrorMs), r(f.T_offset.meanErrorMs)] };
        if (!json) io.stderr(`calibration (ms, mean boundary error on the training records): ${JSON.stringify(calibrationMs)}\n`);
      }
      await mkdir(out, { recursive: true });
      await saveSegmentationModel(modelDir, seg, pre, post, calibrationMs, waveSources);
      await writeFileAtomic(path.join(out, 'history.json'), JSON.stringify({ bestEpoch: res.bestEpoch, history: res.history }, null, 1), { fn: 'beat-ssl finetune' });
      const seconds = (Date.now() - t0) / 1000;
      if (json) emit(io, 'done', { task: 'segment', bestEpoch: res.bestEpoch, bestValMeanDice: res.bestValMeanDice, seconds, backend, outputs: { model: modelDir, history: path.join(out, 'history.json') } });
      else io.stdout(`done in ${seconds.toFixed(1)} s on ${backend}: ${val ? `best epoch ${res.bestEpoch}, val mean Dice ${res.bestValMeanDice.toFixed(3)}` : `${res.history.length} epochs`}; model saved to ${modelDir}\n`);
    } finally {
      seg.dispose();
    }
    return 0;
  },
};

/** `P=rules,QRS=rules` → `{ P: 'rules', QRS: 'rules' }`; `none` → undefined. */
export function parseWaveSources(raw: string): Partial<Record<'P' | 'QRS' | 'T', 'model' | 'rules'>> | undefined {
  if (raw === 'none') return undefined;
  const out: Partial<Record<'P' | 'QRS' | 'T', 'model' | 'rules'>> = {};
  for (const part of raw.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (!['P', 'QRS', 'T'].includes(k) || !['model', 'rules'].includes(v)) throw new UsageError(`option --wave-sources must be a list like P=rules,QRS=rules (types P, QRS, T; sources model, rules) or none, but got '${raw}'`);
    out[k as 'P'] = v as 'rules';
  }
  return out;
}
