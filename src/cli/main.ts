#!/usr/bin/env node
/**
 * The `beat-ssl` command. `beat-ssl --help` lists commands; `beat-ssl <command> --help` their options.
 *
 * Conventions: `-h`/`--help` prints help to stdout (exit 0); misuse prints the error and a pointer
 * to the help to stderr (exit 2); a failure at run time prints `beat-ssl <command>: Error in …` to
 * stderr (exit 1); `-v`/`--version` prints the package version.
 * @module
 */
import { COMMANDS } from './registry';
import { commandHelp, parseArgs, suggest, UsageError, type CliIo } from './command';
import { asLibraryError, emit, messageOf } from './_internal/output';

/** The top-level help: commands and global flags. */
export function topHelp(): string {
  const lines = ['Usage: beat-ssl <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push(
    '',
    'Options:',
    '  -h, --help     show this help (or a command\'s, after its name)',
    '  -v, --version  print the version of beat-ssl',
    '',
    "Run 'beat-ssl <command> --help' for a command's options.",
  );
  return lines.join('\n') + '\n';
}

/** The installed package's version, from its package.json (found above this file). */
export async function packageVersion(): Promise<string> {
  const path = await import('node:path');
  const fs = await import('node:fs/promises');
  const { foldersAbove } = await import('../core/_internal/packageFolders');
  for (const dir of await foldersAbove('beat-ssl --version')) {
    try {
      const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'beat-ssl' && pkg.version) return pkg.version;
    } catch {
      /* not here: look one folder up */
    }
  }
  return 'unknown';
}

/** Runs the CLI on `argv` (without `node` and the script path). Returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(topHelp());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' && rest[0] ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout(target ? commandHelp(target) : topHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`beat-ssl ${await packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const hint = suggest(name.replace(/^-+/, ''), COMMANDS.map((c) => c.name));
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
    io.stderr(`beat-ssl: ${what}${hint && !name.startsWith('-') ? ` (did you mean '${hint}'?)` : ''}. Commands: ${COMMANDS.map((c) => c.name).join(', ')}. Run 'beat-ssl --help'.\n`);
    return 2;
  }
  let json = false;
  try {
    const args = parseArgs(rest, command);
    if (args.options.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    json = Boolean(args.options.json);
    await command.validate?.(args);
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`beat-ssl ${command.name}: ${err.message}\nRun 'beat-ssl ${command.name} --help' for usage.\n`);
      return 2;
    }
    const msg = messageOf(asLibraryError(err, `beat-ssl ${command.name}`));
    io.stderr(`beat-ssl ${command.name}: ${msg}\n`);
    if (json) emit(io, 'error', { message: msg });
    return 1;
  }
}

const isEntry = typeof process !== 'undefined' && process.argv[1] && /beat-ssl$|cli[\\/]main\.(c?js|ts)$/.test(process.argv[1]);
if (isEntry) {
  // `beat-ssl info … | head`: a closed stdout ends the command quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
  }).then((code) => {
    process.exitCode = code;
  });
}
