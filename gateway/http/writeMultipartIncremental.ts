import type { ServerResponse } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { formatStreamItem, type FormatError } from '../streaming/formatStreamItem.js';
import type { DeferredPart } from '../streaming/ResultStream.js';
import { drained } from '../../common/http/drained.js';
import { whenClientGone } from '../../common/http/whenClientGone.js';
import { toHeaderValue } from '../../common/http/toHeaderValue.js';
import type { StreamEnd } from '../../common/http/writeStreamed.js';
import type { OpenStream } from '../streaming/createHttpStreamCounter.js';

/** The content type of an incremental delivery answer, as Apollo Client and urql read it. */
export const MULTIPART_DEFER_TYPE = 'multipart/mixed; boundary="-"; deferSpec=20220824';

const PART_HEAD = 'content-type: application/json; charset=utf-8\r\n\r\n';
// Apollo Server's own framing: each part ends with the next delimiter, the last with the closing one.
const NEXT = '\r\n---\r\n';
const END = '\r\n-----\r\n';
const STALLED_MS = 30_000;

export interface MultipartIncrementalOptions {
  /** Apollo Server's answer: its headers, and its one result (the first payload). */
  first: HTTPGraphQLResponse;
  parts: AsyncIterableIterator<DeferredPart>;
  /** The gateway's `formatError` (masking in production), for the parts' errors. */
  formatError: FormatError;
  /** Counts the answer while it streams (for `/metrics`); none: not counted. */
  openStream?: OpenStream;
}

/**
 * Writes a deferred operation's answer as `multipart/mixed` in the incremental delivery format
 * (`deferSpec=20220824`): Apollo Server's result with `hasNext: true`, then each part
 * (`{incremental: [{data, path, label?, errors?}], hasNext}`) as it comes, each flushed on its
 * own. The client going away ends the parts' iterator (its remaining fetches are cancelled).
 * Resolves with how the answer ended.
 */
export async function writeMultipartIncremental(res: ServerResponse, options: MultipartIncrementalOptions): Promise<StreamEnd> {
  const ended = options.openStream?.('multipart_defer', true);
  // A throw here (a part that failed to format, a bug) is the caller's to answer; it is counted as such.
  let end: StreamEnd = 'failed';
  try {
    end = await writeParts(res, options);
  } finally {
    ended?.(end);
  }
  return end;
}

async function writeParts(res: ServerResponse, options: MultipartIncrementalOptions): Promise<StreamEnd> {
  const { first, parts } = options;
  for (const [name, value] of first.headers) {
    if (name === 'content-type' || name === 'content-length') continue;
    res.setHeader(name, toHeaderValue(value));
  }
  res.statusCode = 200;
  res.setHeader('content-type', MULTIPART_DEFER_TYPE);
  const body = first.body.kind === 'complete' ? first.body.string.trimEnd() : '{}';
  // Apollo Server's serialised result is one JSON object: `hasNext` joins it without a parse.
  const initial = body === '{}' ? '{"hasNext":true}' : `${body.slice(0, -1)},"hasNext":true}`;
  let stalled = false;
  let left = false;
  const stop = () => {
    left = true;
    void parts.return?.();
  };
  // Also when the client went while the first payload was being made (the parts would otherwise be
  // awaited for nobody, holding the request's admission slot), or its connection drops while this
  // response is pipelined behind another (see whenClientGone).
  const unwatch = whenClientGone(res, stop);
  // Resolves once the chunk is handed to the socket, waiting for a full buffer to drain first: a
  // client that leaves it untaken for 30 s is disconnected (the parts still to come are cancelled),
  // so one that stops reading holds no admission slot for long.
  // Gone: the response closed, or (pipelined) the connection it was waiting for.
  const isGone = () => res.destroyed || left;
  const write = async (chunk: string): Promise<void> => {
    if (isGone()) return;
    if (!res.write(chunk) && !(await drained(res, STALLED_MS)) && !isGone()) {
      stalled = true;
      res.destroy();
    }
  };
  const gone = (): StreamEnd => (stalled ? 'too_slow' : 'client');
  let ended = false;
  try {
    await write(`${NEXT}${PART_HEAD}${initial}${NEXT}`);
    for await (const part of parts) {
      if (isGone()) return gone();
      ended = !part.hasNext;
      await write(`${PART_HEAD}${JSON.stringify(formatStreamItem({ kind: 'deferred', parts }, part, options.formatError))}${ended ? END : NEXT}`);
      if (ended) break;
    }
  } finally {
    unwatch();
  }
  if (isGone()) return gone();
  // The parts ended without saying so (stopped early): the client is told there is no more.
  if (!ended) await write(`${PART_HEAD}{"hasNext":false}${END}`);
  if (isGone()) return gone();
  res.end();
  return 'complete';
}
