// `npm run bench:compare -- --base DIR`: this checkout against another build of Portico,
// interleaved slice by slice (see "Comparing two builds" in the README).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { compareBuilds, type CompareOptions } from './compare/compareBuilds.js';
import type { BuildSummary } from './compare/summarizeComparison.js';
import { benchGateways } from './gateways/benchGateways.js';

const positive = (value: string) => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return number;
};
/** Collects repeated `NAME=VALUE` flags into an environment. */
const variable = (value: string, previous: Record<string, string> = {}) => {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
  if (!match) throw new InvalidArgumentError(`expected NAME=VALUE, got "${value}"`);
  return { ...previous, [match[1]!]: match[2]! };
};
/** `--*-node-options` and `--*-env` as one environment; undefined when neither is given. */
const environmentOf = (nodeOptions: string | undefined, env: Record<string, string> | undefined) =>
  nodeOptions === undefined && env === undefined ? undefined : { ...(nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions }), ...env };
/** `--base`: another gateway of the bench by its id (not Portico: a checkout is how to name one), or a checkout's directory. */
const otherGateways = benchGateways.filter((gateway) => gateway.id !== 'portico');
const baseOf = (value: string): CompareOptions['base'] => {
  const gateway = otherGateways.find((candidate) => candidate.id === value);
  return gateway ? { gateway } : { root: resolve(value) };
};
const count = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return number;
};

try {
  const program = new Command('npm run bench:compare --')
    .description('Compares two builds of Portico, or Portico and another gateway, under the same load, in alternating slices on the same CPU.')
    .requiredOption(
      '--base <dir|gateway>',
      `the checkout to measure against, e.g. a \`git worktree\` of the commit before, or another gateway of the bench: ${otherGateways.map((gateway) => gateway.id).join(', ')} (./NAME for a directory of that name)`,
    )
    .option('--candidate <dir>', 'the checkout with the change', fileURLToPath(new URL('..', import.meta.url)))
    .addOption(new Option('--query <name>', 'what each request asks').choices(['one-subgraph', 'benchmark']).default('one-subgraph'))
    .addOption(new Option('--dedup <mode>', "in-flight de-duplication of both sides (Portico's upstream.dedupQueries)").choices(['on', 'off']).default('on'))
    .addOption(new Option('--base-dedup <mode>', "the base's alone, where it differs from the candidate's (default: --dedup)").choices(['on', 'off']))
    .addOption(new Option('--concurrency <n>', 'requests in flight').default(20).argParser(count))
    .addOption(new Option('--warmup <seconds>', 'load on each build before the first slice').default(4).argParser(positive))
    .addOption(new Option('--slices <n>', 'slices per build').default(20).argParser(count))
    .addOption(new Option('--slice-seconds <seconds>', 'length of one slice').default(1).argParser(positive))
    .option('--base-node-options <flags>', "NODE_OPTIONS for the base's gateway (e.g. --max-semi-space-size=8)")
    .option(
      '--candidate-node-options <flags>',
      "NODE_OPTIONS for the candidate's gateway; with --base and --candidate the same checkout, compares launch flags",
    )
    .option('--base-env <NAME=VALUE>', "an environment variable for the base's gateway, repeatable (e.g. MALLOC_ARENA_MAX=16)", variable)
    .option('--candidate-env <NAME=VALUE>', "an environment variable for the candidate's gateway, repeatable", variable)
    .option('--base-node <path>', "the Node.js binary that runs the base's gateway (default: the one running this command)")
    .option(
      '--candidate-node <path>',
      "the Node.js binary that runs the candidate's gateway; with --base and --candidate the same checkout, compares Node versions",
    )
    .exitOverride();
  program.parse(process.argv.slice(2), { from: 'user' });
  const flags = program.opts<{
    base: string;
    candidate: string;
    query: 'one-subgraph' | 'benchmark';
    dedup: 'on' | 'off';
    baseDedup?: 'on' | 'off';
    concurrency: number;
    warmup: number;
    slices: number;
    sliceSeconds: number;
    baseNodeOptions?: string;
    candidateNodeOptions?: string;
    baseEnv?: Record<string, string>;
    candidateEnv?: Record<string, string>;
    baseNode?: string;
    candidateNode?: string;
  }>();

  const base = baseOf(flags.base);
  const env = { base: environmentOf(flags.baseNodeOptions, flags.baseEnv), candidate: environmentOf(flags.candidateNodeOptions, flags.candidateEnv) };
  const comparison = await compareBuilds({
    base,
    candidateRoot: resolve(flags.candidate),
    query: flags.query,
    dedup: { base: flags.baseDedup ?? flags.dedup, candidate: flags.dedup },
    concurrency: flags.concurrency,
    warmupSeconds: flags.warmup,
    slices: flags.slices,
    sliceSeconds: flags.sliceSeconds,
    env,
    nodeBinaries: { base: flags.baseNode && resolve(flags.baseNode), candidate: flags.candidateNode && resolve(flags.candidateNode) },
    onSlice: (index, base, candidate) =>
      process.stderr.write(
        `slice ${index + 1}/${flags.slices}: base ${Math.round(base.requests / base.seconds)} req/s, candidate ${Math.round(candidate.requests / candidate.seconds)} req/s\n`,
      ),
  });
  const row = (name: string, build: BuildSummary) =>
    `| ${name} | ${build.requestsPerSecond.toFixed(0)} | ${build.cpuPerRequestUs.toFixed(0)} | ${build.p50Ms.toFixed(2)} | ${build.p99Ms.toFixed(2)} |`;
  // As each side ran: a base with no de-duplication to switch (Apollo Gateway) says so.
  const ran = comparison.dedup;
  const dedup = ran.base === ran.candidate ? ran.candidate : `${ran.base ?? 'none'} (base), ${ran.candidate} (candidate)`;
  console.log(`\n${flags.query} query, de-dup ${dedup}, ${flags.concurrency} connections, ${flags.slices} slices of ${flags.sliceSeconds} s per build\n`);
  if ('gateway' in base) console.log(`base: ${base.gateway.name}; de-duplication: ${base.gateway.dedup}`);
  for (const [name, variables] of [
    ['base', env.base],
    ['candidate', env.candidate],
  ] as const)
    if (variables !== undefined)
      console.log(
        `${name} environment: ${Object.entries(variables)
          .map(([key, value]) => `${key}=${value}`)
          .join(' ')}`,
      );
  for (const [name, binary] of [
    ['base', flags.baseNode],
    ['candidate', flags.candidateNode],
  ] as const)
    if (binary !== undefined) console.log(`${name} runs on ${binary}`);
  console.log('| build | req/s | gateway CPU µs per request | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|');
  console.log(row(`base (${flags.base})`, comparison.base));
  console.log(row(`candidate (${flags.candidate})`, comparison.candidate));
  const mib = (bytes: number | null) => (bytes === null ? 'unknown' : `${(bytes / 1048576).toFixed(0)} MiB`);
  console.log(`\npeak RSS (start-up included): base ${mib(comparison.peakRssBytes.base)}, candidate ${mib(comparison.peakRssBytes.candidate)}`);
  const { median, lowerQuartile, upperQuartile } = comparison.ratio;
  console.log(
    `\ncandidate ÷ base, requests/s of neighbouring slices: median ${median.toFixed(3)} (quartiles ${lowerQuartile.toFixed(3)} to ${upperQuartile.toFixed(3)})`,
  );
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else {
    console.error(`bench:compare: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
