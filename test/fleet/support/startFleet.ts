import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, fetch } from 'undici';
import { parse, stringify } from 'yaml';
import { runGatewayProcess } from '../../gateway/fixtures/runGatewayProcess.js';
import type { EntryProcess } from '../../support/runEntryProcess.js';
import { startDemoBackends, type DemoBackends } from '../../support/startDemoBackends.js';
import { startRedis, type RunningRedis } from '../../support/startRedis.js';
import { startSubgraphs, testSigningSecret, type RunningSubgraphs } from '../../support/startSubgraphs.js';
import { freePort } from '../../support/freePort.js';

/** The fleet's operation-name rate limit: `FleetLimited` operations per client per minute, across replicas. */
export const fleetRuleLimit = 25;
/** How often every replica asks the supergraph URL for a new supergraph. */
export const supergraphPollMs = 500;
/** How often HAProxy asks each replica's /ready; a replica is out after two failures. */
const checkIntervalMs = 250;

export interface FleetGateway {
  /** `gateway1`…, as HAProxy names the server. */
  name: string;
  /** `http://127.0.0.1:PORT`: the replica itself, past the load balancer. */
  origin: string;
  port: number;
  process: EntryProcess;
}

export interface Fleet {
  /** `https://127.0.0.1:PORT`: HAProxy, TLS terminated with the certificate `deploy/make-secrets.sh` made. */
  origin: string;
  /** Trusts that certificate; use it for every request to `origin`. */
  dispatcher: Agent;
  gateways: FleetGateway[];
  redis: RunningRedis;
  /** Serves `sdl` at the supergraph URL every replica polls, from the next poll on. */
  publishSupergraph(sdl: string): void;
  /** The supergraph served at start. */
  supergraphSdl: string;
  /** SIGTERM to one replica, wait for it to drain and exit, and start its replacement on the same port. */
  replace(index: number): Promise<void>;
  /** Each replica's state as HAProxy sees it (`UP`, `DOWN`, `MAINT`, …), from its stats page. */
  serverStates(): Promise<Record<string, string>>;
  /** How long each `replace` took to drain the old process, start the new one, and see it up in HAProxy. */
  timings: Array<{ replica: string; drainedMs: number; startedMs: number; upMs: number }>;
  /** Everything HAProxy wrote. */
  lbOutput(): string;
  close(): Promise<void>;
}

/**
 * The deployment of deploy/ on loopback, without Docker: HAProxy from Debian with
 * `deploy/haproxy.cfg` (set by its environment variables, as Compose sets them) in front of
 * `replicas` real `portico gateway` processes configured as `deploy/gateway.yaml` configures them,
 * sharing one real Redis, in front of the demo subgraphs and backends (in this process: they are
 * not what is tested). `.ci/run` installs haproxy and redis-server where they are missing.
 */
