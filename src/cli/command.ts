/**
 * CLI plumbing: option specs, parsing on `node:util.parseArgs` with clear errors, help text.
 * Conventions shared by every command: `-h`/`--help`, `--no-<flag>` for every boolean,
 * unknown flags rejected (with a suggestion), numbers validated against their declared range
 * before any data is read.
 * @module
 */
import { parseArgs as nodeParseArgs } from 'node:util';

/** One option of a command. */
export interface CliOption {
  /** Long name without dashes, e.g. `batch-size`. */
  name: string;
  /** One-letter alias, e.g. `h` for `-h`. */
  short?: string;
  /** `boolean` flags take no value (`--x` / `--no-x`). */
  type: 'string' | 'number' | 'boolean';
  /** Help text, with units. */
  description: string;
  /** Default value shown in help (and used when absent). */
  default?: string | number | boolean;
  /** Allowed values for string options. */
  choices?: readonly string[];
  /** May be given several times (values collected into an array). */
  multiple?: boolean;
  /** Number options: must be an integer. */
  integer?: boolean;
  /** Number options: smallest allowed value (inclusive unless `minExclusive`). */
  min?: number;
  /** Number options: `min` itself is not allowed. */
  minExclusive?: boolean;
  /** Number options: largest allowed value (inclusive). */
  max?: number;
  /** Number options: words accepted instead of a number (kept as strings), e.g. `calibrated`. */
  keywords?: readonly string[];
  /** Placeholder shown in help, e.g. `dir`. Default: the choices or the type. */
  valueName?: string;
}

/** Parsed arguments: positional arguments plus option values by long name. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | number | boolean | string[] | undefined>;
  /** Long names of the options typed on the command line (the others hold their defaults). */
  given: Set<string>;
}

/** Streams a command writes to (injectable for tests). */
export interface CliIo {
  /** Results (text, or one JSON event per line with `--json`). */
  stdout: (text: string) => void;
  /** Diagnostics, bad-record reports and progress. */
  stderr: (text: string) => void;
  /** Whether stderr is an interactive terminal: a redrawn progress bar then, periodic plain lines otherwise. */
  isTTY: boolean;
  /** Clock in ms (injectable for tests of progress timing). Default `Date.now`. */
  now?: () => number;
}

/** A CLI command. */
export interface CliCommand {
  name: string;
  /** One-line summary. */
  summary: string;
  /** Usage line after `beat-ssl <name>`, e.g. `<record...> [options]`. */
  usage: string;
  options: CliOption[];
  /** Longer help (examples, notes) printed after the options. */
  epilog?: string;
  /**
   * Checks the parsed arguments before anything is read or loaded (missing required flags,
   * combinations, output folders). Throw a {@link UsageError} on misuse.
   */
  validate?(args: ParsedArgs): void | Promise<void>;
  /** Runs the command; returns the process exit code. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Error for bad command-line usage (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Options every command accepts. */
export const COMMON_OPTIONS: CliOption[] = [
  { name: 'json', type: 'boolean', description: 'machine-readable output: one JSON event per line on stdout ({"event": ...}), ending with {"event": "done"}', default: false },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help', default: false },
];

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/** The closest of `names` to `name` (at most 2 edits, or a prefix), or undefined. */
export function suggest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = n.startsWith(name) || name.startsWith(n) ? Math.min(1.5, distance(name, n)) : distance(name, n);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return bestD <= 2 ? best : undefined;
}

/** What a number option accepts, in words: `an integer ≥ 1`, `a number > 0`, `a number in [0, 1]`. */
export function numberRule(spec: CliOption): string {
  const kind = spec.integer ? 'an integer' : 'a number';
  const lo = spec.min;
  const hi = spec.max;
  if (lo !== undefined && hi !== undefined) return `${kind} in ${spec.minExclusive ? '(' : '['}${lo}, ${hi}]`;
  if (lo !== undefined) return `${kind} ${spec.minExclusive ? '>' : '≥'} ${lo}`;
  if (hi !== undefined) return `${kind} ≤ ${hi}`;
  return kind;
}

/** Parses and validates one number option value (or one of its `keywords`); throws a {@link UsageError} naming the flag. */
export function parseNumberOption(spec: CliOption, raw: string): number | string {
  if (spec.keywords?.includes(raw)) return raw;
  const n = Number(raw);
  const bad =
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    (spec.integer && !Number.isInteger(n)) ||
    (spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min)) ||
    (spec.max !== undefined && n > spec.max);
  if (bad) throw new UsageError(`option --${spec.name} must be ${numberRule(spec)}${spec.keywords?.length ? ` or ${spec.keywords.join(', ')}` : ''}, but got '${raw}'`);
  return n;
}

const NUMBER_LIKE = /^-(\d|\.\d|Infinity|NaN)/;

/**
 * Parses `argv` against a command's options (plus {@link COMMON_OPTIONS}) with `node:util.parseArgs`.
 * Unknown options, missing values, bad numbers and values outside `choices` throw a
 * {@link UsageError} that names the option and the value. Every boolean `--x` also has `--no-x`
 * (the last one given wins). A number option accepts a negative value (`--start -1`) so that its
 * range check, not the parser, reports it.
 * @param argv arguments after the command name
 * @param command the command's name and options
 * @param program how messages name the program (default `beat-ssl <name>`)
 */
