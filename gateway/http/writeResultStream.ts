import type { ServerResponse } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { writeEventStream } from '../../common/http/writeEventStream.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import { writeMultipartSubscription } from '../../common/http/writeMultipartSubscription.js';
import type { ResultStream, SubscriptionEvent } from '../streaming/ResultStream.js';
import type { StreamingTransport } from './streamingTransportOf.js';

export interface ResultStreamWriting {
  transport: StreamingTransport;
  /** Apollo Server's answer: the first result (for a subscription, errors only if it could not start). */
  answer: HTTPGraphQLResponse;
  /** What the executor left in the context; undefined when the operation answers once. */
  stream: ResultStream | undefined;
  /** The gateway's `formatError`, for the errors of every event. */
  formatError: (error: GraphQLFormattedError) => GraphQLFormattedError;
}

/**
 * Answers a request that asked for a streaming transport. A refusal (4xx/5xx) goes out as JSON
 * with its status, as any other; a subscription's events are written as they come (Apollo's
 * first result only if it holds errors); an operation that answers once is one event. Resolves
 * once the stream is over; never rejects.
 */
export async function writeResultStream(res: ServerResponse, writing: ResultStreamWriting): Promise<void> {
  const { answer, stream } = writing;
  if ((answer.status ?? 200) >= 400 || (stream === undefined && writing.transport === 'multipart') || stream?.kind === 'deferred') {
    // Not this writer's (deferred parts are @defer's transport's); `stream` is ended so that it frees what it holds.
    if (stream) void (stream.kind === 'subscription' ? stream.events : stream.parts).return?.();
    await writeHttpGraphQLResponse(res, answer);
    return;
  }
  const first = answer.body.kind === 'complete' ? (JSON.parse(answer.body.string) as Record<string, unknown>) : {};
  const results = stream ? withFirst(first, stream.events, writing.formatError) : single(first);
  await (writing.transport === 'sse' ? writeEventStream(res, results) : writeMultipartSubscription(res, results));
}

/** The subscription's events, formatted; Apollo's first result before them when it holds errors. */
function withFirst(
  first: Record<string, unknown>,
  events: AsyncIterableIterator<SubscriptionEvent>,
  formatError: ResultStreamWriting['formatError'],
): AsyncIterator<unknown> {
  let pending: Record<string, unknown> | undefined = Array.isArray(first.errors) && first.errors.length > 0 ? first : undefined;
  return {
    async next() {
      if (pending) {
        const value = pending;
        pending = undefined;
        return { value, done: false };
      }
      const next = await events.next();
      if (next.done) return next;
      return { value: formatted(next.value, formatError), done: false };
    },
    return: () => events.return?.() ?? Promise.resolve({ value: undefined, done: true }),
  };
}

function formatted(event: SubscriptionEvent, formatError: ResultStreamWriting['formatError']): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (event.errors && event.errors.length > 0)
    result.errors = event.errors.map((error: GraphQLError) => formatError(typeof error.toJSON === 'function' ? error.toJSON() : error));
  if (event.data !== undefined) result.data = event.data;
  if (event.extensions !== undefined) result.extensions = event.extensions;
  return result;
}

function single(result: unknown): AsyncIterator<unknown> {
  let sent = false;
  return {
    next: () => {
      if (sent) return Promise.resolve({ value: undefined, done: true });
      sent = true;
      return Promise.resolve({ value: result, done: false });
    },
  };
}
