import { Command, InvalidArgumentError, Option } from 'commander';
import { attackIds, type AttackId } from './attack/attackIds.js';
import { benchGateways, type BenchGatewayId } from './gateways/benchGateways.js';

export interface BenchOptions {
  concurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Measured seconds of each one-request-at-a-time run of the overhead measurement. */
  overheadSeconds: number;
  gateways: BenchGatewayId[];
  throughput: boolean;
  overhead: boolean;
  backendCalls: boolean;
  /** The "under attack" scenario. */
  attack: boolean;
  /** The attacks it runs, in `benchAttacks` order. */
  attacks: AttackId[];
  /** Measured seconds of the quiet run and of each attack. */
  attackSeconds: number;
  /** The subscription scenario. */
  subscriptions: boolean;
  /** Its numbers of subscribers, one run per gateway each. */
  subscribers: number[];
  /** Reviews written per second in it. */
  subscriptionEventsPerSecond: number;
  /** Its measured seconds of events per run. */
  subscriptionSeconds: number;
  /** Where each gateway process writes its V8 CPU profile (`--cpu-prof`); null: not profiled. */
  profileDir: string | null;
  /** Where the results go; the files are named `<name>.json` and `<name>.md`: `latest`, `quick` or `partial`. */
  outDir: string;
  name: string;
}

const gatewayIds = benchGateways.map((gateway) => gateway.id);
/** The measurements `--only` chooses from, each also skipped by its `--no-…` flag. */
const measurements = ['throughput', 'overhead', 'backend-calls', 'attack', 'subscriptions'] as const;
type Measurement = (typeof measurements)[number];

