import { Command, InvalidArgumentError } from 'commander';
import { projectRoot } from '../../common/projectRoot.js';

const root = projectRoot;

/** `portico dev` (what `npm start` runs): the whole demo stack on this machine. */
export function devCommand(): Command {
  return new Command('dev')
    .description('Run the stack on this machine: the demo REST and gRPC backends, every subgraph in cli/dev/devServices.ts and the gateway.')
    .option('--port <port>', 'the gateway port (0 picks a free one)', parsePort, 4000)
    .option(
      '--host <address>',
      'the address the gateway listens on: this machine only, as its development tokens are signed with a public secret (0.0.0.0: every interface)',
      '127.0.0.1',
    )
    .option('--auto-ports', 'free ports for the backends and subgraphs instead of their defaults (5001-5002, 50051-50052, 4001 and up)')
    .option('--config <file>', 'the gateway config file (default: gateway/demo/gateway.config.yaml, with the demo @policy module)')
    .option('--no-web', 'do not serve the web client (web/) at http://localhost:3000')
    .action(async (options: { port: number; host: string; autoPorts?: boolean; config?: string; web: boolean }) => {
      const write = (line: string) => process.stdout.write(`${line}\n`);
      // Loaded here, so that other commands do not pay for loading composition.
      const { runDev } = await import('../dev/runDev.js');
      const stack = await runDev({
        root,
        port: options.port,
        host: options.host,
        autoPorts: options.autoPorts ?? false,
        config: options.config,
        web: options.web,
        write,
      });
      write('');
      write(`Portico is running. GraphQL: ${stack.gatewayUrl} (open it in a browser for the Apollo Sandbox)`);
      write(`Offline explorer (GraphiQL, served by the gateway): ${new URL('/graphiql', stack.gatewayUrl).href}`);
      if (stack.webUrl) write(`Web client (Vite, hot reload): ${stack.webUrl}`);
      write('Press Ctrl-C to stop.');

      let stopping = false;
      const stopAll = async (exitCode: number) => {
        if (stopping) return;
        stopping = true;
        await stack.stop();
        process.exit(exitCode);
      };
      // `on`, not `once`: a second Ctrl-C must not fall through to the default handler mid-stop.
      process.on('SIGINT', () => void stopAll(0));
      process.on('SIGTERM', () => void stopAll(0));
      // A backend or subgraph that dies leaves the rest running, so its failure can be seen in
      // the responses; without the gateway there is nothing left to use.
      stack.onExit((child, code) => {
        if (stopping) return;
        if (child.name === 'gateway') {
          write(`dev | the gateway stopped (exit code ${code}); stopping everything.`);
          void stopAll(1);
        } else {
          write(
            `dev | ${child.name} stopped (exit code ${code}); the rest keep running, and requests that need it get errors. Restart with Ctrl-C and npm start.`,
          );
        }
      });
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535.');
  return port;
}
