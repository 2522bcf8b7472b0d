#!/usr/bin/env node
/**
 * The `beat-ssl` command. `beat-ssl --help` lists commands; `beat-ssl <command> --help` their options.
 * @module
 */
import { COMMANDS } from './registry';
import { commandHelp, parseArgs, UsageError, type CliIo } from './command';

function topHelp(): string {
  const lines = ['Usage: beat-ssl <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', "Run 'beat-ssl <command> --help' for a command's options.");
  return lines.join('\n') + '\n';
}

/** Runs the CLI on `argv` (without `node` and the script path). Returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topHelp());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout('beat-ssl\n');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`beat-ssl: unknown command '${name}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  try {
    const args = parseArgs(rest, command);
    if (args.options.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`beat-ssl ${command.name}: ${err.message}\n`);
      return 2;
    }
    io.stderr(`beat-ssl ${command.name}: ${(err as Error).message}\n`);
    return 1;
  }
}

const isEntry = typeof process !== 'undefined' && process.argv[1] && /beat-ssl$|cli[\\/]main\.(c?js|ts)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
  }).then((code) => {
    process.exitCode = code;
  });
}
