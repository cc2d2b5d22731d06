import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { writeHttpGraphQLResponse } from '../../../common/http/writeHttpGraphQLResponse.js';
import type { RefusalHold } from '../../traffic/createRefusalHold.js';
import { clientGone } from '../clientGone.js';
import type { Feature, Outcome, ProducedError } from '../Feature.js';
import { rateLimitRetryAtOf } from './createRateLimits.js';

/**
 * Holds the per-client rules' 429s (`default`, `cost`, `rateLimit.rules`) as the address's own
 * are held: through the shared refusal hold, keyed by the client's address (the hold bounds what
 * one address keeps waiting, whichever rule refused it), until the refusing rule's window resets
 * (or, refused for being ahead of its pace, its turn comes), and then with `connection: close`.
 * A client over its operations limit that sends its next request once answered then gets about
 * one 429 per connection per hold, not as many as the gateway can parse, check and write. The rules decide inside Apollo Server's request pipeline,
 * after admission; only the answer is held, here, from outside the address's concurrency gate:
 * by the time it waits, its admission slot and its place at the gate are given back.
 *
 * Only a whole JSON answer (one operation or a batch, POST or GET, on Apollo Server's path or the
 * fast path) whose status is the rules' 429 is held: a subscription stream (SSE, multipart) and a
 * WebSocket operation are answered as before. The answer is the same (body, status, headers) but
 * for `connection: close`: its `Retry-After`, `RateLimit` and message are as the rule worked them out
 * (they agree with each other, and wait at most the time held longer than needed).
 */
export function createClientRefusalHold(hold: RefusalHold | null): Feature {
  if (!hold) return { name: 'clientRefusalHold' };
  return {
    name: 'clientRefusalHold',
    async handle(exchange, next) {
      exchange.leaveUnwritten = isRulesRefusal;
      const outcome = await next();
      const answer = outcome.unwritten;
      if (!answer) return outcome;
      const { unwritten: _, ...rest } = outcome;
      const retryAt = retryAtOf(outcome.errors ?? []);
      // A batch whose other operations were answered is not a refusal: written at once, as it is.
      if (outcome.status !== 429 || retryAt === undefined) return write(answer, rest);
      // Held, or not (the hold is full, or draining): it closes the connection either way, as the
      // address's refusals do; dropped (the address holds its most), its connection is already gone.
      await hold.hold(exchange.clientAddress, retryAt - Date.now(), exchange.req, exchange.res);
      return write(closing(answer), rest);

      async function write(response: HTTPGraphQLResponse, written: Outcome): Promise<Outcome> {
        try {
          await writeHttpGraphQLResponse(exchange.res, response);
        } catch (error) {
          // As callApollo's own write: a client gone is no failure of the gateway's.
          return clientGone(exchange.signal, error);
        }
        return written;
      }
    },
  };
}

/** Whether these are the errors of a request a per-client rule refused (its answer is left for this step to write). */
function isRulesRefusal(errors: readonly ProducedError[]): boolean {
  return retryAtOf(errors) !== undefined;
}

/** When the client a per-client rule refused may try again (its window resets, or its turn comes), if one did. */
function retryAtOf(errors: readonly ProducedError[]): number | undefined {
  for (const error of errors) {
    const retryAt = rateLimitRetryAtOf(error);
    if (retryAt !== undefined) return retryAt;
  }
  return undefined;
}

/** The same answer, asking the client to open a new connection. */
function closing(answer: HTTPGraphQLResponse): HTTPGraphQLResponse {
  const headers = new HeaderMap(answer.headers);
  headers.set('connection', 'close');
  return { ...answer, headers };
}