export async function startFleet(replicas = 3): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-fleet-'));
  mkdirSync(join(dir, 'deploy'));
  const made = spawnSync('bash', [resolve('deploy/make-secrets.sh'), dir, 'localhost'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`deploy/make-secrets.sh failed: ${made.stderr}`);

  // What has started, stopped in reverse order by close(), or at once when the start fails midway.
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    return await startParts(dir, replicas, stops, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function startParts(dir: string, replicas: number, stops: Array<() => Promise<unknown>>, stopAll: () => Promise<void>): Promise<Fleet> {
  const certificate = readFileSync(join(dir, 'deploy/secrets/portico.crt'));
  const backends: DemoBackends = await startDemoBackends();
  stops.push(() => backends.close());
  const subgraphs: RunningSubgraphs = await startSubgraphs(backends);
  stops.push(() => subgraphs.close());
  const redis = await startRedis();
  stops.push(() => redis.stop());
  const supergraphSdl = readFileSync('schema/supergraph.graphql', 'utf8');
  let served = supergraphSdl;
  const supergraphServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(served));
  await new Promise<void>((done) => supergraphServer.listen(0, '127.0.0.1', done));
  stops.push(() => new Promise((done) => supergraphServer.close(done)));
  const supergraphUrl = `http://127.0.0.1:${(supergraphServer.address() as net.AddressInfo).port}/supergraph.graphql`;

  // deploy/gateway.yaml as Compose runs it, with loopback addresses, the supergraph from a URL,
  // the fleet's own rate-limit rule, and a drain delay to match the checks' interval here.
  const deployed = parse(readFileSync('deploy/gateway.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
  const configFile = join(dir, 'gateway.yaml');
  writeFileSync(
    configFile,
    stringify({
      ...deployed,
      introspection: true,
      supergraph: { url: supergraphUrl, pollIntervalMs: supergraphPollMs },
      subgraphs: Object.fromEntries(Object.entries(subgraphs.urls).map(([name, url]) => [name, { url }])),
      rateLimit: {
        ...deployed.rateLimit,
        // The rule's 429s at once (not held until its window resets): the point here is the sum across replicas.
        perAddress: { windowSeconds: 60, limit: 1_000_000, holdRefusalsMs: 0 },
        default: { windowSeconds: 60, limit: 1_000_000 },
        rules: [{ name: 'fleet', operationName: 'FleetLimited', windowSeconds: 60, limit: fleetRuleLimit }],
      },
      server: { ...deployed.server, drainDelayMs: checkIntervalMs * 5, shutdownGracePeriodMs: 5000 },
      metrics: { ...deployed.metrics, port: 0, host: '127.0.0.1' },
    }),
  );
  const startGateway = async (name: string, port: number): Promise<FleetGateway> => {
    const child = runGatewayProcess(['--config', configFile, '--port', String(port), '--host', '127.0.0.1'], {
      NODE_ENV: 'production',
      PORTICO_SIGNING_SECRET: testSigningSecret,
      REDIS_URL: redis.url,
      PORTICO_TRUSTED_PROXIES: '127.0.0.1',
      // The fleet's own operations are not the web client's manifest (deploy/gateway.yaml requires it).
      PORTICO_TRUSTED_DOCUMENTS: 'off',
      LOG_LEVEL: 'warn',
    });
    await child.port;
    return { name, origin: `http://127.0.0.1:${port}`, port, process: child };
  };
  const ports = await Promise.all(Array.from({ length: replicas }, freePort));
  const gateways: FleetGateway[] = [];
  // Whichever replica is in a slot now, replacements included.
  stops.push(() => Promise.all(gateways.map((gateway) => stop(gateway.process.child))));
  const starting = await Promise.allSettled(ports.map((port, index) => startGateway(`gateway${index + 1}`, port)));
  for (const started of starting) if (started.status === 'fulfilled') gateways.push(started.value);
  const failed = starting.find((started) => started.status === 'rejected');
  if (failed) throw failed.reason;

  const [lbPort, statsPort] = [await freePort(), await freePort()];
  const lb = spawn('haproxy', ['-db', '-f', resolve('deploy/haproxy.cfg')], {
    env: {
      PATH: process.env.PATH,
      PORTICO_LB_BIND: `127.0.0.1:${lbPort}`,
      PORTICO_LB_CERT: join(dir, 'deploy/secrets/portico.pem'),
      PORTICO_LB_STATS_BIND: `127.0.0.1:${statsPort}`,
      PORTICO_LB_CHECK_INTERVAL: `${checkIntervalMs}ms`,
      PORTICO_LB_LOG_LEVEL: 'err',
      PORTICO_LB_SHOW_REPLICA: '1',
      ...Object.fromEntries(gateways.map((gateway, index) => [`PORTICO_GATEWAY_${index + 1}`, `127.0.0.1:${gateway.port}`])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stops.push(() => stop(lb));
  let lbOutput = '';
  lb.stdout.on('data', (chunk: Buffer) => (lbOutput += chunk.toString()));
  lb.stderr.on('data', (chunk: Buffer) => (lbOutput += chunk.toString()));

  const serverStates = async (): Promise<Record<string, string>> => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    const [header, ...rows] = csv.trim().split('\n');
    const columns = header!.replace(/^# /, '').split(',');
    const [proxy, server, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name));
    const states: Record<string, string> = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[proxy!] === 'gateways' && cells[server!]?.startsWith('gateway')) states[cells[server!]!] = cells[status!]!;
    }
    return states;
  };
  const whenUp = async (names: string[]) => {
    for (let waited = 0; ; waited += 100) {
      const states = await serverStates().catch(() => ({}) as Record<string, string>);
      if (names.every((name) => states[name] === 'UP')) return;
      if (lb.exitCode !== null) throw new Error(`haproxy exited with ${lb.exitCode}:\n${lbOutput}`);
      if (waited > 20_000) throw new Error(`HAProxy did not see ${names.join(', ')} up: ${JSON.stringify(states)}\n${lbOutput}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  };
  await whenUp(gateways.map((gateway) => gateway.name));

  const timings: Fleet['timings'] = [];
  const dispatcher = new Agent({ connect: { ca: certificate, servername: 'localhost' }, keepAliveTimeout: 4000 });
  stops.push(() => dispatcher.close());
  return {
    timings,
    origin: `https://127.0.0.1:${lbPort}`,
    dispatcher,
    gateways,
    redis,
    supergraphSdl,
    publishSupergraph: (sdl) => {
      served = sdl;
    },
    async replace(index) {
      const old = gateways[index]!;
      const startedAt = Date.now();
      old.process.child.kill('SIGTERM');
      const code = await old.process.exited;
      if (code !== 0) throw new Error(`${old.name} exited with ${code} after SIGTERM:\n${old.process.output()}`);
      const stoppedAt = Date.now();
      gateways[index] = await startGateway(old.name, old.port);
      const listeningAt = Date.now();
      await whenUp([old.name]);
      timings.push({ replica: old.name, drainedMs: stoppedAt - startedAt, startedMs: listeningAt - stoppedAt, upMs: Date.now() - listeningAt });
    },
    serverStates,
    lbOutput: () => lbOutput,
    close: stopAll,
  };
}

/** SIGTERM, and wait for the exit; nothing to do for a process already gone. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
