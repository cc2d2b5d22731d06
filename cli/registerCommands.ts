import type { Command } from 'commander';
import { codegenCommand } from './commands/codegen.js';
import { composeCommand } from './commands/compose.js';

/** Every `portico` subcommand, in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  program.addCommand(composeCommand());
  program.addCommand(codegenCommand());
}
