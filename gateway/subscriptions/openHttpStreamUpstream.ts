import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import { readBoundedJson } from '../../common/http/readBoundedJson.js';
import { signRequest } from '../../common/signing/signRequest.js';
import type { SubgraphResponse } from '../subgraphRequests/createSubgraphClient.js';
import { createMultipartParser } from './createMultipartParser.js';
import { createSseParser } from './createSseParser.js';
import type { OpenUpstream, UpstreamSink } from './OpenUpstream.js';
import { upstreamFailure } from './upstreamFailure.js';

// One event, as for WebSocket messages.
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
// A refusal is a few errors: more than this is not read (the errors are then unknown).
const MAX_REFUSAL_BYTES = 64 * 1024;

const ACCEPT = {
  sse: 'text/event-stream',
  multipart: 'multipart/mixed;subscriptionSpec="1.0", application/json',
} as const;

/**
 * An upstream subscription over HTTP: GraphQL over SSE (distinct connections) or Apollo's
 * multipart subscriptions. One POST, signed through the same signer as every fetch (over the
 * exact body and headers sent), whose streamed answer is read event by event.
 */
export function openHttpStreamUpstream(kind: 'sse' | 'multipart'): OpenUpstream {
  return (target, sink) => {
    const abort = new AbortController();
    let done = false;
    // The one end reported: the first wins, and nothing follows it.
    const end = (report: (sink: UpstreamSink) => void) => {
      if (done) return;
      done = true;
      abort.abort();
      report(sink);
    };
    const fail = (why: string, subgraphFault: boolean, code?: ErrorCode) => end((s) => s.fail(upstreamFailure(target.subgraph, why, code), subgraphFault));
    const next = (text: string, unwrap: boolean) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        fail('the subgraph sent an event that is not JSON', true, ErrorCode.SUBGRAPH_ERROR);
        return;
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      if (!unwrap) return sink.next(parsed as SubgraphResponse);
      // Multipart: `{}` is a heartbeat; `{payload: null, errors}` ends the subscription.
      if (!Object.hasOwn(parsed, 'payload')) return;
      const { payload, errors } = parsed as { payload: SubgraphResponse | null; errors?: GraphQLFormattedError[] };
      if (payload === null) {
        end((s) => s.fail(refusal(errors, target.subgraph), false));
        return;
      }
      sink.next(payload);
    };

    const run = async () => {
      const url = new URL(target.url);
      const body = JSON.stringify({ query: target.request.query, operationName: target.request.operationName, variables: target.request.variables });
      const headers: Record<string, string> = {
        ...target.headers,
        'content-type': 'application/json',
        accept: ACCEPT[kind],
        [HeaderNames.requestId]: target.requestId,
      };
      Object.assign(headers, signRequest(target.signingSecret, { method: 'POST', path: url.pathname + url.search, audience: target.subgraph, body, headers }));
      let response: Awaited<ReturnType<typeof fetch>>;
      try {
        response = await fetch(url, { method: 'POST', headers, body, signal: abort.signal });
      } catch {
        return fail('the subgraph could not be reached', true);
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        // A 4xx is the request refused (or the signature): reconnecting would be refused alike.
        return fail(`the subgraph answered HTTP ${response.status}`, response.status >= 500, response.status >= 500 ? undefined : ErrorCode.SUBGRAPH_ERROR);
      }
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('application/json') || type.includes('application/graphql-response+json')) {
        // One answer instead of a stream: the subscription was refused at the subgraph.
        const answer = (await readBoundedJson(response, MAX_REFUSAL_BYTES)) as { errors?: GraphQLFormattedError[] };
        return end((s) => s.fail(refusal(answer.errors, target.subgraph), false));
      }
      sink.connected();
      const feed =
        kind === 'sse'
          ? createSseParser((event, data) => {
              if (event === 'next') next(data, false);
              else if (event === 'complete') end((s) => s.complete());
            }, MAX_EVENT_BYTES)
          : createMultipartParser(
              boundaryOf(type),
              (part) => next(part, true),
              () => end((s) => s.complete()),
              MAX_EVENT_BYTES,
            );
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body ?? []) {
          if (done) break;
          if (!feed(decoder.decode(chunk as Uint8Array, { stream: true })))
            return fail('the subgraph sent an event over the size limit', true, ErrorCode.SUBGRAPH_ERROR);
        }
      } catch {
        // The connection broke (or was closed here, when done).
      }
      fail('the subgraph closed the subscription stream', true);
    };
    // Whatever throws outside the reads above (a bad URL, signing, the sink) ends this upstream,
    // never the process: an unhandled rejection is fatal. It is the gateway's own fault, so it
    // is neither retried nor held against the subgraph.
    run().catch(() => {
      try {
        fail('the gateway could not open the subscription', false, ErrorCode.INTERNAL_SERVER_ERROR);
      } catch {
        // The sink failed to take the failure: nothing more can be told.
      }
    });
    return () => {
      done = true;
      abort.abort();
    };
  };
}

function boundaryOf(contentType: string): string {
  const match = /boundary="?([^";]+)"?/i.exec(contentType);
  return match?.[1] ?? '-';
}

/** The subgraph's own reason for refusing, with its code and the service name. */
function refusal(errors: readonly GraphQLFormattedError[] | undefined, subgraph: string): GraphQLError {
  const first = errors?.[0];
  if (!first) return upstreamFailure(subgraph, 'the subgraph refused the subscription', ErrorCode.SUBGRAPH_ERROR);
  return new GraphQLError(first.message, {
    extensions: { ...first.extensions, code: first.extensions?.code ?? ErrorCode.SUBGRAPH_ERROR, serviceName: subgraph },
  });
}
