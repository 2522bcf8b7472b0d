/**
 * The shared flag set of the `beat-ssl` CLI and the `eval/` scripts: every training and runtime
 * flag is declared here once — name, type, range, help text and the library option it sets — and
 * commands pick the groups they need. Adding a pretraining option to the CLI and to the evals is
 * one entry in {@link PRETRAIN_FLAGS}.
 *
 * Flags without a `default` are passed to the library only when given, so the library's own
 * default applies otherwise (documented on the option).
 * @module
 */
import { UsageError, type CliOption } from './command';
import type { BackendRequest } from '../backend/setBackend';
import type { EncoderPreset } from '../models/encoder';
import type { BeatSslObjectiveOptions, BeatSslPreset, BeatTargets, RhythmTargets } from '../losses/beatSsl';

/** A flag of the shared set: a {@link CliOption} plus the library option(s) it sets. */
export interface SharedFlag extends CliOption {
  /**
   * Dotted path(s) of the option this flag sets in a run recipe `{ model, pretrain, finetune }`,
   * e.g. `'pretrain.exponent'` or `'pretrain.optimizer.learningRate'`.
   */
  key?: string | readonly string[];
}

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendRequest[];
const ENCODERS = ['tiny', 'small', 'base'] as const satisfies readonly EncoderPreset[];
const RHYTHM_TARGETS = ['hard', 'soft', 'patient'] as const satisfies readonly RhythmTargets[];
const BEAT_TARGETS = ['none', 'hard', 'hardClass', 'soft'] as const satisfies readonly BeatTargets[];
const OBJECTIVE_PRESETS = ['default', 'paperExp1', 'paperExp50', 'simclr3kg', 'hardHard'] as const satisfies readonly BeatSslPreset[];

/** `--backend`: the tfjs backend (`setBackend`). */
export const BACKEND_FLAG: SharedFlag = { name: 'backend', type: 'string', choices: BACKENDS, default: 'auto', description: "tfjs backend ('auto' picks the fastest that loads)" };
/** `--seed`: seed of everything random in a run. */
export const SEED_FLAG: SharedFlag = { name: 'seed', type: 'number', integer: true, min: 0, default: 0, key: ['model.seed', 'pretrain.seed', 'finetune.seed'], description: 'seed of every random choice (initialisation, batches, augmentation)' };
/** `--fail-fast`: the batch policy's switch. */
export const FAIL_FAST_FLAG: SharedFlag = { name: 'fail-fast', type: 'boolean', default: false, description: 'stop at the first bad record (default: report it on stderr, go on, exit 1 at the end)' };
/** `--verbose`: one progress line per step/epoch. */
export const VERBOSE_FLAG: SharedFlag = { name: 'verbose', type: 'boolean', default: false, description: 'print every step/epoch (default: a progress bar on a terminal, else a line every 10% or 30 s)' };
/** `--config`: a JSON recipe file, overridden by flags. */
export const CONFIG_FLAG: SharedFlag = { name: 'config', type: 'string', valueName: 'file.json', description: 'JSON recipe { "model": {...}, "pretrain": {...}, "finetune": {...} }; flags given on the command line override it' };

/**
 * Pretraining flags (`beat-ssl pretrain`; `--pretrain-<name>` in the eval scripts). Each sets one
 * field of `BeatSslModelConfig` (`model.*`), `PretrainOptions` (`pretrain.*`) or its objective
 * (`pretrain.objective.*`, on top of the `--objective` preset; see {@link resolveObjective}).
 */
