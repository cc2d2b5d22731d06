import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, fetch } from 'undici';
import type { EntryProcess } from '../support/runEntryProcess.js';
import { nodeChildrenOf, isRunning } from '../support/nodeChildrenOf.js';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { runGatewayProcess } from './fixtures/runGatewayProcess.js';
import { startShop, type Shop } from './fixtures/startShop.js';

const workersAccepted = 'a whole number of at least 1, or "auto" (one per available CPU)';

let shop: Shop;

beforeAll(async () => {
  shop = await startShop();
});

afterAll(async () => {
  releaseSlowFields();
  await shop?.stop();
});

/** Runs `portico gateway --workers N` on a free port of 127.0.0.1. */
function runWorkers(workers: number, args: string[] = []): EntryProcess {
  return runGatewayProcess(['--supergraph', shop.supergraphPath, '--port', '0', '--host', '127.0.0.1', '--workers', String(workers), ...args]);
}

/**
 * Each call on a connection of its own: the cluster primary hands every new connection to the
 * next worker, so that requests on fresh connections reach every worker in turn.
 */
async function onNewConnection<T>(send: (dispatcher: Agent) => Promise<T>): Promise<T> {
  const agent = new Agent();
  try {
    return await send(agent);
  } finally {
    await agent.close();
  }
}

async function topProduct(origin: string, operationName = 'Top') {
  const { response, body } = await onNewConnection((agent) =>
    postGraphQL(origin, { query: `query ${operationName} { topProducts(first: 1) { name } }` }, {}, agent),
  );
  return { status: response.status, body };
}

/**
 * Which processes answered: each worker logs a refused request (a 404) with its pid, as JSON.
 * Sends `count` of them, on fresh connections, and reads the pids from the log lines they left.
 */
async function pidsAnswering(run: EntryProcess, origin: string, count: number): Promise<number[]> {
  const marker = `/who-answers-${Math.random().toString(36).slice(2)}`;
  for (let i = 0; i < count; i += 1) {
    const status = await onNewConnection((agent) => fetch(`${origin}${marker}`, { dispatcher: agent }).then((response) => response.status));
    expect(status).toBe(404);
  }
  const lines = () =>
    run
      .output()
      .split('\n')
      .filter((line) => line.includes(`"path":"${marker}"`));
  await vi.waitFor(() => expect(lines()).toHaveLength(count));
  return [...new Set(lines().map((line) => (JSON.parse(line) as { pid: number }).pid))].sort((a, b) => a - b);
}

