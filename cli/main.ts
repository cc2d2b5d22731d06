import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../common/projectRoot.js';
import { applyCommandConventions } from './applyCommandConventions.js';
import { registerCommands } from './registerCommands.js';

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

const program = new Command('portico')
  .description('Portico: a federated GraphQL gateway in front of your REST and gRPC services.')
  .version(version, '-v, --version', 'print the version of portico');

registerCommands(program);
applyCommandConventions(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`portico: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