/**
 * `npm run bench -- [flags]`. Defaults keep a full run within about ten minutes on two cores;
 * `--quick` within about two. Each number flag also reads an environment variable.
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const program = new Command('npm run bench --')
    .description('Benchmarks Portico against vanilla Apollo Gateway and Hive Gateway on the community federation benchmark.')
    .option('--quick', 'a short run: 2 s warm-up, 5 s measured, 3 s per overhead run and per attack; results named quick.*', false)
    .addOption(new Option('--concurrency <n>', 'requests in flight').default(50).env('BENCH_CONCURRENCY').argParser(positive))
    .addOption(new Option('--warmup <seconds>', 'warm-up before each measured run').env('BENCH_WARMUP').argParser(positive))
    .addOption(new Option('--duration <seconds>', 'measured seconds per gateway and mode').env('BENCH_DURATION').argParser(positive))
    .addOption(new Option('--overhead-duration <seconds>', 'measured seconds per overhead run').env('BENCH_OVERHEAD_DURATION').argParser(positive))
    .addOption(
      new Option('--gateways <ids>', `comma-separated, from ${gatewayIds.join(', ')}`).default(gatewayIds, 'all').env('BENCH_GATEWAYS').argParser(gatewayList),
    )
    .option('--no-throughput', 'skip the load runs of the benchmark query')
    .option('--no-overhead', 'skip the gateway overhead measurement')
    .option('--no-backend-calls', 'skip the demo stack backend calls measurement')
    .option('--no-attack', 'skip the "under attack" scenario')
    .option('--no-subscriptions', 'skip the subscription scenario')
    .addOption(new Option('--only <measurements>', `run only these, comma-separated, from ${measurements.join(', ')}`).argParser(measurementList))
    .addOption(
      new Option('--attack-duration <seconds>', 'measured seconds of the quiet run and of each attack').env('BENCH_ATTACK_DURATION').argParser(positive),
    )
    .addOption(
      new Option('--attacks <ids>', `comma-separated, from ${attackIds.join(', ')}`).default(attackIds, 'all').env('BENCH_ATTACKS').argParser(attackList),
    )
    .addOption(
      new Option('--subscribers <n>', 'subscribers of the subscription scenario, comma-separated for several runs (default 1000,10000; 1000 with --quick)')
        .env('BENCH_SUBSCRIBERS')
        .argParser(positiveList),
    )
    .addOption(
      new Option('--event-rate <n>', 'reviews written per second in the subscription scenario').default(20).env('BENCH_EVENT_RATE').argParser(positive),
    )
    .addOption(new Option('--subscription-duration <seconds>', 'seconds of events per subscription run').env('BENCH_SUBSCRIPTION_DURATION').argParser(positive))
    .option('--out <dir>', 'where to write the results', 'bench/results')
    .option('--profile <dir>', 'run each gateway with node --cpu-prof, writing its .cpuprofile files under <dir>/<gateway>-<mode>/')
    .exitOverride();
  program.parse([...argv], { from: 'user' });
  const flags = program.opts<{
    quick: boolean;
    concurrency: number;
    warmup?: number;
    duration?: number;
    overheadDuration?: number;
    gateways: BenchGatewayId[];
    throughput: boolean;
    overhead: boolean;
    backendCalls: boolean;
    attack: boolean;
    subscriptions: boolean;
    subscribers?: number[];
    eventRate: number;
    subscriptionDuration?: number;
    only?: Measurement[];
    attackDuration?: number;
    attacks: AttackId[];
    out: string;
    profile?: string;
  }>();
  const runs = (measurement: Measurement, flag: boolean) => (flags.only ? flags.only.includes(measurement) : flag);
  const throughput = runs('throughput', flags.throughput);
  const overhead = runs('overhead', flags.overhead);
  const backendCalls = runs('backend-calls', flags.backendCalls);
  const attack = runs('attack', flags.attack);
  const subscriptions = runs('subscriptions', flags.subscriptions);
  const whole = throughput && overhead && backendCalls && attack && subscriptions && flags.attacks.length === attackIds.length;
  return {
    concurrency: flags.concurrency,
    warmupSeconds: flags.warmup ?? (flags.quick ? 2 : 5),
    durationSeconds: flags.duration ?? (flags.quick ? 5 : 30),
    overheadSeconds: flags.overheadDuration ?? (flags.quick ? 3 : 10),
    gateways: flags.gateways,
    throughput,
    overhead,
    backendCalls,
    attack,
    attacks: attackIds.filter((id) => flags.attacks.includes(id)),
    attackSeconds: flags.attackDuration ?? (flags.quick ? 3 : 5),
    subscriptions,
    subscribers: flags.subscribers ?? (flags.quick ? [1000] : [1000, 10000]),
    subscriptionEventsPerSecond: flags.eventRate,
    subscriptionSeconds: flags.subscriptionDuration ?? (flags.quick ? 3 : 10),
    outDir: flags.out,
    profileDir: flags.profile ?? null,
    // Only a whole run at full length replaces the committed latest.*.
    name: flags.quick ? 'quick' : !whole || flags.profile !== undefined ? 'partial' : 'latest',
  };
}

function positive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return number;
}

function positiveList(value: string): number[] {
  const numbers = value.split(',').map((item) => Number(item.trim()));
  if (numbers.length === 0 || numbers.some((number) => !Number.isInteger(number) || number <= 0)) {
    throw new InvalidArgumentError(`expected positive whole numbers separated by commas, got "${value}"`);
  }
  return numbers;
}

function gatewayList(value: string): BenchGatewayId[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !gatewayIds.includes(id as BenchGatewayId));
  if (unknown.length > 0 || ids.length === 0) {
    throw new InvalidArgumentError(`unknown gateway ${unknown.join(', ') || '(none given)'}; choose from ${gatewayIds.join(', ')}`);
  }
  return ids as BenchGatewayId[];
}

function measurementList(value: string): Measurement[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !measurements.includes(name as Measurement));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(`unknown measurement ${unknown.join(', ') || '(none given)'}; choose from ${measurements.join(', ')}`);
  }
  return names as Measurement[];
}

function attackList(value: string): AttackId[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !attackIds.includes(id as AttackId));
  if (unknown.length > 0 || ids.length === 0) {
    throw new InvalidArgumentError(`unknown attack ${unknown.join(', ') || '(none given)'}; choose from ${attackIds.join(', ')}`);
  }
  return ids as AttackId[];
}
