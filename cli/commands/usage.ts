import { Command, Option } from 'commander';

interface UsageOptions {
  config?: string;
  manifest: string[];
  operations?: string;
  supergraph?: string;
  format: 'text' | 'json';
}

/**
 * `portico usage`: every `@deprecated` field of the served API schema, and which clients' known
 * operations still select it and when last: how a team tells a field is unused before removing
 * it. Exit 0, or 2 when called wrongly (unreadable file, unreachable gateway).
 */
export function usageCommand(): Command {
  return new Command('usage')
    .description('Show who still uses each deprecated field: the known client operations that select it, and when the gateway last saw them.')
    .option('--config <file>', 'a gateway config: its trusted-documents manifest counts, and its supergraph.path is the supergraph')
    .option(
      '--manifest <file>',
      'a trusted-documents (persisted query) manifest whose operations count (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--operations <url>', "the gateway's internal listener, such as http://localhost:9464: the operations it has seen count")
    .option('--supergraph <file>', "the supergraph served now (default: the config's supergraph.path, else schema/supergraph.graphql)")
    .addOption(new Option('--format <format>', 'text for people, json for scripts').choices(['text', 'json']).default('text'))
    .action(async (options: UsageOptions) => {
      const { CheckUsageError } = await import('../check/CheckUsageError.js');
      try {
        const { readFileSync } = await import('node:fs');
        const { gatherOperations } = await import('../check/gatherOperations.js');
        const { apiSchemaOf } = await import('../check/apiSchemaOf.js');
        const { deprecatedFieldUsage, formatUsageReport } = await import('../check/deprecatedFieldUsage.js');
        const { operations, supergraphPath } = await gatherOperations(options);
        const file = options.supergraph ?? supergraphPath ?? 'schema/supergraph.graphql';
        let sdl: string;
        try {
          sdl = readFileSync(file, 'utf8');
        } catch (error) {
          throw new CheckUsageError(`cannot read the supergraph ${file}: ${(error as Error).message}`);
        }
        const report = deprecatedFieldUsage(apiSchemaOf(sdl), operations);
        process.stdout.write(`${options.format === 'json' ? JSON.stringify(report, null, 2) : formatUsageReport(report)}\n`);
      } catch (error) {
        if (!(error instanceof CheckUsageError)) throw error;
        process.stderr.write(`portico usage: ${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
