import type { AttackId, AttackTally } from '../attack/BenchAttack.js';

/** The "under attack" scenario of `npm run bench`, as written to `bench/results/*.json`. */
export interface AttackResults {
  settings: AttackSettings;
  /** The legitimate client alone, measured the same way: the baseline of every attack. */
  quiet: AttackPhaseResult;
  /** One per attack, in the order they ran. */
  attacks: AttackPhaseResult[];
}

export interface AttackSettings {
  /** The legitimate clients' operation (anonymous). */
  legitimateQuery: string;
  /** One legitimate client per address; the attacker is another. */
  legitimateAddresses: string[];
  /** Each client's connections in a closed loop. */
  legitimateConcurrency: number;
  /** Its requests run this long before each measured window (and before each attack starts). */
  warmupSeconds: number;
  /** Measured seconds per phase, while the attack runs. */
  durationSeconds: number;
  /** The limits the attacked gateway ran with (sized from the quiet run): per address, then per client. */
  rateLimit: { requestsPerAddressPerSecond: number; operationsPerSecond: number; costPerSecond: number };
  /** Its `server.bodyTimeoutMs`. */
  bodyTimeoutMs: number;
  /** Target per attack: at least this share of the legitimate client's requests right… */
  minSuccessRate: number;
  /** …and its p99 at most this many times the quiet p99. */
  maxP99VsQuiet: number;
}

export interface AttackPhaseResult {
  id: AttackId | 'quiet';
  name: string;
  /** What the attacker sent (empty for the quiet run). */
  what: string;
  /** `gateway-died`: the gateway process exited during the phase; `failed`: the phase could not run. */
  outcome: 'ok' | 'gateway-died' | 'failed';
  /** Why, when the outcome is not ok. */
  problem?: string;
  /** Absent when the phase could not run. */
  legitimate?: LegitimateSummary;
  /** Null for the quiet run, or when the attacker never reported. */
  attacker: AttackTally | null;
  /** The gateway's resident set size when the phase started and ended (null once it died). */
  rssMiB: { before: number | null; after: number | null };
  /** The slowest `/metrics` scrape (one a second, as Prometheus would) during the phase; null when none answered. */
  slowestMetricsScrapeMs: number | null;
  /** CPU each process used during the measured window; absent when the phase did not get that far. */
  cpuPercent?: CpuPercent;
  /** p99 over the quiet p99; absent without both. */
  p99VsQuiet?: number;
  /** Whether the phase met the target (always true for a quiet run that worked). */
  targetMet: boolean;
}

export interface LegitimateSummary {
  requests: number;
  /** Right answers over requests, 0 to 1 (0 when none was sent). */
  successRate: number;
  latencyMs: { p50: number; p99: number };
  /** Requests that failed, by reason (`HTTP 503`, `timed out`, …). */
  failures: Record<string, number>;
}

/**
 * CPU time over the measured window, in % of one core (null where unknown): the gateway has a core
 * of its own; the attacker, the legitimate client (and scraper) and the demo services share the other.
 */
export interface CpuPercent {
  gateway: number | null;
  attacker: number | null;
  client: number;
  services: number | null;
  /** The share of the window the gateway's main thread was ready to run but waited for a CPU (other work on its core). */
  gatewayWaiting?: number | null;
  /** The same for the legitimate client's main thread. */
  clientWaiting?: number | null;
}
