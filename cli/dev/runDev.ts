import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { composeSupergraphFile } from '../compose/composeSupergraphFile.js';
import { readSupergraphConfig, type SubgraphEntry } from '../compose/readSupergraphConfig.js';
import { readOrEmpty } from '../fs/readOrEmpty.js';
import type { DevService } from './devServices.js';
import { announceRunningDev } from './runningDev.js';
import { startChild, stopChild, type RunningChild } from './startChild.js';
import { startWebDevServer, type WebDevServer } from './startWebDevServer.js';
import { watchSubgraphSchemas } from './watchSubgraphSchemas.js';

export interface DevOptions {
  /** The repository root: where entries, schema/, scripts/ and bin/ are. */
  root: string;
  /** The gateway's port; 0 picks a free one. */
  port: number;
  /**
   * The address the gateway listens on. This machine only by default: the stack's development
   * tokens are signed with a public secret, so anyone who reaches the gateway can sign in as anyone.
   * @default '127.0.0.1'
   */
  host?: string;
  /** Free ports for every backend and subgraph instead of their defaults. */
  autoPorts: boolean;
  /**
   * The gateway config file.
   * @default 'gateway/demo/gateway.config.yaml'
   */
  config?: string;
  /**
   * Serve the web client (web/) with Vite's development server, on 3000 (a free port with `autoPorts`).
   * @default true
   */
  web?: boolean;
  /** Where log lines go. */
  write(line: string): void;
}

export interface DevStack {
  gatewayUrl: string;
  /** The web client's development server, when it runs. */
  webUrl: string | undefined;
  children: RunningChild[];
  /** Stops every process, the gateway first and the backends last. */
  stop(): Promise<void>;
  /** Calls `listener` for each child that exits while the stack is meant to be running. */
  onExit(listener: (child: RunningChild, code: number | null) => void): void;
}

const supergraphConfig = 'schema/supergraph.yaml';
const supergraphFile = 'schema/supergraph.graphql';
const demoGatewayConfig = 'gateway/demo/gateway.config.yaml';
/** The web client's development server; the demo gateway config's CORS lists its origin. */
const webPort = 3000;

/**
 * Starts the demo stack as child processes, a tier at a time, each tier told where the one below
 * listens: backends, then subgraphs, then the gateway. The supergraph is composed first, so the
 * gateway serves the subgraphs' current SDL; when a subgraph's SDL changes, that subgraph is
 * restarted and the supergraph recomposed, and the gateway reloads it.
 */
