import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhenResult,
  isBrokenCircuitError,
  type FailureReason,
  type IBackoff,
  type IHalfOpenAfterBackoffContext,
} from 'cockatiel';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { BreakerConfig } from '../config/GatewayConfig.js';
import type { AttemptOutcome } from '../subgraphRequests/createSubgraphSender.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface SubgraphBreaker {
  /**
   * Runs one attempt behind the breaker, or answers SUBGRAPH_UNAVAILABLE at once while the
   * circuit is open, or while it is half-open and its one probe is under way.
   */
  run(attempt: () => Promise<AttemptOutcome>): Promise<AttemptOutcome>;
  state(): BreakerState;
}

/** What an attempt's outcome tells the breaker. */
type Verdict =
  // An answer, or a refusal the subgraph gave on purpose (4xx): it is up.
  | 'success'
  // Only a failure the subgraph caused (classified `unhealthy`) counts towards opening.
  | 'failure'
  // A probe that told nothing (the client left, the request's deadline cut it short): the
  // next request probes instead. Cockatiel has no such outcome: a failure reopening the
  // circuit for no time at all, which is not reported, stands for it.
  | 'release';

interface Judged {
  outcome: AttemptOutcome;
  verdict: Verdict;
}

/** An outcome that tells nothing of the subgraph, outside a probe: thrown past cockatiel, which then records nothing. */
class Untold extends Error {
  constructor(readonly outcome: AttemptOutcome) {
    super('an attempt that tells nothing of the subgraph');
  }
}

/**
 * The circuit breaker of one subgraph, cockatiel's: `failureThreshold` consecutive failures the
 * subgraph caused open it, so that a dead subgraph costs clients an immediate error instead of a
 * timeout each, and costs the subgraph no traffic while it recovers. After `resetTimeoutMs` one
 * probe goes through (the others still fail fast): its success closes the circuit, its failure
 * opens it again for another `resetTimeoutMs`. A failure the caller or the gateway caused is
 * never fed to it, so no caller can open a subgraph's breaker for everyone.
 */
export function createSubgraphBreaker(name: string, config: BreakerConfig, onStateChange: (state: BreakerState) => void): SubgraphBreaker {
  const reopenAfter = (duration: number): IBackoff<IHalfOpenAfterBackoffContext> => ({
    duration,
    next: (context) => reopenAfter(isRelease(context.result) ? 0 : config.resetTimeoutMs),
  });
  const policy = circuitBreaker(
    handleWhenResult((judged) => (judged as Judged).verdict !== 'success'),
    {
      halfOpenAfter: reopenAfter(config.resetTimeoutMs),
      breaker: new ConsecutiveBreaker(config.failureThreshold),
    },
  );
  const stateOf = (state: CircuitState): BreakerState => (state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open');
  let reported: BreakerState = 'closed';
  policy.onStateChange((state) => {
    // A released probe leaves the circuit half-open, as far as anyone outside can tell.
    if (state === CircuitState.Open && isRelease(policy.lastFailure)) return;
    if (stateOf(state) === reported) return;
    reported = stateOf(state);
    onStateChange(reported);
  });
  const unavailable = (): AttemptOutcome => {
    const message = `Subgraph "${name}" is unavailable: its circuit breaker is open after repeated failures`;
    return {
      ok: false,
      failure: {
        error: new GraphQLError(message, { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: name } }),
        retryable: false,
        health: 'unknown',
      },
    };
  };

  return {
    async run(attempt) {
      if (!config.enabled) return attempt();
      // Cockatiel would queue these behind the probe; they fail fast instead, as while open.
      if (policy.state === CircuitState.HalfOpen) return unavailable();
      try {
        const judged = await policy.execute(async (): Promise<Judged> => {
          const probing = policy.state === CircuitState.HalfOpen;
          const outcome = await attempt();
          const verdict = verdictOf(outcome, probing);
          if (verdict === undefined) throw new Untold(outcome);
          return { outcome, verdict };
        });
        return judged.outcome;
      } catch (error) {
        if (error instanceof Untold) return error.outcome;
        if (isBrokenCircuitError(error)) return unavailable();
        throw error;
      }
    },
    state: () => reported,
  };
}

/** What the breaker records of an outcome; undefined for nothing at all. */
function verdictOf(outcome: AttemptOutcome, probing: boolean): Verdict | undefined {
  if (outcome.ok) return 'success';
  switch (outcome.failure.health) {
    case 'healthy':
      return 'success';
    case 'unhealthy':
      return 'failure';
    case 'unknown':
      return probing ? 'release' : undefined;
    default: {
      const never: never = outcome.failure.health;
      return never;
    }
  }
}

function isRelease(reason: FailureReason<unknown> | undefined): boolean {
  return reason !== undefined && 'value' in reason && (reason.value as Judged).verdict === 'release';
}
