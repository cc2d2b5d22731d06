import { context as otelContext, trace } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import Pool from 'undici/lib/dispatcher/pool.js';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import { appendSignatureHeaders } from '../../common/signing/signRequest.js';
import { formatTraceparent, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import { classifySubgraphFailure, SubgraphHttpError, type SubgraphFailure } from '../resilience/classifySubgraphFailure.js';
import type { CancelSignal } from '../resilience/createInflightDedup.js';

/** One HTTP attempt at a subgraph request. */
export interface Attempt {
  /** The GraphQL request, serialised once: it is what the signature covers. */
  body: string;
  /** What the subgraph is told of the caller (identity, passed-on headers). */
  headers: Readonly<Record<string, string>>;
  requestId: string;
  /** When the client request gives up (epoch ms): no attempt outlives it. */
  deadlineAt: number;
  /** Sent when no recorded span is active. */
  traceparent: string | undefined;
  /** Aborts the attempt (the client went away, or every caller of a shared request did). */
  signal: CancelSignal | undefined;
}

/** The body of a 2xx answer as text, or why there is none, classified. */
export type AttemptOutcome = { ok: true; raw: string } | { ok: false; failure: SubgraphFailure };

/** Makes one attempt; never rejects. */
export type SendAttempt = (attempt: Attempt) => Promise<AttemptOutcome>;

export interface SubgraphSenderOptions {
  /** The subgraph's name: it signs the audience, and errors carry it as `serviceName`. */
  name: string;
  url: string;
  /** The longest one attempt may take, shortened to what is left of the request's deadline. */
  timeoutMs: number;
  /** The most keep-alive connections opened to this subgraph. */
  maxConnections: number;
  signingSecret: string;
  /** Told of every attempt made: `success` or the code of its error. */
  onAttempt?: (durationMs: number, outcome: string) => void;
}

export interface SubgraphSender {
  send: SendAttempt;
  /** Ends the connection pool. */
  close(): Promise<void>;
}

/**
 * The bottom layer of a subgraph client: one POST over a keep-alive undici pool, signed over the
 * exact bytes and headers that leave, bounded by the subgraph's timeout and what is left of the
 * client request's deadline (sent on as a header), cancelled with the caller's signal. Every
 * failure comes back classified, so the layers above decide on retries and health from one verdict.
 */
export function createSubgraphSender(options: SubgraphSenderOptions): SubgraphSender {
  const { name, signingSecret } = options;
  const target = new URL(options.url);
  const path = target.pathname + target.search;
  const pool = new Pool(target.origin, { connections: options.maxConnections, pipelining: 1 });
  const sender: SenderOf = { name, timeoutMs: options.timeoutMs, onAttempt: options.onAttempt };

  // undici's flat header list (name, value, …): no object per request for undici to list the keys of.
  const headersOf = (attempt: Attempt, timeoutMs: number): string[] => {
    const deadline = Number.isFinite(timeoutMs) ? String(Math.floor(timeoutMs)) : undefined;
    const traceparent = activeTraceparent() ?? attempt.traceparent;
    const caller = attempt.headers;
    const outgoing: string[] = [];
    // Portico's own headers win over the caller's of the same name, so that no header rule can set them.
    for (const header in caller) {
      if (!Object.hasOwn(caller, header) || porticoSets.has(header)) continue;
      if ((header === TRACEPARENT && traceparent) || (header === HeaderNames.deadline && deadline !== undefined)) continue;
      outgoing.push(header, caller[header]!);
    }
    outgoing.push('content-type', 'application/json', 'accept', 'application/json', HeaderNames.requestId, attempt.requestId);
    if (deadline !== undefined) outgoing.push(HeaderNames.deadline, deadline);
    if (traceparent) outgoing.push(TRACEPARENT, traceparent);
    appendSignatureHeaders(
      outgoing,
      signingSecret,
      'POST',
      path,
      name,
      attempt.body,
      attempt.requestId,
      deadline ?? caller[HeaderNames.deadline] ?? '',
      caller[HeaderNames.identity] ?? '',
    );
    return outgoing;
  };

  return {
    send(attempt) {
      const timeoutMs = Math.min(options.timeoutMs, attempt.deadlineAt - Date.now());
      if (timeoutMs <= 0) {
        // No attempt is made: the subgraph had no part in it.
        const error = new GraphQLError(`The request's deadline passed before subgraph "${name}" could answer`, {
          extensions: { code: ErrorCode.SUBGRAPH_TIMEOUT, serviceName: name },
        });
        return Promise.resolve({ ok: false, failure: { error, retryable: false, health: 'unknown' } });
      }
      return new Promise<AttemptOutcome>((resolve) => {
        const answer = new AnswerCollector(sender, attempt.signal, timeoutMs, resolve);
        try {
          pool.dispatch({ method: 'POST', path, headers: headersOf(attempt, timeoutMs), body: attempt.body }, answer);
        } catch (error) {
          answer.onError(error as Error);
        }
      });
    },
    close: () => pool.close(),
  };
}

/** The headers Portico sets on every subgraph request, whatever the caller's headers hold. */
const porticoSets = new Set<string>([
  'content-type',
  'accept',
  HeaderNames.requestId,
  HeaderNames.timestamp,
  HeaderNames.nonce,
  HeaderNames.bodyDigest,
  HeaderNames.signature,
]);

/** What every attempt of one sender shares. */
interface SenderOf {
  name: string;
  /** The subgraph's own timeout, which tells a timeout of its own from the request's deadline. */
  timeoutMs: number;
  onAttempt: ((durationMs: number, outcome: string) => void) | undefined;
}

// Apollo-style fetch spans are not made: the request's span (when one is recorded) is the subgraph's parent.
function activeTraceparent(): string | undefined {
  const active = trace.getSpanContext(otelContext.active());
  return active && trace.isSpanContextValid(active) ? formatTraceparent(active) : undefined;
}

/**
 * Collects one attempt's answer as undici's dispatcher delivers it, and settles the attempt once,
 * with its outcome: the body as text (2xx), or the failure (a `SubgraphHttpError`, the error,
 * or an abort's reason: the timeout, or the caller's signal), classified. A handler of undici's
 * own instead of `Pool.request`, which makes a header object, a Readable stream and an async
 * resource per response that the gateway only reads to its end. It is its own timer argument and
 * abort listener (`handleEvent`), so an attempt makes no closure for either.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly startedAt = performance.now();
  private abortRequest: ((reason: Error) => void) | undefined = undefined;
  private reason: unknown = undefined;
  private aborted = false;
  private settled = false;
  private statusCode = 0;
  private readonly chunks: Buffer[] = [];
  private length = 0;

  constructor(
    private readonly sender: SenderOf,
    private readonly signal: CancelSignal | undefined,
    readonly timeoutMs: number,
    private readonly resolve: (outcome: AttemptOutcome) => void,
  ) {
    this.timer = setTimeout(timeUp, timeoutMs, this);
    if (signal?.aborted) this.abort(signal.reason);
    else signal?.addEventListener('abort', this, once);
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.abort(this.signal?.reason);
  }

  /** Stops the attempt; it fails with `reason`. */
  abort(reason: unknown): void {
    if (this.aborted || this.settled) return;
    this.aborted = true;
    this.reason = reason;
    if (this.abortRequest) this.abortRequest(reason instanceof Error ? reason : new Error(String(reason)));
    // Still queued in the pool (undici connects a request only when it writes it): the attempt
    // ends now, at its deadline; `onConnect` aborts the request if it is ever written.
    else this.settle(reason, undefined);
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortRequest = abort;
    if (this.aborted) abort(this.reason instanceof Error ? this.reason : new Error(String(this.reason)));
  }

  onHeaders(statusCode: number): boolean {
    this.statusCode = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.statusCode < 200 || this.statusCode > 299) {
      this.settle(new SubgraphHttpError(this.statusCode), undefined);
      return;
    }
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    // A byte order mark is no part of the text (as undici's `body.text()` reads it).
    const start = body.length > 2 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
    this.settle(undefined, body.toString('utf8', start));
  }

  onError(error: Error): void {
    // undici reports an abort as its own error; the reason says why.
    this.settle(this.aborted ? (this.reason ?? error) : error, undefined);
  }

  private settle(error: unknown, text: string | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this);
    const { sender } = this;
    const durationMs = performance.now() - this.startedAt;
    if (text !== undefined) {
      sender.onAttempt?.(durationMs, 'success');
      this.resolve({ ok: true, raw: text });
      return;
    }
    const failure = classifySubgraphFailure(error, sender.name, this.timeoutMs, sender.timeoutMs);
    sender.onAttempt?.(durationMs, String(failure.error.extensions.code));
    this.resolve({ ok: false, failure });
  }
}

const once = { once: true } as const;

function timeUp(answer: AnswerCollector): void {
  answer.abort(new DOMException(`timed out after ${answer.timeoutMs} ms`, 'TimeoutError'));
}