export async function runDev(options: DevOptions): Promise<DevStack> {
  const { root, write } = options;
  const composed = composeSupergraphFile(readSupergraphConfig(join(root, supergraphConfig)));
  if (readOrEmpty(join(root, supergraphFile)) !== composed.text) {
    writeFileSync(join(root, supergraphFile), composed.text);
    write(`dev | recomposed ${supergraphFile} from the subgraphs' SDL`);
  }

  await buildDist(root);
  // Read after the build: `portico subgraph add` may have added to it since this process was built.
  const devServices = await readDevServices(root);
  const children: RunningChild[] = [];
  const ports = new Map<string, number>();
  const portOf = (name: string) => ports.get(name)!;
  // Children stopped on purpose (a subgraph restarted for its new SDL) are not reported.
  const replaced = new Set<RunningChild>();
  const listeners = new Set<(child: RunningChild, code: number | null) => void>();
  const watchExit = (child: RunningChild) =>
    void child.exited.then((code) => {
      if (!replaced.has(child)) for (const listener of listeners) listener(child, code);
    });
  let schemaWatch: { close(): void } | undefined;
  let forget: (() => void) | undefined;
  let web: WebDevServer | undefined;
  const stop = async () => {
    schemaWatch?.close();
    forget?.();
    await web?.close();
    for (const child of [...children].reverse()) await stopChild(child);
  };

  const startService = (service: DevService, port: number) =>
    startChild({
      name: service.name,
      args: [compiledEntry(service.entry)],
      cwd: root,
      // Loopback only: a developer's subgraphs and backends are not for the network.
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...service.env(portOf) },
      write,
    });
  // A subgraph reads its SDL at start: restart it on the same port, so the gateway's routes hold.
  // One that is not running (added while the stack runs) is started.
  const restart = async (entry: SubgraphEntry) => {
    // Its code may have changed with its SDL.
    await buildDist(root);
    const index = children.findIndex((child) => child.name === entry.name);
    if (index === -1) return startAdded(entry);
    const service = devServices.find((candidate) => candidate.name === entry.name) ?? (await currentDevService(root, entry.name));
    if (!service) return;
    const old = children[index]!;
    replaced.add(old);
    await stopChild(old);
    const fresh = await startService(service, old.port);
    children[index] = fresh;
    watchExit(fresh);
  };
  // A subgraph added while the stack runs (`portico subgraph add`) listens where the supergraph
  // routes it, since the running gateway was given no other URL for it.
  const startAdded = async (entry: SubgraphEntry) => {
    await buildDist(root);
    const service = await currentDevService(root, entry.name);
    if (!service) {
      write(`dev | ${entry.name} is not in cli/dev/devServices.ts, so portico dev does not run it: start it yourself at ${entry.routingUrl}`);
      return;
    }
    try {
      const child = await startService(service, Number(new URL(entry.routingUrl).port) || service.defaultPort);
      // Before the gateway, which stops first.
      children.splice(
        children.findIndex((candidate) => candidate.name === 'gateway'),
        0,
        child,
      );
      ports.set(child.name, child.port);
      watchExit(child);
      write(`dev | started ${entry.name} at ${service.url(child.port)}`);
    } catch (error) {
      write(`dev | ${entry.name} could not be started: ${(error as Error).message}`);
    }
  };
  const stopRemoved = async (name: string) => {
    const index = children.findIndex((child) => child.name === name);
    if (index === -1) return;
    const [child] = children.splice(index, 1);
    replaced.add(child!);
    await stopChild(child!);
    write(`dev | stopped ${name}: it is no longer in ${supergraphConfig}`);
  };

  const startTier = async (services: DevService[]) => {
    const started = await Promise.all(services.map((service) => startService(service, options.autoPorts ? 0 : service.defaultPort)));
    for (const child of started) {
      children.push(child);
      ports.set(child.name, child.port);
    }
  };

  try {
    await startTier(devServices.filter((service) => service.tier === 'backend'));
    const subgraphs = devServices.filter((service) => service.tier === 'subgraph');
    await startTier(subgraphs);
    const gatewayArgs = ['bin/portico.js', 'gateway', '--supergraph', supergraphFile, '--port', String(options.port), '--host', options.host ?? '127.0.0.1'];
    for (const subgraph of subgraphs) gatewayArgs.push('--subgraph-url', `${subgraph.name}=${subgraph.url(portOf(subgraph.name))}`);
    gatewayArgs.push('--config', options.config ?? demoGatewayConfig);
    children.push(await startChild({ name: 'gateway', args: gatewayArgs, cwd: root, env: process.env, write }));
  } catch (error) {
    await stop();
    throw error;
  }

  const gateway = children[children.length - 1]!;
  for (const service of devServices) write(`dev | ${service.name.padEnd(18)} ${service.url(portOf(service.name))}`);
  children.forEach(watchExit);
  const configFile = join(root, supergraphConfig);
  schemaWatch = watchSubgraphSchemas({
    configFile,
    output: join(root, supergraphFile),
    write,
    beforeWrite: async ({ changed, added }) => {
      const listed = readSupergraphConfig(configFile).subgraphs;
      for (const entry of [...added, ...listed.filter((candidate) => changed.includes(candidate.name))]) await restart(entry);
    },
    afterWrite: async ({ removed }) => {
      for (const name of removed) await stopRemoved(name);
    },
  });
  const gatewayUrl = `http://localhost:${gateway.port}/graphql`;
  if (options.web !== false) {
    // The stack is useful without the web client: a port taken by something else costs only it.
    try {
      web = await startWebDevServer({ root, port: options.autoPorts ? 0 : webPort, gatewayUrl, write });
    } catch (error) {
      write(`dev | the web client is not served: ${(error as Error).message} (free port ${webPort}, or run with --no-web)`);
    }
  }
  forget = announceRunningDev(root, gatewayUrl);
  return { gatewayUrl, webUrl: web?.url, children, stop, onExit: (listener) => void listeners.add(listener) };
}

// A service in devServices.ts as it is on disk now: `portico subgraph add` appends to it while the stack runs.
async function currentDevService(root: string, name: string): Promise<DevService | undefined> {
  return (await readDevServices(root)).find((service) => service.name === name);
}

// devServices.ts as last built (a fresh module each time, not the one this process started with).
async function readDevServices(root: string): Promise<DevService[]> {
  const url = `${pathToFileURL(join(root, compiledEntry('cli/dev/devServices.ts'))).href}?at=${Date.now()}`;
  return ((await import(url)) as { devServices: DevService[] }).devServices;
}

/**
 * Compiles the checkout (scripts/buildDist.js, incremental), so that every child runs the code as
 * it is now: `npm start` builds before starting, but a subgraph restarted or added while the stack
 * runs may have new code. esbuild, which it needs, is a development dependency, as `dev` is.
 */
async function buildDist(root: string): Promise<void> {
  const build = (await import(pathToFileURL(join(root, 'scripts/buildDist.js')).href)) as { buildDist(options: { root: string }): Promise<unknown> };
  await build.buildDist({ root });
}

/** Where the build puts an entry: `subgraphs/accounts/index.ts` runs as `dist/subgraphs/accounts/index.js`. */
function compiledEntry(entry: string): string {
  return join('dist', entry.replace(/\.ts$/, '.js'));
}
