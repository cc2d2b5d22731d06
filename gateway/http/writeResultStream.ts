import type { ServerResponse } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { writeEventStream } from '../../common/http/writeEventStream.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import { writeMultipartSubscription } from '../../common/http/writeMultipartSubscription.js';
import { JsonText } from '../../common/http/JsonText.js';
import type { FormatError } from '../streaming/formatStreamItem.js';
import { serializeStreamItem } from '../streaming/serializeStreamItem.js';
import type { StreamEnd } from '../../common/http/writeStreamed.js';
import type { OpenStream } from '../streaming/createHttpStreamCounter.js';
import type { ResultStream } from '../streaming/ResultStream.js';
import type { StreamingTransport } from './streamingTransportOf.js';

export interface ResultStreamWriting {
  transport: StreamingTransport;
  /** Apollo Server's answer: the first result (for a subscription, errors only if it could not start). */
  answer: HTTPGraphQLResponse;
  /** What the executor left in the context; undefined when the operation answers once. */
  stream: ResultStream | undefined;
  /** The gateway's `formatError`, for the errors of every item. */
  formatError: FormatError;
  /** Counts the stream while it is open (for `/metrics`); none: not counted. */
  openStream?: OpenStream;
}

/**
 * Answers a request that asked for SSE or multipart subscriptions. A refusal (4xx/5xx) goes out
 * as JSON with its status, as any other; a subscription's events are written as they come
 * (Apollo's first result only if it holds errors); over SSE, a deferred query's first payload and
 * then each part are events too; an operation that answers once is one event. Resolves once the
 * stream is over, with how it ended (null: answered as JSON, no stream); never rejects.
 */
export async function writeResultStream(res: ServerResponse, writing: ResultStreamWriting): Promise<StreamEnd | null> {
  const { answer, stream } = writing;
  if ((answer.status ?? 200) >= 400 || (stream === undefined && writing.transport === 'multipart')) {
    // Not this writer's; `stream` is ended so that it frees what it holds.
    if (stream) void (stream.kind === 'subscription' ? stream.events : stream.parts).return?.();
    await writeHttpGraphQLResponse(res, answer);
    return null;
  }
  const ended = writing.openStream?.(writing.transport, stream !== undefined);
  let end: StreamEnd = 'failed';
  try {
    const first = answer.body.kind === 'complete' ? (JSON.parse(answer.body.string) as Record<string, unknown>) : {};
    const results = stream ? withFirst(first, stream, writing.formatError) : single(first);
    end = await (writing.transport === 'sse' ? writeEventStream(res, results) : writeMultipartSubscription(res, results));
  } finally {
    ended?.(end);
  }
  return end;
}

/**
 * The stream's items, formatted, after Apollo's first result: for a subscription only when it
 * holds errors, for a deferred query always (with `hasNext: true`, as the first payload).
 */
function withFirst(first: Record<string, unknown>, stream: ResultStream, formatError: FormatError): AsyncIterator<unknown> {
  const items: AsyncIterableIterator<unknown> = stream.kind === 'subscription' ? stream.events : stream.parts;
  const sendsFirst = stream.kind === 'deferred' || (Array.isArray(first.errors) && first.errors.length > 0);
  let pending: Record<string, unknown> | undefined = sendsFirst ? (stream.kind === 'deferred' ? { ...first, hasNext: true } : first) : undefined;
  return {
    async next() {
      if (pending) {
        const value = pending;
        pending = undefined;
        return { value, done: false };
      }
      const next = await items.next();
      if (next.done) return next;
      // A subscription event's JSON is made once for every client of it (see serializeStreamItem).
      return { value: new JsonText(serializeStreamItem(stream, next.value, formatError)), done: false };
    },
    return: () => items.return?.() ?? Promise.resolve({ value: undefined, done: true }),
  };
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
