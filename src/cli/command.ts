/**
 * Minimal, dependency-free CLI plumbing: option specs, parsing with clear errors, help text.
 * @module
 */

/** One option of a command. */
export interface CliOption {
  /** Long name without dashes, e.g. `batch-size`. */
  name: string;
  /** `boolean` flags take no value. */
  type: 'string' | 'number' | 'boolean';
  /** Help text, with units. */
  description: string;
  /** Default value shown in help (and used when absent). */
  default?: string | number | boolean;
  /** Allowed values for string options. */
  choices?: readonly string[];
  /** May be given several times (values collected into an array). */
  multiple?: boolean;
}

/** Parsed arguments: positional arguments plus option values by long name. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | number | boolean | string[] | undefined>;
}

/** Streams a command writes to (injectable for tests). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is an interactive terminal (progress bars only then). */
  isTTY: boolean;
}

/** A CLI command. */
export interface CliCommand {
  name: string;
  /** One-line summary. */
  summary: string;
  /** Usage line after `beat-ssl <name>`, e.g. `<record...> [options]`. */
  usage: string;
  options: CliOption[];
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
  { name: 'json', type: 'boolean', description: 'machine-readable output: one JSON object per line', default: false },
  { name: 'help', type: 'boolean', description: 'show this help', default: false },
];

/**
 * Parses `argv` against a command's options. Unknown options, missing values, bad numbers and
 * values outside `choices` throw a {@link UsageError} that names the option and the value.
 */
export function parseArgs(argv: string[], command: CliCommand): ParsedArgs {
  const specs = [...command.options, ...COMMON_OPTIONS];
  const byName = new Map(specs.map((o) => [o.name, o]));
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    let name = a.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown option --${name} for 'beat-ssl ${command.name}' (see 'beat-ssl ${command.name} --help')`);
    if (spec.type === 'boolean') {
      if (value !== undefined && value !== 'true' && value !== 'false') throw new UsageError(`option --${name} takes no value or true/false, but got '${value}'`);
      options[name] = value !== 'false';
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    }
    let parsed: string | number = value;
    if (spec.type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`option --${name} must be a number, but got '${value}'`);
      parsed = n;
    }
    if (spec.choices && !spec.choices.includes(String(parsed))) {
      throw new UsageError(`option --${name} must be one of ${spec.choices.join(', ')}, but got '${value}'`);
    }
    if (spec.multiple) {
      const prev = (options[name] as string[] | undefined) ?? [];
      options[name] = [...prev, String(parsed)];
    } else options[name] = parsed;
  }
  for (const s of specs) if (options[s.name] === undefined && s.default !== undefined) options[s.name] = s.default;
  return { positionals, options };
}

/** Help text for one command: usage and every option with its default. */
export function commandHelp(command: CliCommand): string {
  const lines = [`beat-ssl ${command.name} ${command.usage}`, '', command.summary, '', 'Options:'];
  for (const o of [...command.options, ...COMMON_OPTIONS]) {
    const flag = o.type === 'boolean' ? `--${o.name}` : `--${o.name} <${o.choices ? o.choices.join('|') : o.type}>`;
    const def = o.default !== undefined && o.type !== 'boolean' ? ` (default: ${o.default})` : '';
    lines.push(`  ${flag.padEnd(34)} ${o.description}${def}`);
  }
  return lines.join('\n') + '\n';
}
