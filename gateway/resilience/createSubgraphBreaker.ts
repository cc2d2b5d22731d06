import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { BreakerConfig } from '../config/GatewayConfig.js';
import type { AttemptOutcome } from '../subgraphRequests/createSubgraphSender.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface SubgraphBreaker {
  /**
   * Runs one attempt behind the breaker, or answers SUBGRAPH_UNAVAILABLE at once while the
   * circuit is open, or while it is half-open and its one probe is under way. The attempt is
   * called with `arg`, so that a caller need not make a closure per attempt.
   */
  run(attempt: () => Promise<AttemptOutcome>): Promise<AttemptOutcome>;
  run<A>(attempt: (arg: A) => Promise<AttemptOutcome>, arg: A): Promise<AttemptOutcome>;
  state(): BreakerState;
}

/** What an attempt's outcome tells the breaker. */
type Verdict =
  // An answer, or a refusal the subgraph gave on purpose (4xx): it is up.
  | 'success'
  // Only a failure the subgraph caused (classified `unhealthy`) counts towards opening.
  | 'failure'
  // A probe that told nothing (the client left, the request's deadline cut it short): the
  // circuit stays half-open and the next request probes instead.
  | 'release';

/**
 * The circuit breaker of one subgraph: `failureThreshold` consecutive failures the subgraph
 * caused open it, so that a dead subgraph costs clients an immediate error instead of a timeout
 * each, and costs the subgraph no traffic while it recovers. After `resetTimeoutMs` one probe
 * goes through (the others fail fast): its success closes the circuit, its failure opens it
 * again for another `resetTimeoutMs`. A failure the caller or the gateway caused is never fed to
 * it, so no caller can open a subgraph's breaker for everyone.
 *
 * Written by hand (it was cockatiel's `circuitBreaker` with a `ConsecutiveBreaker`, whose
 * semantics it keeps, down to attempts started while closed that end after the circuit moved
 * on: they still count, and reset the count): a closed circuit, nearly every request, costs one
 * `then` on the attempt's promise and no object, where cockatiel's `execute` made a promise
 * chain, a result wrapper and a closure per call.
 */
export function createSubgraphBreaker(name: string, config: BreakerConfig, onStateChange: (state: BreakerState) => void): SubgraphBreaker {
  let circuit: BreakerState = 'closed';
  // The subgraph's own failures in a row, counted by attempts started while closed.
  let consecutive = 0;
  let openedAt = 0;
  let openFor = 0;
  // Moves on at every change of state: a probe whose circuit has moved on since it started tells nothing.
  let generation = 0;
  // What the outside was last told: a released probe leaves the circuit half-open as far as
  // anyone outside can tell, though it is open for no time at all until the next request.
  let reported: BreakerState = 'closed';
  const report = (state: BreakerState): void => {
    if (state === reported) return;
    reported = state;
    onStateChange(state);
  };
  const open = (release: boolean): void => {
    circuit = 'open';
    generation += 1;
    openedAt = Date.now();
    openFor = release ? 0 : config.resetTimeoutMs;
    if (!release) report('open');
  };
  const unavailable = (): Promise<AttemptOutcome> => {
    const message = `Subgraph "${name}" is unavailable: its circuit breaker is open after repeated failures`;
    return Promise.resolve({
      ok: false,
      failure: {
        error: new GraphQLError(message, { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: name } }),
        retryable: false,
        health: 'unknown',
      },
    });
  };
  // An attempt started while closed, whenever it ends; one function for all of them.
  const judgeClosed = (outcome: AttemptOutcome): AttemptOutcome => {
    const verdict = verdictOf(outcome, false);
    if (verdict === 'success') consecutive = 0;
    else if (verdict === 'failure') {
      consecutive += 1;
      // Opens a closed circuit, or one whose probe is under way (the probe then tells nothing).
      if (consecutive >= config.failureThreshold && circuit !== 'open') open(false);
    }
    return outcome;
  };
  const runProbe = <A>(attempt: (arg: A) => Promise<AttemptOutcome>, arg: A): Promise<AttemptOutcome> => {
    generation += 1;
    const current = generation;
    return attempt(arg).then(
      (outcome) => {
        if (generation !== current) return outcome;
        const verdict = verdictOf(outcome, true);
        if (verdict === 'success') close();
        else {
          consecutive += 1;
          open(verdict === 'release');
        }
        return outcome;
      },
      (error: unknown) => {
        // Not an outcome (attempts never reject): as cockatiel did, it closes the circuit.
        if (generation === current) close();
        throw error;
      },
    );
  };
  const close = (): void => {
    circuit = 'closed';
    generation += 1;
    consecutive = 0;
    report('closed');
  };

  return {
    run<A>(attempt: (arg: A) => Promise<AttemptOutcome>, arg?: A) {
      if (!config.enabled) return attempt(arg as A);
      switch (circuit) {
        case 'closed':
          return attempt(arg as A).then(judgeClosed);
        // The probe is under way: the others fail fast, as while open.
        case 'half-open':
          return unavailable();
        case 'open':
          if (Date.now() - openedAt < openFor) return unavailable();
          circuit = 'half-open';
          report('half-open');
          return runProbe(attempt, arg as A);
        default: {
          const never: never = circuit;
          return never;
        }
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
