import type { BenchGatewayId, DedupMode } from '../gateways/benchGateways.js';
import type { SubscriptionResults } from '../subscriptions/SubscriptionResults.js';
import type { AttackResults } from './AttackResults.js';

/** What `npm run bench` writes to `bench/results/*.json`. */
export interface BenchResults {
  machine: MachineInfo;
  settings: BenchSettings;
  /** The gateways compared, and what "in-flight de-duplication" is in each. */
  gateways: Array<{ name: string; dedup: string }>;
  /** One per gateway and mode, in the order they ran. */
  runs: GatewayRun[];
  /** Null when skipped. */
  overhead: OverheadResults | null;
  /** Null when skipped. */
  backendCalls: { query: string; results: BackendCallsResult[] } | null;
  /** The "under attack" scenario; null when skipped (absent in results written before it existed). */
  attack?: AttackResults | null;
  /** The subscription scenario; null when skipped (absent in results written before it existed). */
  subscriptions?: SubscriptionResults | null;
}

export interface MachineInfo {
  date: string;
  cpuModel: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
  /** 1-minute load average when the bench started: other work on the machine skews everything. */
  loadAverageAtStart: number;
  /** The same when it ended: compare the two, a busy machine shows. */
  loadAverageAtEnd: number;
  /** The commit measured, with `+changes` when the work tree differed from it. */
  commit: string;
  /** Whether gateways ran on CPU 0 and everything else on CPU 1. */
  pinned: boolean;
}

export interface BenchSettings {
  concurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
  overheadDurationSeconds: number;
}

export interface LatencyMs {
  p50: number;
  p95: number;
  p99: number;
}

export interface GatewayRun {
  gateway: BenchGatewayId;
  name: string;
  /** `none`: the gateway has no in-flight de-duplication. */
  dedup: DedupMode | 'none';
  /** `wrong`: its answer differed from the reference; `failed`: it did not start or died. */
  outcome: 'ok' | 'wrong' | 'failed';
  /** Why, when the outcome is not ok. */
  problem?: string;
  /** The rest is present when the load ran. */
  requestsPerSecond?: number;
  latencyMs?: LatencyMs;
  requests?: number;
  errors?: { total: number; http: number; graphql: number; wrong: number; transport: number };
  peakRssMiB?: number | null;
  /** Subgraph requests for one query sent alone (the plan's fetches). */
  subgraphRequestsAlone?: number;
  /** Subgraph requests per operation under load (de-duplication lowers it). */
  subgraphRequestsPerOperation?: number;
  /** requestsPerSecond over vanilla Apollo Gateway's; absent when either did not run right. */
  vsApolloGateway?: number;
}

export interface OverheadResults {
  query: string;
  direct: LatencyMs;
  /** Through a bare Node.js proxy (node:http and undici, no GraphQL work): the floor of what a hop adds here. */
  floor: { latencyMs: LatencyMs; addedMs: { p50: number; p99: number } } | { problem: string };
  gateways: Array<{
    gateway: BenchGatewayId;
    name: string;
    outcome: 'ok' | 'wrong' | 'failed';
    problem?: string;
    latencyMs?: LatencyMs;
    /** Gateway minus direct, at p50 and p99. */
    addedMs?: { p50: number; p99: number };
  }>;
}

export interface BackendCallsResult {
  /** `first` asked for. */
  listSize: number;
  /** Items in the answer: users, their reviews, and the distinct products those reviews are of. */
  items?: { users: number; reviews: number; products: number };
  /** Calls each backend received for the one query. */
  calls?: { users: number; reviews: number; catalog: number; inventory: number; total: number };
  /** Set when the query was refused or failed. */
  problem?: string;
}
