import { join } from 'node:path';

export interface PorticoGatewayArgs {
  /** The checkout whose `bin/portico.js` runs. */
  root: string;
  config: string;
  /** Else the config's own. */
  supergraph?: string;
  port: number;
  /** Node's own flags, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
}

/** The arguments to `node` that run `portico gateway` as an operator would, on 127.0.0.1. */
export function porticoGatewayArgs({ root, config, supergraph, port, nodeArgs = [] }: PorticoGatewayArgs): string[] {
  return [
    ...nodeArgs,
    join(root, 'bin/portico.js'),
    'gateway',
    '--config',
    config,
    ...(supergraph === undefined ? [] : ['--supergraph', supergraph]),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
  ];
}
