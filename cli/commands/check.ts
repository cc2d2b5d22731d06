import { Command, Option } from 'commander';

interface CheckOptions {
  schema?: string;
  config?: string;
  manifest: string[];
  operations?: string;
  subgraphs: string;
  supergraph?: string;
  format: 'text' | 'json';
}

/**
 * `portico check SUBGRAPH --schema FILE`: would this change of one subgraph's schema break a
 * known client? Exit 0: it composes and breaks no known operation; 1: it does not compose, or a
 * breaking change affects a known operation; 2: the command was called wrongly (unknown
 * subgraph, unreadable or invalid file, unreachable gateway).
 */
export function checkCommand(): Command {
  const command: Command = new Command('check');
  return command
    .description("Check a subgraph's new schema before deploying it: composition, breaking changes, and the known client operations they would break.")
    .argument('<subgraph>', 'the subgraph whose schema changes, as schema/supergraph.yaml names it')
    .option('--schema <file>', "required: the subgraph's proposed SDL")
    .option('--config <file>', 'a gateway config: its trusted-documents manifest counts, and its supergraph.path is the current supergraph')
    .option('--manifest <file>', 'a trusted-documents (persisted query) manifest whose operations count (repeatable)', collect, [])
    .option('--operations <url>', "the gateway's internal listener, such as http://localhost:9464: the operations it has seen count")
    .option('--subgraphs <file>', 'the subgraph list', 'schema/supergraph.yaml')
    .option('--supergraph <file>', "the supergraph served now (default: the config's supergraph.path, else schema/supergraph.graphql)")
    .addOption(
      new Option('--format <format>', 'text for people, json for CI (see "Checking a change before deploying it")').choices(['text', 'json']).default('text'),
    )
    .action(async (subgraph: string, options: CheckOptions) => {
      if (options.schema === undefined) command.error("error: required option '--schema <file>' not specified", { exitCode: 2 });
      // Loaded here, so that other commands do not pay for composition and the diff.
      const { CheckUsageError } = await import('../check/CheckUsageError.js');
      try {
        const { gatherOperations } = await import('../check/gatherOperations.js');
        const { runCheck } = await import('../check/runCheck.js');
        const { operations, supergraphPath } = await gatherOperations(options);
        const report = await runCheck({
          subgraph,
          schemaFile: options.schema,
          supergraphConfig: options.subgraphs,
          currentSupergraph: options.supergraph ?? supergraphPath ?? 'schema/supergraph.graphql',
          operations,
        });
        if (options.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else {
          const { formatCheckReport } = await import('../check/formatCheckReport.js');
          const text = formatCheckReport(report);
          // Composition errors go where `portico compose` writes them.
          (report.composition.ok ? process.stdout : process.stderr).write(`${text}\n`);
        }
        process.exitCode = report.exitCode;
      } catch (error) {
        if (!(error instanceof CheckUsageError)) throw error;
        process.stderr.write(`portico check: ${error.message}\n`);
        process.exitCode = 2;
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