export function parseArgs(argv: string[], command: Pick<CliCommand, 'name' | 'options'>, program = `beat-ssl ${command.name}`): ParsedArgs {
  const specs = [...command.options, ...COMMON_OPTIONS];
  const byName = new Map(specs.map((o) => [o.name, o]));
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const s of specs) config[s.name] = { type: s.type === 'boolean' ? 'boolean' : 'string', ...(s.short ? { short: s.short } : {}) };
  for (const s of specs) if (s.type === 'boolean' && !byName.has(`no-${s.name}`)) config[`no-${s.name}`] = { type: 'boolean' };
  // A negative number after a number option is its value, not a flag.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const spec = a.startsWith('--') && !a.includes('=') ? byName.get(a.slice(2)) : undefined;
    if (spec?.type === 'number' && i + 1 < argv.length && NUMBER_LIKE.test(argv[i + 1])) {
      args.push(`${a}=${argv[++i]}`);
      continue;
    }
    args.push(a);
  }
  const { tokens } = nodeParseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  const options: ParsedArgs['options'] = {};
  const given = new Set<string>();
  const positionals: string[] = [];
  for (const tok of tokens ?? []) {
    if (tok.kind === 'positional') {
      positionals.push(tok.value);
      continue;
    }
    if (tok.kind !== 'option') continue;
    const raw = tok.rawName;
    const longName = tok.name; // parseArgs maps a declared short flag to its long name
    let spec = byName.get(longName);
    let negated = false;
    if (!spec && longName.startsWith('no-')) {
      const base = byName.get(longName.slice(3));
      if (base?.type === 'boolean') {
        spec = base;
        negated = true;
      }
    }
    if (!spec || (!raw.startsWith('--') && !spec.short)) {
      const hint = raw.startsWith('--') ? suggest(longName, specs.map((s) => s.name)) : undefined;
      throw new UsageError(`unknown option ${raw} for '${program}'${hint ? ` (did you mean --${hint}?)` : ''}`);
    }
    given.add(spec.name);
    if (spec.type === 'boolean') {
      if (tok.inlineValue) throw new UsageError(`option ${raw} takes no value (use --${spec.name} or --no-${spec.name}), but got '${tok.value}'`);
      options[spec.name] = !negated;
      continue;
    }
    const value = tok.value;
    if (value === undefined || (!tok.inlineValue && value.startsWith('-') && value !== '-' && !(spec.type === 'number' && NUMBER_LIKE.test(value)))) {
      throw new UsageError(`option --${spec.name} needs a value${spec.choices ? ` (one of ${spec.choices.join(', ')})` : ''}${value !== undefined ? `, but got '${value}'` : ''}`);
    }
    let parsed: string | number = value;
    if (spec.type === 'number') parsed = parseNumberOption(spec, value);
    if (spec.choices && !spec.choices.includes(String(parsed))) {
      const hint = suggest(value, spec.choices);
      throw new UsageError(`option --${spec.name} must be one of ${spec.choices.join(', ')}, but got '${value}'${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
    if (spec.multiple) {
      const prev = (options[spec.name] as string[] | undefined) ?? [];
      options[spec.name] = [...prev, String(parsed)];
    } else options[spec.name] = parsed;
  }
  for (const s of specs) if (options[s.name] === undefined && s.default !== undefined) options[s.name] = s.default;
  return { positionals, options, given };
}

/** The flag as shown in help: `--out <file>`, `--[no-]peaks`, `-h, --help`. */
function flagText(o: CliOption): string {
  const short = o.short ? `-${o.short}, ` : '';
  if (o.type === 'boolean') return `${short}${o.default === true ? `--[no-]${o.name}` : `--${o.name}`}`;
  const kind = o.type === 'number' ? [o.integer ? 'int' : 'number', ...(o.keywords ?? [])].join('|') : 'string';
  return `${short}--${o.name} <${o.valueName ?? (o.choices ? o.choices.join('|') : kind)}>`;
}

/** Help text for one command: usage, every option with its default, then the epilog. */
export function commandHelp(command: CliCommand): string {
  const lines = [`Usage: beat-ssl ${command.name} ${command.usage}`, '', command.summary, '', 'Options:'];
  const all = [...command.options, ...COMMON_OPTIONS];
  const width = Math.min(40, Math.max(...all.map((o) => flagText(o).length)) + 2);
  for (const o of all) {
    const flag = flagText(o);
    const def = o.default !== undefined && o.type !== 'boolean' ? ` (default: ${o.default})` : '';
    const pad = flag.length + 2 > width ? `\n  ${' '.repeat(width)}` : ' '.repeat(width - flag.length);
    lines.push(`  ${flag}${pad}${o.description}${def}`);
  }
  lines.push('', 'Every boolean flag --x has a --no-x form; the last one given wins.');
  if (command.epilog) lines.push('', command.epilog.trimEnd());
  return lines.join('\n') + '\n';
}
