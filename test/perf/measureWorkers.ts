// Requests per second of `portico gateway --workers N` for several N, one after the other, on
// the same fixture subgraphs and query: a rough closed-loop measurement, not the benchmark.
//
//   node --import tsx test/perf/measureWorkers.ts [--workers 1,2] [--seconds 20] [--concurrency 32]
//
// The subgraphs (behind a cache of their answers) and the load generator run in this process, on
// the same machine as the gateway workers: they compete with them for the CPUs, so the numbers
// understate what N workers give on a machine where the gateway has its cores to itself.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { productsSubgraph } from '../gateway/fixtures/products.js';
import { reviewsSubgraph } from '../gateway/fixtures/reviews.js';
import { startSubgraph } from '../gateway/fixtures/startSubgraph.js';
import { writeSupergraph } from '../gateway/fixtures/writeSupergraph.js';
import { nodeChildrenOf } from '../support/nodeChildrenOf.js';
import { runEntryProcess } from '../support/runEntryProcess.js';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
  },
});
const workerCounts = values.workers.split(',').map(Number);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const concurrency = Number(values.concurrency);

/**
 * The subgraph behind a cache of its answers by request body, as the benchmark subgraphs of
 * issue 7 are: what the gateway sends for one query is always the same, so after the first
 * request the subgraph costs next to nothing and the gateway is what is measured.
 */
async function memoize(url: string): Promise<{ url: string; close(): Promise<void> }> {
  const answers = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const known = answers.get(body);
      const answer = known
        ? Promise.resolve(known)
        : fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((response) => response.text());
      void answer.then((text) => {
        answers.set(body, text);
        res.writeHead(200, { 'content-type': 'application/json' }).end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// One subgraph fetch per request: the gateway's own work (HTTP, parse, plan cache, fetch, merge) dominates.
const body = JSON.stringify({ query: 'query Top { topProducts(first: 3) { upc name price } }' });

interface Result {
  workers: number;
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU time of the gateway's processes (primary and workers) per second of the run: 1.0 is one core. */
  cores: number;
}

// Linux's USER_HZ: /proc/PID/stat counts CPU time in hundredths of a second.
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) the gateway's processes have used so far, from /proc (Linux). */
function cpuSecondsOf(primary: number): number {
  let ticks = 0;
  for (const pid of [primary, ...nodeChildrenOf(primary)]) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after the command name.
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SECOND;
}

/** Keeps `concurrency` requests in flight on keep-alive connections for `ms`, and times each. */
async function load(origin: string, ms: number): Promise<{ latencies: number[]; errors: number }> {
  const pool = new Pool(origin, { connections: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + ms;
  const loop = async () => {
    while (performance.now() < until) {
      const start = performance.now();
      try {
        const response = await pool.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await response.body.text();
        if (response.statusCode !== 200 || text.includes('"errors"')) errors += 1;
        else latencies.push(performance.now() - start);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  await pool.close();
  return { latencies, errors };
}

async function measure(supergraphPath: string, configFile: string, workers: number): Promise<Result> {
  const gateway = runEntryProcess(
    'cli/main.ts',
    ['gateway', '--supergraph', supergraphPath, '--config', configFile, '--port', '0', '--host', '127.0.0.1', '--workers', String(workers)],
    { LOG_LEVEL: 'warn', NODE_ENV: 'production', PORTICO_SIGNING_SECRET: 'measure-workers-signing-secret-0123456789' },
  );
  try {
    const origin = `http://127.0.0.1:${await gateway.port}`;
    await load(origin, warmupSeconds * 1000);
    const cpuBefore = cpuSecondsOf(gateway.child.pid!);
    const { latencies, errors } = await load(origin, seconds * 1000);
    const cores = (cpuSecondsOf(gateway.child.pid!) - cpuBefore) / seconds;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return { workers, requests: latencies.length, errors, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), cores };
  } finally {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'portico-workers-'));
const subgraphs = [await startSubgraph(productsSubgraph), await startSubgraph(reviewsSubgraph)];
const memoized = await Promise.all(subgraphs.map((subgraph) => memoize(subgraph.url)));
try {
  const supergraphPath = writeSupergraph(
    dir,
    subgraphs.map((subgraph, i) => ({ ...subgraph, url: memoized[i]!.url })),
  );
  // Nothing between the load and the gateway's own work: no rate limits, no hot-reload polling.
  const configFile = path.join(dir, 'gateway.yaml');
  writeFileSync(configFile, 'rateLimit:\n  enabled: false\nsupergraph:\n  watch: false\n');
  console.log(`${availableParallelism()} CPUs; ${concurrency} requests in flight; ${warmupSeconds} s warm-up, then ${seconds} s measured per run`);
  const results: Result[] = [];
  for (const workers of workerCounts) {
    const result = await measure(supergraphPath, configFile, workers);
    results.push(result);
    console.log(
      `workers ${workers}: ${result.perSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ` +
        `gateway CPU ${result.cores.toFixed(2)} cores, ${result.errors} errors`,
    );
  }
  const base = results[0]!;
  console.log('\n| workers | requests/s | vs. first | p50 (ms) | p99 (ms) | gateway CPU (cores) | errors |\n|---|---|---|---|---|---|---|');
  for (const r of results) {
    const ratio = (r.perSecond / base.perSecond).toFixed(2);
    console.log(`| ${r.workers} | ${r.perSecond.toFixed(0)} | ${ratio}× | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.cores.toFixed(2)} | ${r.errors} |`);
  }
} finally {
  await Promise.all([...memoized.map((memo) => memo.close()), ...subgraphs.map((subgraph) => subgraph.stop())]);
  rmSync(dir, { recursive: true, force: true });
}
