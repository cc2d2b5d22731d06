import type { Command } from 'commander';
import { checkCommand } from './commands/check.js';
import { codegenCommand } from './commands/codegen.js';
import { composeCommand } from './commands/compose.js';
import { devCommand } from './commands/dev.js';
import { gatewayCommand } from './commands/gateway.js';
import { subgraphCommand } from './commands/subgraph.js';
import { tokenCommand } from './commands/token.js';
import { usageCommand } from './commands/usage.js';

/** Every `portico` subcommand, in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  program.addCommand(devCommand());
  program.addCommand(gatewayCommand());
  program.addCommand(composeCommand());
  program.addCommand(checkCommand());
  program.addCommand(usageCommand());
  program.addCommand(codegenCommand());
  program.addCommand(subgraphCommand());
  program.addCommand(tokenCommand());
}
