/**
 * The CLI's command table. Each command lives in `commands/<name>.ts` and exports a
 * {@link CliCommand}; add one line here to register it.
 * @module
 */
import type { CliCommand } from './command';
import { infoCommand } from './commands/info';
import { plotCommand } from './commands/plot';
import { peaksCommand } from './commands/peaks';
import { segmentCommand } from './commands/segment';
import { classifyCommand } from './commands/classify';
import { evalCommand } from './commands/eval';
import { pretrainCommand } from './commands/pretrain';
import { finetuneCommand } from './commands/finetune';

/** All commands, in the order `beat-ssl --help` lists them. */
export const COMMANDS: CliCommand[] = [
  infoCommand,
  plotCommand,
  peaksCommand,
  segmentCommand,
  classifyCommand,
  evalCommand,
  pretrainCommand,
  finetuneCommand,
];
