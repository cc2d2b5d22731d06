import { Pool, errors as undiciErrors } from 'undici';
import { ErrorCode } from '../../../common/errorCodes.js';
import { Headers } from '../../../common/headers.js';
import { TRACEPARENT } from '../../../common/tracing/startServerSpan.js';
import { backendError, codeForHttpStatus } from '../backendError.js';
import { readCappedText } from './readCappedText.js';

export interface RestClientOptions {
  /** The backend's name, as errors and logs show it (e.g. `users`). */
  backend: string;
  /** Where the service lives; a path here prefixes every request path. */
  baseUrl: string;
  /**
   * Deadline for one call, from sending to the last byte of the answer.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Keep-alive connections kept open to the backend; calls beyond this queue.
   * @default 64
   */
  connections?: number;
  /**
   * Longest request target (path and query, base path included) sent, in bytes: a longer one is
   * refused with BAD_USER_INPUT before anything is sent, since it can only come from an argument
   * too long (servers refuse targets past about 8 KiB, and reading one costs them).
   * @default 8192
   */
  maxUrlBytes?: number;
  /**
   * Largest answer read from the backend, in bytes: a larger one is cancelled as it arrives (or
   * before, from its `content-length`) and the call fails with BACKEND_ERROR, the backend's fault.
   * Without a cap, a backend that streams without end makes the subgraph hold gigabytes within
   * one deadline. See `defaultMaxResponseBytes`.
   * @default 8 MiB
   */
  maxResponseBytes?: number;
}

/**
 * The default `maxResponseBytes`, 8 MiB: far above any JSON answer a resolver should hold at once
 * (the demo's largest, 500 users, is about 50 KB), and low enough that the 64 connections of a
 * client cannot hold more than 512 MiB between them.
 */
export const defaultMaxResponseBytes = 8 * 1024 * 1024;

/** What one call carries from the GraphQL request it serves. */
export interface CallOptions {
  requestId?: string;
  /** The W3C `traceparent` sent along, so the backend's work joins the request's trace. */
  traceparent?: string;
  /** Aborts the call when the client has gone away. */
  signal?: AbortSignal;
  /** When the caller stops waiting (epoch ms): the call's deadline is never later. */
  deadlineAt?: number;
}

/** The time a call may take: its own timeout, cut short by the caller's deadline. */
export function callTimeoutMs(timeoutMs: number, call: CallOptions): number {
  return call.deadlineAt === undefined ? timeoutMs : Math.max(0, Math.min(timeoutMs, call.deadlineAt - Date.now()));
}

export interface RestClient {
  get<T>(path: string, options?: CallOptions): Promise<T>;
  post<T>(path: string, body: unknown, options?: CallOptions): Promise<T>;
  /**
   * Bytes the request target of `path` may still grow by before the client refuses it
   * (`maxUrlBytes`, the base path counted): what a list of ids appended to `path` may take.
   */
  urlBytesLeft(path: string): number;
  close(): Promise<void>;
}

/**
 * A JSON-over-HTTP client for one backend: a pool of keep-alive connections, a deadline on
 * every call, and failures turned into GraphQL errors with a code the client can act on.
 */
export function createRestClient(options: RestClientOptions): RestClient {
  const { backend, timeoutMs = 5000, connections = 64, maxUrlBytes = 8192, maxResponseBytes = defaultMaxResponseBytes } = options;
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/$/, '');
  const pool = new Pool(base.origin, { connections, keepAliveTimeout: 30_000 });

  async function call<T>(method: 'GET' | 'POST', path: string, body: unknown, callOptions: CallOptions = {}): Promise<T> {
    const target = prefix + path;
    const targetBytes = Buffer.byteLength(target);
    if (targetBytes > maxUrlBytes) {
      throw backendError(
        ErrorCode.BAD_USER_INPUT,
        backend,
        `The call to the ${backend} service would need a URL of ${targetBytes} bytes; at most ${maxUrlBytes} are sent. An argument is too long.`,
      );
    }
    const allowedMs = callTimeoutMs(timeoutMs, callOptions);
    const deadline = AbortSignal.timeout(allowedMs);
    const signal = callOptions.signal ? AbortSignal.any([deadline, callOptions.signal]) : deadline;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (callOptions.requestId) headers[Headers.requestId] = callOptions.requestId;
    if (callOptions.traceparent) headers[TRACEPARENT] = callOptions.traceparent;
    if (body !== undefined) headers['content-type'] = 'application/json';

    let response: Awaited<ReturnType<Pool['request']>>;
    let text: string | undefined;
    try {
      response = await pool.request({
        method,
        path: target,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await readCappedText(response.body, response.headers['content-length'], maxResponseBytes);
    } catch (error) {
      throw transportError(backend, error, deadline.aborted, allowedMs);
    }
    if (text === undefined) {
      throw backendError(ErrorCode.BACKEND_ERROR, backend, `The ${backend} service's answer is too large: over ${maxResponseBytes} bytes.`);
    }
    if (response.statusCode >= 400) throw statusError(backend, response.statusCode, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw backendError(ErrorCode.BACKEND_ERROR, backend, `The ${backend} service answered with invalid JSON.`);
    }
  }

  return {
    get: (path, callOptions) => call('GET', path, undefined, callOptions),
    post: (path, body, callOptions) => call('POST', path, body, callOptions),
    urlBytesLeft: (path) => maxUrlBytes - Buffer.byteLength(prefix + path),
    close: () => pool.close(),
  };
}

// A call that never got an HTTP answer: the deadline passed, the client left, or no connection.
function transportError(backend: string, error: unknown, timedOut: boolean, timeoutMs: number) {
  if (timedOut) {
    return backendError(ErrorCode.BACKEND_TIMEOUT, backend, `The ${backend} service did not answer within ${timeoutMs} ms.`);
  }
  if (error instanceof undiciErrors.RequestAbortedError || (error as Error).name === 'AbortError') {
    return backendError(ErrorCode.BACKEND_TIMEOUT, backend, `The call to the ${backend} service was cancelled.`);
  }
  return backendError(ErrorCode.BACKEND_UNAVAILABLE, backend, `The ${backend} service is unreachable.`);
}

// A 4xx carries the backend's reason, which tells the client what to fix; a 5xx's text is
// the backend's internals, so the client gets only the status.
function statusError(backend: string, status: number, text: string) {
  const code = codeForHttpStatus(status);
  const reason = status < 500 ? messageOf(text) : undefined;
  return backendError(code, backend, reason ?? `The ${backend} service failed with HTTP ${status}.`);
}

// The demo services answer `{ "error": { "message" } }`; other shapes are passed over.
function messageOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}
