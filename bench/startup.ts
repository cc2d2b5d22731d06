// `npm run bench:startup`: how long `portico gateway` takes from spawn to its first answered
// query (issue 16: within 1 s; issue 21: 0.5 s), the bench subgraphs behind it, NODE_ENV=production.
// With --base DIR, that checkout's start is measured too, in turns with this one's, so that the
// machine's load falls on both alike; the CPU time the gateway used by its first answer is
// reported beside the wall time, since it moves less with the machine's load.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { request } from 'undici';
import { oneSubgraphQuery } from './benchQuery.js';
import { composeBenchSupergraph } from './composeBenchSupergraph.js';
import { findFreePort } from './gateways/startGatewayProcess.js';
import { readCpuSeconds } from './compare/readCpuSeconds.js';
import { percentile } from './load/percentile.js';
import { spawnBenchSubgraphs } from './subgraphs/spawnBenchSubgraphs.js';
import { porticoGatewayArgs, porticoImageEnv } from './gateways/porticoGatewayArgs.js';

const count = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return number;
};

interface Start {
  /** From spawn to the first 200 answer. */
  wallMs: number;
  /** CPU time (user + system) the gateway process had used by then. */
  cpuMs: number;
}

/** From spawning the gateway to its first 200 answer to `body`, polled every 5 ms. */
async function timeToFirstAnswer(node: string, nodeArgs: readonly string[], root: string, supergraphFile: string, body: string): Promise<Start> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const startedAt = performance.now();
  const child = spawn(node, porticoGatewayArgs({ root, config: join(root, 'bench/gateways/portico.yaml'), supergraph: supergraphFile, port, nodeArgs }), {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_DEDUP: 'true',
      PORTICO_SIGNING_SECRET: randomBytes(24).toString('hex'),
      ...porticoImageEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4096)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the gateway exited before answering:\n${output}`);
      if (performance.now() - startedAt > 180_000) throw new Error(`no answer within 180 s:\n${output}`);
      try {
        const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, headersTimeout: 10_000 });
        await response.body.dump();
        if (response.statusCode === 200) return { wallMs: performance.now() - startedAt, cpuMs: readCpuSeconds(child.pid!) * 1000 };
      } catch {
        // Not listening yet.
      }
      await sleep(5);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Median, p90 and range of `values`, in whole milliseconds. */
function summary(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const ms = (value: number) => Math.round(value);
  return `median ${ms(percentile(sorted, 50))}, p90 ${ms(percentile(sorted, 90))}, min ${ms(sorted[0]!)}, max ${ms(sorted.at(-1)!)} ms`;
}

try {
  const program = new Command('npm run bench:startup --')
    .description('Spawns `portico gateway` again and again and reports the time to its first answered query.')
    .option('--runs <n>', 'how many starts (of each checkout)', count, 10)
    .option('--node <path>', 'the Node.js binary to run the gateway with', process.execPath)
    .option('--root <dir>', 'the checkout to start', fileURLToPath(new URL('..', import.meta.url)))
    .option('--base <dir>', 'another checkout to start in turns with it (built as it is)')
    .option('--node-args <args>', 'Node flags for the gateway, space-separated (e.g. "--cpu-prof --cpu-prof-dir=DIR")', '')
    .exitOverride();
  program.parse(process.argv.slice(2), { from: 'user' });
  const flags = program.opts<{ runs: number; node: string; root: string; base?: string; nodeArgs: string }>();
  const nodeArgs = flags.nodeArgs.split(' ').filter(Boolean);
  const roots = [resolve(flags.root), ...(flags.base ? [resolve(flags.base)] : [])];
  const subgraphs = await spawnBenchSubgraphs();
  try {
    const supergraphFile = join(mkdtempSync(join(tmpdir(), 'portico-startup-')), 'supergraph.graphql');
    writeFileSync(supergraphFile, composeBenchSupergraph(subgraphs.urls));
    const body = JSON.stringify({ query: oneSubgraphQuery });
    const starts = roots.map((): Start[] => []);
    for (let run = 0; run < flags.runs; run += 1) {
      // ABBA, as bench:compare: neither checkout always starts first.
      const order = run % 2 === 0 ? roots.map((_, index) => index) : roots.map((_, index) => roots.length - 1 - index);
      for (const index of order) {
        const start = await timeToFirstAnswer(flags.node, nodeArgs, roots[index]!, supergraphFile, body);
        starts[index]!.push(start);
        process.stderr.write(`start ${run + 1}/${flags.runs} of ${roots[index]}: ${Math.round(start.wallMs)} ms, ${Math.round(start.cpuMs)} ms CPU\n`);
      }
    }
    const version = execFileSync(flags.node, ['--version']).toString().trim();
    console.log(`\nNode ${version}, ${flags.runs} starts each, spawn to the first answered query:\n`);
    for (const [index, root] of roots.entries()) {
      const times = starts[index]!;
      console.log(`${root}\n  wall: ${summary(times.map((start) => start.wallMs))}\n  CPU:  ${summary(times.map((start) => start.cpuMs))}`);
    }
  } finally {
    await subgraphs.close();
  }
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else {
    console.error(`bench:startup: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
