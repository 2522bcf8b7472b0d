/**
 * Tables from saved few-label results (eval/few-label.ts JSON): merges the runs of several files —
 * e.g. a method added later with the same seeds, which then pairs with the earlier runs — and prints
 * mean ± SD per method and paired differences with 95 % t-intervals, in markdown. No training.
 *
 *   npx tsx eval/report-few-label.ts docs/results/few-label-v1-ludb-k1.json docs/results/few-label-v1-ludb-k1-ts2vec.json
 *       [--ours beat-ssl] [--methods random,random-slow,simclr-3kg,ts2vec,beat-ssl,beat-ssl-hard]
 *
 * Files are merged only if they share the protocol (backend, pretraining, fine-tuning steps, encoder
 * learning-rate scales and evaluation split), unless `--mixed` is given: then the methods of the
 * n-th protocol (n ≥ 2, in the order the files are given) are renamed `method@n` — e.g. the same
 * pretrained encoders fine-tuned at two encoder learning rates — and still pair by seed. A (method,
 * setting, seed) run found twice with different values is an error, not a silent choice.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, UsageError } from '../src/cli/command';
import { classificationTables, segmentationTables, type ClsRun, type SegRun } from './_fewLabelReport';

const script = 'report-few-label.ts';
let parsed;
try {
  parsed = parseArgs(process.argv.slice(2), {
    name: script,
    options: [
      { name: 'ours', type: 'string', valueName: 'list', description: 'methods whose differences to every other method are tabled (default beat-ssl, if present)' },
      { name: 'methods', type: 'string', valueName: 'list', description: 'methods and their order (default: as found)' },
      { name: 'mixed', type: 'boolean', default: false, description: 'merge files of different protocols, renaming the methods of protocol n ≥ 2 method@n' },
    ],
  }, script);
  if (!parsed.positionals.length) throw new UsageError('expected one or more few-label result files (eval/results/<name>.json)');
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`${script}: ${err.message}`);
  process.exit(2);
}

interface FewLabelFile {
  command: string;
  backend: string;
  pretrainSteps: number;
  pretrainSeeds: number;
  ftSteps: number;
  /** Encoder learning-rate scales of pretrained encoders (recorded since report-few-label; older files: from `command`). */
  segEncoderLrScale?: number;
  clsEncoderLrScale?: number;
  methods: string[];
  complete?: boolean;
  ludb?: { split: { train: string; eval: string }; runs: SegRun[] };
  ptbxl?: { split: { train: string; eval: string }; runs: ClsRun[] };
}

function fail(message: string): never {
  console.error(`${script}: ${message}`);
  process.exit(2);
}

const files = parsed.positionals.map((p) => {
  const path = resolve(p);
  let value: FewLabelFile;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as FewLabelFile;
  } catch (err) {
    fail(`cannot read ${path} as JSON (${(err as Error).message})`);
  }
  if (!value || typeof value !== 'object' || !Array.isArray(value.methods) || !(value.ludb || value.ptbxl)) fail(`${path} is not a few-label result (no methods / ludb / ptbxl runs)`);
  return { path, value };
});