export const PRETRAIN_FLAGS: readonly SharedFlag[] = [
  { name: 'encoder', type: 'string', choices: ENCODERS, default: 'small', key: 'model.encoder', description: 'encoder preset' },
  { name: 'beat-stage', type: 'number', integer: true, min: 0, key: 'model.beatStage', description: 'encoder stage whose frames the beat pooling averages (0 = stem); library default: the stride-4 stage' },
  { name: 'steps', type: 'number', integer: true, min: 1, default: 1000, key: 'pretrain.steps', description: 'total optimisation steps (including those before a --resume)' },
  { name: 'batch-size', type: 'number', integer: true, min: 2, default: 32, key: 'pretrain.batchSize', description: 'records per batch (each gives two views)' },
  { name: 'lr', type: 'number', min: 0, minExclusive: true, default: 0.001, key: 'pretrain.optimizer.learningRate', description: 'Adam learning rate' },
  { name: 'lr-schedule', type: 'string', choices: ['constant', 'cosine'], key: 'pretrain.lrSchedule.type', description: "learning-rate schedule; library default 'constant'" },
  { name: 'objective', type: 'string', choices: OBJECTIVE_PRESETS, key: 'pretrain.objectivePreset', description: "objective preset of beat-ssl/losses (BEAT_SSL_PRESETS), refined by the flags below; library default 'default' (calibrated soft rhythm + hard beat targets)" },
  { name: 'rhythm-targets', type: 'string', choices: RHYTHM_TARGETS, key: 'pretrain.objective.rhythmTargets', description: 'rhythm-level targets: hard (NT-Xent), soft (record-feature similarity), patient (multi-positive)' },
  { name: 'beat-targets', type: 'string', choices: BEAT_TARGETS, key: 'pretrain.objective.beatTargets', description: 'beat-level targets (none = rhythm loss only)' },
  { name: 'exponent', type: 'number', min: 0, minExclusive: true, keywords: ['calibrated'], key: 'pretrain.objective.exponent', description: "sharpness γ of the soft targets (the paper's 1 or 50), or 'calibrated' (set per batch from --positive-share)" },
  { name: 'positive-share', type: 'number', min: 0, minExclusive: true, max: 0.999, key: 'pretrain.objective.positiveShare', description: "share of the other view in each row's target mass when --exponent is calibrated; library default 0.5" },
  { name: 'beat-exponent', type: 'number', min: 0, minExclusive: true, keywords: ['calibrated'], key: 'pretrain.objective.beatExponent', description: 'sharpness of soft beat targets; library default: --exponent' },
  { name: 'temperature', type: 'number', min: 0, minExclusive: true, key: 'pretrain.objective.temperature', description: 'temperature τ of the contrastive losses; library default 0.1' },
  { name: 'lambda-beat', type: 'number', min: 0, key: 'pretrain.objective.lambdaBeat', description: 'weight λ of the beat loss; library default 1' },
  { name: 'similarity', type: 'string', choices: ['cosine', 'gaussian'], key: 'pretrain.objective.similarity', description: "similarity of soft targets (gaussian needs --sigma); library default 'cosine'" },
  { name: 'sigma', type: 'number', min: 0, minExclusive: true, key: 'pretrain.objective.sigma', description: "kernel width σ of the gaussian similarity (z-scored feature units)" },
  { name: 'normalization', type: 'string', choices: ['row', 'weighted', 'sigmoid'], key: 'pretrain.objective.normalization', description: "how soft targets enter the loss; library default 'row'" },
  { name: 'max-beats', type: 'number', integer: true, min: 1, key: 'pretrain.maxBeats', description: 'beats per record in the beat loss; library default 16' },
  { name: 'window-samples', type: 'number', integer: true, min: 1, key: 'pretrain.windowSamples', description: "crop length of each view (working-rate samples); library default 80% of the shortest record" },
  { name: 'crops', type: 'string', choices: ['independent', 'shared'], key: 'pretrain.views.crops', description: "how the two views are cut (ablation); library default 'independent'" },
  { name: 'augment-input', type: 'string', choices: ['mV', 'standardized'], key: 'pretrain.views.augmentInput', description: "3KG on mV then standardise (default), or on z-scored crops (ablation)" },
];

/**
 * Turns a recipe's `pretrain.objectivePreset` (from `--objective`) and `pretrain.objective` fields
 * (from the objective flags) into the one `objective` that `pretrainBeatSsl` takes: the preset name
 * alone, the flags alone, or the preset's options refined by the flags.
 * @param pretrain `recipe.pretrain` (changed in place)
 * @param presets `BEAT_SSL_PRESETS` of `beat-ssl/losses`
 */
export function resolveObjective(pretrain: Record<string, unknown>, presets: Readonly<Record<string, BeatSslObjectiveOptions>>): void {
  const preset = pretrain.objectivePreset as string | undefined;
  delete pretrain.objectivePreset;
  const refine = pretrain.objective as Record<string, unknown> | string | undefined;
  if (typeof refine === 'string') return; // a --config recipe naming a preset
  if (preset === undefined) return;
  pretrain.objective = refine && Object.keys(refine).length > 0 ? { ...presets[preset], ...refine } : preset;
}

