import { join } from 'node:path';

/**
 * Node's options for the gateway as Portico's container image runs it (the Dockerfile's
 * `NODE_OPTIONS`; test/packaging/dockerCompose.test.ts keeps the two equal), so that the bench
 * measures the gateway as deployed: Node 20's young generation (two 16 MiB semi-spaces), stated so
 * that every Node version runs alike. 8 MiB cost a third of the throughput on a quiet machine; 64
 * cost 80 MiB of peak RSS for no gain (docs/performance.md, step 30).
 */
const porticoNodeOptions = '--max-semi-space-size=16';

/**
 * The environment the container image runs the gateway in, besides `NODE_ENV` (the Dockerfile's
 * `ENV` lines; the same test keeps them equal): its `NODE_OPTIONS`, and glibc's malloc held to one
 * arena. With glibc's default (eight arenas per core) the threads V8 compiles and collects on each
 * keep an arena of their own, whose freed memory stays resident: 15–25 MiB of peak RSS under load
 * on Node 26, for no throughput this machine can tell (docs/performance.md, step 41).
 */
export const porticoImageEnv: Readonly<Record<string, string>> = { NODE_OPTIONS: porticoNodeOptions, MALLOC_ARENA_MAX: '1' };

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
