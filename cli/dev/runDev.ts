import { writeFileSync } from 'node:fs';
import { composeSupergraphFile } from '../compose/composeSupergraphFile.js';
import { readSupergraphConfig } from '../compose/readSupergraphConfig.js';
import { readOrEmpty } from '../fs/readOrEmpty.js';
import { devServices, type DevService } from './devServices.js';
import { reloadOnSchemaChange } from './reloadOnSchemaChange.js';
import { startChild, stopChild, type RunningChild } from './startChild.js';

export interface DevOptions {
  /** The repository root: where entries, schema/ and bin/ are. */
  root: string;
  /** The gateway's port; 0 picks a free one. */
  port: number;
  /** Free ports for every backend and subgraph instead of their defaults. */
  autoPorts: boolean;
  /**
   * The gateway config file.
   * @default 'gateway/demo/gateway.config.yaml'
   */
  config?: string;
  /** Where log lines go. */
  write(line: string): void;
}

export interface DevStack {
  gatewayUrl: string;
  children: RunningChild[];
  /** Stops every process, the gateway first and the backends last. */
  stop(): Promise<void>;
  /** Calls `listener` for each child that exits while the stack is meant to be running. */
  onExit(listener: (child: RunningChild, code: number | null) => void): void;
}

const supergraphConfig = 'schema/supergraph.yaml';
const supergraphFile = 'schema/supergraph.graphql';
const demoGatewayConfig = 'gateway/demo/gateway.config.yaml';

/**
 * Starts the demo stack as child processes, a tier at a time, each tier told where the one below
 * listens: backends, then subgraphs, then the gateway. The supergraph is composed first, so the
 * gateway serves the subgraphs' current SDL; after that, an edited SDL is recomposed, its
 * subgraph restarted and the supergraph reloaded by the gateway (`reloadOnSchemaChange`).
 */
export async function runDev(options: DevOptions): Promise<DevStack> {
  const { root, write } = options;
  const composed = composeSupergraphFile(readSupergraphConfig(`${root}/${supergraphConfig}`));
  if (readOrEmpty(`${root}/${supergraphFile}`) !== composed.text) {
    writeFileSync(`${root}/${supergraphFile}`, composed.text);
    write(`dev | recomposed ${supergraphFile} from the subgraphs' SDL`);
  }

  const tsx = import.meta.resolve('tsx');
  const children: RunningChild[] = [];
  const ports = new Map<string, number>();
  const portOf = (name: string) => ports.get(name)!;
  const exitListeners: Array<(child: RunningChild, code: number | null) => void> = [];
  // A child stopped to be restarted has not died: its exit is nobody's news.
  const restarting = new Set<RunningChild>();
  const watchExit = (child: RunningChild) => {
    void child.exited.then((code) => {
      if (!restarting.has(child)) for (const listener of exitListeners) listener(child, code);
    });
  };
  let stopWatching = () => {};
  const stop = async () => {
    stopWatching();
    for (const child of [...children].reverse()) await stopChild(child);
  };

  const startService = (service: DevService, port: number) =>
    startChild({
      name: service.name,
      args: ['--import', tsx, service.entry],
      cwd: root,
      // Loopback only: a developer's subgraphs and backends are not for the network.
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...service.env(portOf) },
      write,
    });

  const startTier = async (services: DevService[]) => {
    const started = await Promise.all(services.map((service) => startService(service, options.autoPorts ? 0 : service.defaultPort)));
    for (const child of started) {
      children.push(child);
      ports.set(child.name, child.port);
      watchExit(child);
    }
  };

  // Same port, so the gateway's route to it stays right.
  const restart = async (name: string) => {
    const index = children.findIndex((child) => child.name === name);
    const service = devServices.find((candidate) => candidate.name === name);
    if (index < 0 || !service) return;
    const old = children[index]!;
    restarting.add(old);
    await stopChild(old);
    const next = await startService(service, old.port);
    children[index] = next;
    watchExit(next);
  };

  try {
    await startTier(devServices.filter((service) => service.tier === 'backend'));
    const subgraphs = devServices.filter((service) => service.tier === 'subgraph');
    await startTier(subgraphs);
    const gatewayArgs = ['bin/portico.js', 'gateway', '--supergraph', supergraphFile, '--port', String(options.port), '--watch'];
    for (const subgraph of subgraphs) gatewayArgs.push('--subgraph-url', `${subgraph.name}=${subgraph.url(portOf(subgraph.name))}`);
    gatewayArgs.push('--config', options.config ?? demoGatewayConfig);
    const gatewayChild = await startChild({ name: 'gateway', args: gatewayArgs, cwd: root, env: process.env, write });
    children.push(gatewayChild);
    watchExit(gatewayChild);
  } catch (error) {
    await stop();
    throw error;
  }

  const gateway = children[children.length - 1]!;
  stopWatching = reloadOnSchemaChange({ configFile: `${root}/${supergraphConfig}`, supergraphFile: `${root}/${supergraphFile}`, restart, write });
  for (const service of devServices) write(`dev | ${service.name.padEnd(18)} ${service.url(portOf(service.name))}`);
  return {
    gatewayUrl: `http://localhost:${gateway.port}/graphql`,
    children,
    stop,
    onExit: (listener) => {
      exitListeners.push(listener);
    },
  };
}
