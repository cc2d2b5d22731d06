import { Command, InvalidArgumentError } from 'commander';

interface GatewayOptions {
  supergraph?: string;
  config?: string;
  port?: string;
  host?: string;
  workers?: string;
  subgraphUrl?: Record<string, string>;
}

/**
 * `portico gateway`: the gateway alone, as deployed. Flags win over the config file. Exits 1
 * with the message (no stack) when the config is wrong; exits 0 after a graceful stop on
 * SIGTERM or SIGINT. With more than one worker, this process becomes a cluster primary and each
 * worker runs this command again, as a worker.
 */
export function gatewayCommand(): Command {
  return new Command('gateway')
    .description('Run the gateway alone, as deployed: one GraphQL endpoint in front of the subgraphs of a supergraph.')
    .option('--supergraph <file>', 'the composed supergraph (overrides supergraph.path; default schema/supergraph.graphql)')
    .option('--config <file>', 'a gateway config file, YAML or JSON (see "Gateway configuration" in the README)')
    .option('--port <port>', 'the port to listen on; 0 picks a free one (overrides server.port; default 4000)')
    .option('--host <host>', 'the interface to listen on (overrides server.host; default 0.0.0.0)')
    .option('--workers <n>', 'gateway processes sharing the port (Node cluster), or "auto" for one per CPU (overrides server.workers; default 1)')
    .option('--subgraph-url <name=url>', "send a subgraph's requests to this URL (overrides subgraphs.<name>.url; repeatable)", collectSubgraphUrl)
    .action(async (options: GatewayOptions) => {
      // The gateway is loaded here, when it runs, so that other commands (and --help) do not pay for it.
      const { runGateway } = await import('../../gateway/runtime/runGateway.js');
      const { supergraph, port, host, workers, subgraphUrl } = options;
      await runGateway({ file: options.config, overrides: { supergraphPath: supergraph, port, host, workers, subgraphUrls: subgraphUrl } });
    });
}

/** `products=http://localhost:4002/graphql`, collected into `{ products: 'http://…' }`. */
function collectSubgraphUrl(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) {
    throw new InvalidArgumentError('expected NAME=URL, such as products=http://localhost:4002/graphql.');
  }
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}
