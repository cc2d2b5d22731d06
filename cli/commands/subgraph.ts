import { Command } from 'commander';
import { projectRoot } from '../../common/projectRoot.js';

const root = projectRoot;

interface AddOptions {
  rest?: string;
  grpc?: string;
  service?: string;
  address?: string;
}

/** `portico subgraph add` and `remove`: a subgraph for a team's REST or gRPC service, in one command, and out again. */
export function subgraphCommand(): Command {
  const subgraph = new Command('subgraph').description('Work with the subgraphs of this repository.');
  subgraph
    .command('add')
    .description(
      'Add a subgraph for a REST or gRPC service: its SDL, its folder in subgraphs/, its entries in schema/supergraph.yaml, ' +
        'codegen.yml, docker-compose.yml and portico dev; then generate its types and compose.',
    )
    .argument('<name>', 'the subgraph name: lowercase letters, digits and dashes, e.g. weather')
    .option('--rest <base-url>', "the REST service's base URL; the starter entity is read with GET <base-url>/{id}")
    .option('--grpc <proto-file>', "the gRPC service's .proto file; copied to schema/protos/, the SDL is derived from it")
    .option('--service <name>', 'with --grpc: the service to expose, when the proto defines several')
    .option('--address <host:port>', "with --grpc (required): where the service listens; the subgraph's default for NAME_SERVICE_ADDRESS")
    .addHelpText(
      'after',
      '\nExamples:\n  portico subgraph add widgets --rest http://localhost:8080/widgets\n  portico subgraph add weather --grpc ./weather.proto --service Weather --address localhost:50070',
    )
    .action(async (name: string, options: AddOptions) => {
      // Loaded here, so that other commands do not pay for loading composition.
      const { addSubgraph } = await import('../scaffold/addSubgraph.js');
      await addSubgraph({ root, name, ...options, write: (line) => process.stdout.write(`${line}\n`) });
    });
  subgraph
    .command('remove')
    .description(
      'Remove a subgraph: its entries in schema/supergraph.yaml, codegen.yml, docker-compose.yml and portico dev, its SDL, its folder ' +
        'in subgraphs/ and its proto when nothing else uses it; then compose without it. Refuses a subgraph others depend on.',
    )
    .argument('<name>', 'the subgraph to remove')
    .option('--dry-run', 'say what would be removed and changed, and change nothing')
    .action(async (name: string, options: { dryRun?: boolean }) => {
      const { removeSubgraph } = await import('../scaffold/removeSubgraph.js');
      await removeSubgraph({ root, name, dryRun: options.dryRun ?? false, write: (line) => process.stdout.write(`${line}\n`) });
    });
  return subgraph;
}
