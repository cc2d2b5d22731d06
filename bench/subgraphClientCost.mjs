// What one subgraph request costs the gateway's subgraph client alone (send, resilience,
// de-duplication, signing, parsing), two builds compared in turns (ABAB), each run in a
// process of its own against one answering server in another:
//
//   node bench/subgraphClientCost.mjs --base /work/main --candidate . [--runs 4] [--requests 20000]
//     [--concurrency 20] [--dedup on|off] [--alloc]
//
// Prints, per run, the client process's CPU µs per request (user + system, the server's
// excluded) and, with --alloc, the bytes allocated per request (V8's sampling heap profiler,
// objects collected by either collector included). Both builds must be built (`npm run build`).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    candidate: { type: 'string', default: '.' },
    runs: { type: 'string', default: '4' },
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '20' },
    dedup: { type: 'string', default: 'off' },
    // Entities per request and answer: 20 is a small entity fetch, 200 the size of the benchmark query's.
    entities: { type: 'string', default: '20' },
    alloc: { type: 'boolean', default: false },
    // Internal: run one measurement in this process.
    child: { type: 'string' },
    url: { type: 'string' },
  },
});

if (values.child) await measure(values.child, values.url);
else await compare();

async function compare() {
  if (!values.base) throw new Error('--base <dir> is required');
  // The answer: a small entity list, as an entity fetch gets.
  const answer = JSON.stringify({
    data: {
      _entities: Array.from({ length: Number(values.entities) }, (_, i) => ({ __typename: 'Product', upc: String(i), name: `Product ${i}`, price: i * 100 })),
    },
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  // The server runs in this process: the client's CPU is measured in its own.
  const url = `http://127.0.0.1:${server.address().port}/graphql`;
  const builds = { base: resolve(values.base), candidate: resolve(values.candidate) };
  const results = { base: [], candidate: [] };
  for (let run = 0; run < Number(values.runs); run += 1) {
    for (const build of run % 2 === 0 ? ['base', 'candidate'] : ['candidate', 'base']) {
      const line = await runChild(builds[build], url);
      results[build].push(JSON.parse(line));
      console.log(`run ${run + 1} ${build}: ${line}`);
    }
  }
  server.close();
  const median = (list) => list.slice().sort((a, b) => a - b)[Math.floor(list.length / 2)];
  for (const build of ['base', 'candidate']) {
    const cpu = median(results[build].map((r) => r.cpuMicrosPerRequest));
    const alloc = values.alloc ? `, ${median(results[build].map((r) => r.bytesPerRequest))} bytes allocated per request` : '';
    console.log(`${build}: median ${cpu} µs of CPU per request${alloc}`);
  }
}

function runChild(dir, url) {
  const args = [
    new URL(import.meta.url).pathname,
    '--child',
    dir,
    '--url',
    url,
    '--requests',
    values.requests,
    '--concurrency',
    values.concurrency,
    '--dedup',
    values.dedup,
  ];
  if (values.alloc) args.push('--alloc');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...(process.env.SUBGRAPH_COST_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? done(out.trim()) : fail(new Error(`child exited ${code}`))));
  });
}

async function measure(dir, url) {
  const { createSubgraphClient } = await import(`${dir}/dist/gateway/subgraphRequests/createSubgraphClient.js`);
  const { default: pino } = await import(`${dir}/node_modules/pino/pino.js`);
  const client = createSubgraphClient({
    name: 'products',
    url,
    settings: {
      timeoutMs: 10_000,
      dedupQueries: values.dedup === 'on',
      retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 100, budgetPercent: 20, budgetMinPerSecond: 10 },
      breaker: { enabled: true, failureThreshold: 5, resetTimeoutMs: 10_000 },
    },
    maxConnections: 32,
    signingSecret: 'bench-signing-secret-0123456789',
    propagateHeaders: () => ({}),
    forwardClaims: [],
    forwardToken: false,
    logger: pino({ level: 'silent' }),
    observer: { attempt() {}, retry() {}, deduplicated() {}, breakerState() {} },
  });
  const clientHeaders = new Map([['user-agent', 'bench']]);
  let n = 0;
  const one = () => {
    n += 1;
    const controller = new AbortController();
    const context = { requestId: `req-${n}`, signal: controller.signal, deadlineAt: Date.now() + 30_000, clientAddress: '127.0.0.1', viewer: null };
    const representations = [
      { __typename: 'Product', upc: String(n % 50) },
      { __typename: 'Product', upc: String((n + 1) % 50) },
    ];
    return client.send(
      {
        query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{name price}}}',
        operationName: undefined,
        variables: { representations },
        mutation: false,
      },
      { context, clientHeaders },
    );
  };
  const load = async (total) => {
    let started = 0;
    const worker = async () => {
      while (started < total) {
        started += 1;
        await one();
      }
    };
    await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
  };
  const requests = Number(values.requests);
  await load(Math.min(5000, requests));
  let session;
  if (values.alloc) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  const before = process.cpuUsage();
  await load(requests);
  const used = process.cpuUsage(before);
  const result = { cpuMicrosPerRequest: Math.round((used.user + used.system) / requests) };
  if (session) {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    // For a look at where it goes: SUBGRAPH_COST_PROFILE=file.heapprofile (Chrome DevTools opens it).
    if (process.env.SUBGRAPH_COST_PROFILE) (await import('node:fs')).writeFileSync(process.env.SUBGRAPH_COST_PROFILE, JSON.stringify(profile));
    let bytes = 0;
    const walk = (node) => {
      bytes += node.selfSize;
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    result.bytesPerRequest = Math.round(bytes / requests);
  }
  await client.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
