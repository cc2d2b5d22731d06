import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSubgraphSchema } from '../../subgraphs/kit/readSubgraphSchema.js';
import { writeSupergraph } from '../../test/gateway/fixtures/writeSupergraph.js';
import { testSigningSecret, type SubgraphName } from '../../test/support/startSubgraphs.js';
import { spawnDemoServices } from '../attack/spawnDemoServices.js';
import { porticoGatewayArgs } from '../gateways/porticoGatewayArgs.js';
import { findFreePort, startGatewayProcess, type GatewayProcess } from '../gateways/startGatewayProcess.js';

export interface ProbeGatewayOptions {
  /** The gateway config: the subscription bench's by default. */
  config?: string;
  nodeArgs: string[];
  /** The gateway process's working folder (where a heap snapshot is written). */
  cwd?: string;
  /** The CPU the gateway is pinned to, or null. */
  cpu: number | null;
}

/**
 * The subscription probes' set-up: the demo subgraphs, a supergraph over them, and Portico's
 * built gateway in front, from this checkout or from `PORTICO_PROBE_ROOT` (another checkout's
 * build, to compare with a commit before a change). `stop` stops both.
 */
export async function startProbeGateway(options: ProbeGatewayOptions): Promise<{ gateway: GatewayProcess; stop(): Promise<void> }> {
  const root = process.env.PORTICO_PROBE_ROOT ?? fileURLToPath(new URL('../../', import.meta.url));
  const names: SubgraphName[] = ['accounts', 'products', 'inventory', 'reviews'];
  const services = await spawnDemoServices({ requireSignature: false });
  const supergraph = writeSupergraph(
    mkdtempSync(join(tmpdir(), 'portico-probe-')),
    names.map((name) => ({ name, url: services.urls[name], typeDefs: readSubgraphSchema(name) })),
  );
  const port = await findFreePort();
  const gateway = await startGatewayProcess(
    {
      args: porticoGatewayArgs({
        root,
        config: options.config ?? fileURLToPath(new URL('./portico.subscriptions.yaml', import.meta.url)),
        supergraph,
        port,
        nodeArgs: options.nodeArgs,
      }),
      env: { PORTICO_SIGNING_SECRET: testSigningSecret },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    },
    { port, cpu: options.cpu },
  );
  return {
    gateway,
    async stop() {
      await gateway.stop();
      await services.close();
    },
  };
}
