import type { IncomingMessage } from 'node:http';
import { createClient, type Client, type ClientOptions, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** A `graphql-ws` client as an application would make it, without retries (a test sees every close). */
export function wsClient(url: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...options });
}

/** What one operation gave: every `next` payload, then how it ended. */
export interface OperationRun {
  results: FormattedExecutionResult[];
  /** The error sink's value: GraphQL errors (an `error` message) or a CloseEvent. */
  error?: unknown;
}

/** Runs one operation to its end. */
export function runOperation(
  client: Client,
  payload: { query: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> },
): Promise<OperationRun> {
  return new Promise((resolve) => {
    const results: FormattedExecutionResult[] = [];
    client.subscribe(payload, {
      next: (result) => void results.push(result as FormattedExecutionResult),
      error: (error) => resolve({ results, error }),
      complete: () => resolve({ results }),
    });
  });
}

/** The `code` and `reason` of a CloseEvent the client's error sink got, or undefined. */
export function closeOf(error: unknown): { code: number; reason: string } | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && 'reason' in error) {
    return { code: (error as { code: number }).code, reason: String((error as { reason: unknown }).reason) };
  }
  return undefined;
}

/** How a raw upgrade went: open (with the socket), or refused with an HTTP answer. */
export type UpgradeOutcome = { open: WebSocket } | { status: number; body: RefusalBody; headers: IncomingMessage['headers'] };

/** A refusal's JSON body. */
export interface RefusalBody {
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A raw WebSocket handshake, for what `graphql-ws` clients never send (other subprotocols, origins). */
export function upgrade(url: string, protocols: string[] | undefined, headers: Record<string, string> = {}): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), protocols, { headers });
    socket.once('open', () => resolve({ open: socket }));
    socket.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: RefusalBody;
        try {
          body = JSON.parse(text) as RefusalBody;
        } catch {
          body = { errors: [{ message: text }] };
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    socket.once('error', (error) => reject(error));
  });
}

/** Waits for a socket's close, with its code and reason. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
}

/** The next message a raw socket receives, parsed. */
export function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>)));
}