describe('portico gateway --workers 2', () => {
  let run: EntryProcess;
  let origin: string;

  beforeAll(async () => {
    run = runWorkers(2);
    origin = `http://127.0.0.1:${await run.port}`;
  });

  afterAll(async () => {
    if (run.child.exitCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  });

  it('serves from two worker processes, children of the primary, and requests reach both', async () => {
    const workers = nodeChildrenOf(run.child.pid!);
    expect(workers).toHaveLength(2);
    expect((await topProduct(origin)).body.data).toEqual({ topProducts: [{ name: 'Table' }] });
    expect(await pidsAnswering(run, origin, 6)).toEqual(workers);
    // The primary announces once and logs the URLs once, not once per worker.
    expect(run.output().match(/GraphQL: http:\/\/127\.0\.0\.1:\d+\/graphql/g)).toHaveLength(1);
    expect(run.output()).toContain('2 workers serving port');
  });

  it('counts every request in /metrics, whichever worker answers the scrape', async () => {
    const requests = 7;
    for (let i = 0; i < requests; i += 1) expect((await topProduct(origin, 'Counted')).status).toBe(200);
    const labels = { operation_name: 'Counted', outcome: 'success' };
    for (let scrape = 0; scrape < 4; scrape += 1) {
      const text = await onNewConnection(async (agent) => {
        const response = await fetch(`${origin}/metrics`, { dispatcher: agent });
        expect(response.status).toBe(200);
        return response.text();
      });
      const samples = parsePrometheusText(text);
      expect(valueOf(samples, 'portico_requests_total', labels)).toBe(requests);
      expect(valueOf(samples, 'portico_request_duration_seconds_count', { operation_type: 'query', outcome: 'success' })).toBeGreaterThanOrEqual(requests);
      // A gauge is not summed: the worst breaker state of any worker.
      expect(valueOf(samples, 'portico_subgraph_breaker_state', { subgraph: 'products' })).toBe(0);
    }
  });

  it('replaces a worker killed with SIGKILL, and requests keep succeeding', async () => {
    const [victim, survivor] = nodeChildrenOf(run.child.pid!);
    process.kill(victim!, 'SIGKILL');
    // Once the primary knows, it hands no connection to the dead worker.
    await vi.waitFor(() => expect(run.output()).toMatch(new RegExp(`pid ${victim}\\) exited unexpectedly \\(signal SIGKILL\\)`)), { timeout: 10_000 });
    for (let i = 0; i < 4; i += 1) {
      const { status, body } = await topProduct(origin);
      expect(status).toBe(200);
      expect(body.data).toEqual({ topProducts: [{ name: 'Table' }] });
    }
    const replaced = () => nodeChildrenOf(run.child.pid!).filter((pid) => pid !== survivor && pid !== victim);
    await vi.waitFor(() => expect(replaced()).toHaveLength(1), { timeout: 30_000 });
    await vi.waitFor(() => expect(run.output()).toMatch(new RegExp(`worker \\d+ \\(pid ${replaced()[0]}\\) listening`)), { timeout: 30_000 });
    expect(await pidsAnswering(run, origin, 6)).toEqual([survivor!, replaced()[0]!].sort((a, b) => a - b));
  });

  it('drains every worker on SIGTERM: requests in flight finish, it exits 0 and leaves no process behind', async () => {
    const workers = nodeChildrenOf(run.child.pid!);
    const tags = ['workers-1', 'workers-2'];
    const slow = tags.map((tag) => onNewConnection((agent) => postGraphQL(origin, { query: `{ slow: slowField(tag: "${tag}") }` }, {}, agent)));
    await vi.waitFor(() => expect(tags.map(pendingSlowFields)).toEqual([1, 1]), { timeout: 10_000 });

    run.child.kill('SIGTERM');
    await vi.waitFor(() => expect(run.output().match(/asked by the cluster primary: draining/g)).toHaveLength(2));
    releaseSlowFields();
    for (const { response, body } of await Promise.all(slow)) {
      expect(response.status).toBe(200);
      expect(body.data?.slow).toBe('finally');
    }
    expect(await run.exited).toBe(0);
    for (const pid of workers) expect(isRunning(pid), `worker ${pid}`).toBe(false);
  });
});

describe('portico gateway --workers 2 with metrics.listener: internal', () => {
  let run: EntryProcess;
  let origin: string;
  let metricsOrigin: string;

  beforeAll(async () => {
    const config = path.join(shop.dir, 'internal-metrics.yaml');
    writeFileSync(config, 'metrics:\n  listener: internal\n');
    run = runWorkers(2, ['--config', config]);
    origin = `http://127.0.0.1:${await run.port}`;
    const line = /metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics \(internal listener\)/;
    await vi.waitFor(() => expect(run.output()).toMatch(line));
    metricsOrigin = line.exec(run.output())![1]!;
  });

  afterAll(async () => {
    if (run.child.exitCode === null) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it("serves every worker's metrics, summed, on the primary's internal listener, and none on the public port", async () => {
    const requests = 5;
    for (let i = 0; i < requests; i += 1) expect((await topProduct(origin, 'Internal')).status).toBe(200);
    for (let scrape = 0; scrape < 3; scrape += 1) {
      const { status, text } = await onNewConnection(async (agent) => {
        const response = await fetch(`${metricsOrigin}/metrics`, { dispatcher: agent });
        return { status: response.status, text: await response.text() };
      });
      expect(status).toBe(200);
      expect(valueOf(parsePrometheusText(text), 'portico_requests_total', { operation_name: 'Internal', outcome: 'success' })).toBe(requests);
    }
    for (let i = 0; i < 2; i += 1) {
      const status = await onNewConnection((agent) =>
        fetch(`${origin}/metrics`, { dispatcher: agent }).then(async (response) => (await response.text(), response.status)),
      );
      expect(status).toBe(404);
    }
  });

  it('answers 503 SERVICE_NOT_READY rather than a partial sum while a worker cannot answer, and sums again once it can', async () => {
    const [stopped] = nodeChildrenOf(run.child.pid!);
    const scrape = () =>
      onNewConnection(async (agent) => {
        const response = await fetch(`${metricsOrigin}/metrics`, { dispatcher: agent });
        return { status: response.status, text: await response.text() };
      });
    process.kill(stopped!, 'SIGSTOP');
    try {
      const { status, text } = await scrape();
      expect(status).toBe(503);
      expect(JSON.parse(text)).toEqual({
        errors: [{ message: expect.stringMatching(/^Metrics are unavailable: /), extensions: { code: 'SERVICE_NOT_READY' } }],
      });
    } finally {
      process.kill(stopped!, 'SIGCONT');
    }
    await vi.waitFor(async () => expect((await scrape()).status).toBe(200), { timeout: 20_000 });
  });

  // Last here: it ends this cluster (a cluster of its own would cost three more process starts).
  it('leaves no worker behind when the primary is killed outright', async () => {
    const workers = nodeChildrenOf(run.child.pid!);
    expect(workers).toHaveLength(2);
    run.child.kill('SIGKILL');
    await run.exited;
    // Node's cluster ends a worker whose channel to the primary closes unexpectedly.
    await vi.waitFor(() => expect(workers.filter(isRunning)).toEqual([]), { timeout: 20_000 });
  });
});

describe('portico gateway --workers: refusals and failures', () => {
  // Each bad value's message is loadGatewayConfig.test.ts's; this is the command's way out.
  it.each(['2.5'])('refuses --workers %s with a message, before forking', async (value) => {
    const run = runGatewayProcess(['--supergraph', shop.supergraphPath, '--port', '0', '--workers', value]);
    expect(await run.exited).toBe(1);
    const got = /^\d+$/.test(value) ? value : JSON.stringify(value);
    expect(run.output()).toContain(`portico gateway: Invalid gateway configuration: server.workers: must be ${workersAccepted} (got ${got})`);
    expect(run.output()).not.toContain('starting');
  });

  it('exits 1 with the message on a bad config, and forks nothing', async () => {
    const run = runGatewayProcess(['--supergraph', path.join(shop.dir, 'missing.graphql'), '--port', '0', '--workers', '2']);
    const seen = new Set<number>();
    const watch = setInterval(() => nodeChildrenOf(run.child.pid!).forEach((pid) => seen.add(pid)), 5);
    expect(await run.exited).toBe(1);
    clearInterval(watch);
    expect(run.output()).toContain(`portico gateway: Invalid gateway configuration: supergraph.path: no file at ${path.join(shop.dir, 'missing.graphql')}`);
    expect(run.output()).not.toContain('starting 2 workers');
    expect(seen.size).toBe(0);
  });

  it("exits 1 when a worker cannot start, with the worker's message", async () => {
    // Only building the gateway finds that the supergraph has no such subgraph.
    const run = runWorkers(2, ['--subgraph-url', 'inventory=http://inventory.invalid/graphql']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/portico gateway: Invalid gateway configuration: subgraphs\.inventory: no subgraph of that name/);
    expect(run.output()).toMatch(/portico gateway: worker \d exited \(code 1\) before all 2 workers were listening; stopping/);
  });

  it('gives up with exit 1 when replacement workers keep dying before they listen', { timeout: 180_000 }, async () => {
    // Replacements are built from the supergraph file, which goes away once the first workers serve.
    const supergraph = path.join(shop.dir, 'crash-loop.graphql');
    copyFileSync(shop.supergraphPath, supergraph);
    const run = runGatewayProcess(['--supergraph', supergraph, '--port', '0', '--host', '127.0.0.1', '--workers', '2']);
    await run.port;
    rmSync(supergraph);
    const [victim, survivor] = nodeChildrenOf(run.child.pid!);
    process.kill(victim!, 'SIGKILL');
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(
      'portico gateway: workers keep dying at start (5 workers in a row died before they could listen; the last exited with code 1); stopping',
    );
    expect(run.output().match(/supergraph\.path: the gateway cannot load|supergraph\.path: .*crash-loop\.graphql/g)?.length).toBeGreaterThanOrEqual(5);
    // The worker that kept serving was drained, not left behind.
    expect(isRunning(survivor!)).toBe(false);
  });
});