/** Fine-tuning flags (`beat-ssl finetune`, the downstream evals). Each sets a field of the fine-tuning options. */
export const FINETUNE_FLAGS: readonly SharedFlag[] = [
  { name: 'epochs', type: 'number', integer: true, min: 1, default: 10, key: 'finetune.epochs', description: 'epochs' },
  { name: 'batch-size', type: 'number', integer: true, min: 1, default: 32, key: 'finetune.batchSize', description: 'records per batch' },
  { name: 'lr', type: 'number', min: 0, minExclusive: true, default: 0.001, key: 'finetune.optimizer.learningRate', description: 'Adam learning rate of the head' },
  { name: 'lr-schedule', type: 'string', choices: ['constant', 'cosine'], key: 'finetune.lrSchedule.type', description: "learning-rate schedule; library default 'constant'" },
  { name: 'encoder-lr-scale', type: 'number', min: 0, key: 'finetune.encoderLearningRateScale', description: 'encoder learning rate relative to the head (0 freezes it; library default 1); measured best for the shipped encoder: 0.1 with few labels, 1 with many (docs/model-card.md)' },
  { name: 'label-fraction', type: 'number', min: 0, minExclusive: true, max: 1, key: 'finetune.labelFraction', description: 'fraction of the training labels used, (0, 1]; library default 1' },
  { name: 'crop', type: 'number', integer: true, min: 1, key: 'finetune.windowSamples', valueName: 'samples', description: 'train on one random crop of this many working-rate samples per record and epoch; default: whole records' },
  { name: 'dice-weight', type: 'number', min: 0, key: 'finetune.diceWeight', description: 'segment: weight of the soft-Dice term beside cross-entropy' },
  { name: 'augment-scale', type: 'string', valueName: 'lo,hi', key: 'finetune.augment.scale', description: 'segment: random amplitude scaling range, e.g. 0.8,1.2' },
  { name: 'augment-noise', type: 'number', min: 0, key: 'finetune.augment.noiseSd', description: 'segment: SD of added Gaussian noise (standardised units)' },
  { name: 'restore-best', type: 'boolean', key: 'finetune.restoreBest', description: 'keep the weights of the best validation epoch (--no-restore-best: the last epoch); library default on' },
];

/** `a-b-c` → `aBC`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-zA-Z])/g, (_, c: string) => c.toUpperCase());
}

/** The same flags with a name prefix (e.g. `pretrain-` for the eval scripts' `--pretrain-exponent`). */
export function prefixFlags(flags: readonly SharedFlag[], prefix: string): SharedFlag[] {
  return flags.map((f) => ({ ...f, name: `${prefix}${f.name}` }));
}

/** A run recipe: the option objects that flags and `--config` files set. */
export interface RunRecipe {
  model: Record<string, unknown>;
  pretrain: Record<string, unknown>;
  finetune: Record<string, unknown>;
}

function hasPath(target: Record<string, unknown>, path: string): boolean {
  let o: unknown = target;
  for (const p of path.split('.')) {
    if (typeof o !== 'object' || o === null || !(p in o)) return false;
    o = (o as Record<string, unknown>)[p];
  }
  return true;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) {
    if (typeof o[p] !== 'object' || o[p] === null) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]] = value;
}

/** Parses a `lo,hi` pair; throws naming the flag. */
function pair(flag: string, raw: string): [number, number] {
  const v = raw.split(',').map((s) => Number(s.trim()));
  if (v.length !== 2 || !v.every(Number.isFinite) || v[0] > v[1]) throw new UsageError(`option --${flag} must be two numbers lo,hi with lo ≤ hi, but got '${raw}'`);
  return [v[0], v[1]];
}

/**
 * Builds the option objects of a run from parsed flag values: every flag of `flags` with a value
 * sets its `key` path(s). Start from `base` (e.g. a `--config` file): a flag given on the command
 * line overrides it; a flag's default fills only what `base` leaves unset.
 * @param flags the shared flags the command declared
 * @param values parsed values by flag name (as `ParsedArgs.options`)
 * @param opts `base` recipe (deep-copied), `given` flag names typed on the command line
 *   (default: all with a value), `prefix` the flags were declared with (e.g. `pretrain-`)
 * @throws when a compound value (`--augment-scale lo,hi`) is malformed
 */
export function recipeFromFlags(
  flags: readonly SharedFlag[],
  values: Record<string, unknown>,
  opts: { base?: Partial<RunRecipe>; given?: ReadonlySet<string>; prefix?: string } = {},
): RunRecipe {
  const prefix = opts.prefix ?? '';
  const recipe: RunRecipe = { model: {}, pretrain: {}, finetune: {}, ...structuredClone(opts.base ?? {}) };
  const target = recipe as unknown as Record<string, unknown>;
  for (const f of flags) {
    const name = prefix + f.name;
    const v = values[name];
    if (v === undefined || !f.key) continue;
    const value = f.name === 'augment-scale' && typeof v === 'string' ? pair(name, v) : v;
    const explicit = opts.given ? opts.given.has(name) : true;
    for (const k of typeof f.key === 'string' ? [f.key] : f.key) if (explicit || !hasPath(target, k)) setPath(target, k, value);
  }
  return recipe;
}

/** Picks flags of the shared set by name (`'seed'`, `'backend'`, ...), in the order given. */
export function pickFlags(group: readonly SharedFlag[], ...names: string[]): SharedFlag[] {
  return names.map((n) => {
    const f = group.find((x) => x.name === n);
    if (!f) throw new Error(`internal: no shared flag '${n}'`);
    return f;
  });
}
