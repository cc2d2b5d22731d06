import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Command } from 'commander';
import { readOrEmpty } from '../fs/readOrEmpty.js';

/** `portico compose`: schema/ → supergraph, with composition errors a person can act on. */
export function composeCommand(): Command {
  return new Command('compose')
    .description('Compose the subgraphs listed in the supergraph config into one supergraph schema.')
    .option('--config <file>', 'the subgraph list', 'schema/supergraph.yaml')
    .option('--output <file>', 'where to write the supergraph', 'schema/supergraph.graphql')
    .option('--check', 'write nothing; fail when the output file is not what composition produces now')
    .action(async (options: { config: string; output: string; check?: boolean }) => {
      // Loaded here, so that other commands do not pay for loading composition.
      const { composeSupergraphFile } = await import('../compose/composeSupergraphFile.js');
      const { readSupergraphConfig } = await import('../compose/readSupergraphConfig.js');
      const config = readSupergraphConfig(options.config);
      const { text, hints } = composeSupergraphFile(config);
      if (hints) process.stderr.write(`${hints}\n\n`);
      const target = relative(process.cwd(), options.output);
      if (options.check) {
        if (readOrEmpty(options.output) !== text) throw new Error(`${target} is stale: run \`npm run compose\` and commit the result.`);
        process.stdout.write(`${target} is up to date.\n`);
        return;
      }
      writeFileSync(options.output, text);
      process.stdout.write(`Composed ${config.subgraphs.length} subgraphs into ${target}.\n`);
    });
}