/** The value of `--flag` in a recorded command, or undefined. */
const flagIn = (command: string, flag: string) => command.match(new RegExp(`--${flag}[ =](\\S+)`))?.[1];
/** Everything that must be equal for runs to pair: the recorded fields, else the recorded command's flags, else few-label's defaults. */
const protocol = (f: FewLabelFile) => {
  const seg = f.segEncoderLrScale ?? Number(flagIn(f.command, 'seg-encoder-lr-scale') ?? 0.1);
  const cls = f.clsEncoderLrScale ?? Number(flagIn(f.command, 'cls-encoder-lr-scale') ?? 1);
  const pretrainFlags = [...f.command.matchAll(/--(pretrain-(?!seeds\b)[\w-]+|pretrained-dir)[ =](\S+)/g)].map((m) => `--${m[1]} ${m[2]}`).sort();
  return [
    `backend ${f.backend}, pretraining ${f.pretrainSteps} steps × ${f.pretrainSeeds} seeds${pretrainFlags.length ? ` (${pretrainFlags.join(' ')})` : ''}`,
    `fine-tuning ${f.ftSteps} steps, encoder learning rate ×${seg} (segmentation) / ×${cls} (classification) for pretrained encoders`,
  ].join(', ');
};
const first = files[0];
const mixed = parsed.options.mixed === true;
const protocols = [...new Set(files.map((f) => protocol(f.value)))];
for (const f of files) {
  if (!mixed && protocol(f.value) !== protocol(first.value)) fail(`${f.path} (${protocol(f.value)}) does not share the protocol of ${first.path} (${protocol(first.value)}); its runs would not pair (--mixed compares them, renaming the methods of the second protocol method@2)`);
  const n = protocols.indexOf(protocol(f.value)) + 1;
  if (n > 1) {
    const rename = <T extends { method: string }>(r: T): T => ({ ...r, method: `${r.method}@${n}` });
    f.value.methods = f.value.methods.map((m) => `${m}@${n}`);
    if (f.value.ludb) f.value.ludb.runs = f.value.ludb.runs.map(rename);
    if (f.value.ptbxl) f.value.ptbxl.runs = f.value.ptbxl.runs.map(rename);
  }
  for (const t of ['ludb', 'ptbxl'] as const) {
    const a = f.value[t]?.split;
    const b = files.find((g) => g.value[t])?.value[t]?.split;
    if (a && b && (a.train !== b.train || a.eval !== b.eval)) fail(`${f.path}: ${t} split ${a.train} → ${a.eval} differs from ${b.train} → ${b.eval}`);
  }
}

/** Concatenates runs, refusing a (method, setting, seed) seen twice with different values. */
function merge<T extends { method: string; seed: number }>(lists: { path: string; runs: T[] }[], setting: (r: T) => number): T[] {
  const seen = new Map<string, { run: T; path: string }>();
  for (const { path, runs } of lists) {
    for (const r of runs) {
      const key = `${r.method}|${setting(r)}|${r.seed}`;
      const prev = seen.get(key);
      if (prev && JSON.stringify(prev.run) !== JSON.stringify(r)) fail(`run ${r.method}, setting ${setting(r)}, seed ${r.seed} is in ${prev.path} and ${path} with different values; pass one of them`);
      if (!prev) seen.set(key, { run: r, path });
    }
  }
  return [...seen.values()].map((v) => v.run);
}

const found = [...new Set(files.flatMap((f) => f.value.methods))];
const methods = typeof parsed.options.methods === 'string' ? parsed.options.methods.split(',').filter(Boolean) : found;
for (const m of methods) if (!found.includes(m)) fail(`--methods: ${m} is not in any file (found: ${found.join(', ')})`);
const ours = typeof parsed.options.ours === 'string' ? parsed.options.ours.split(',').filter(Boolean) : found.includes('beat-ssl') ? ['beat-ssl'] : [];
for (const m of ours) if (!found.includes(m)) fail(`--ours: ${m} is not in any file (found: ${found.join(', ')})`);

if (protocols.length === 1) console.log(`Few-label results: ${protocols[0]}`);
else protocols.forEach((p, i) => console.log(`Few-label results, protocol ${i + 1}${i ? ` (methods @${i + 1})` : ''}: ${p}`));
for (const f of files) console.log(`- ${f.path.replace(/^.*[\\/]/, '')}${f.value.complete === false ? ' (INCOMPLETE: the run stopped early)' : ''}: \`${f.value.command}\``);

const ludb = files.filter((f) => f.value.ludb).map((f) => ({ path: f.path, runs: f.value.ludb!.runs.filter((r) => methods.includes(r.method)) }));
if (ludb.length) {
  const split = files.find((f) => f.value.ludb)!.value.ludb!.split;
  console.log(`\nLUDB segmentation (train ${split.train}, scored on ${split.eval}); mean ± SD over runs\n`);
  segmentationTables(merge(ludb, (r) => r.records), methods, ours);
}
const ptbxl = files.filter((f) => f.value.ptbxl).map((f) => ({ path: f.path, runs: f.value.ptbxl!.runs.filter((r) => methods.includes(r.method)) }));
if (ptbxl.length) {
  const split = files.find((f) => f.value.ptbxl)!.value.ptbxl!.split;
  console.log(`\nPTB-XL superdiagnostic (train ${split.train}, scored on ${split.eval}); macro AUROC mean ± SD (runs)\n`);
  classificationTables(merge(ptbxl, (r) => r.fraction), methods, ours);
}
