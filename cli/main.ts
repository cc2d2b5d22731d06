import { Command } from 'commander';
import { registerCommands } from './registerCommands.js';

const program = new Command('portico')
  .description('Portico: a federated GraphQL gateway in front of your REST and gRPC services.')
  .showHelpAfterError('(run with --help for usage)');

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`portico: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
