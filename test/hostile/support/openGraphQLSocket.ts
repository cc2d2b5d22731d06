import WebSocket from 'ws';
import type { Target } from './startTarget.js';

/** A raw `graphql-transport-ws` socket (no client library: the point is to send what none would). */
export interface GraphQLSocket {
  socket: WebSocket;
  /** Every message received, parsed (text that is not JSON is kept as it is). */
  messages: unknown[];
  /** Resolves with the close code and reason once the socket has closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** Sends `connection_init` and waits for `connection_ack`. */
  init(payload?: Record<string, unknown>): Promise<void>;
  /** Resolves once a message matching `match` has arrived (or the socket closed: false). */
  waitFor(match: (message: Record<string, unknown>) => boolean): Promise<boolean>;
}

/** How an upgrade went: open, or refused with an HTTP status and body. */
export type SocketOutcome = { open: GraphQLSocket } | { status: number; body: string };

/** Opens a WebSocket to the target's GraphQL path, from `localAddress` (a loopback address) when given. */
export function openGraphQLSocket(
  target: Target,
  options: { localAddress?: string; protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<SocketOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(target.url.replace(/^http/, 'ws'), options.protocols ?? ['graphql-transport-ws'], {
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      headers: options.headers ?? {},
    });
    const messages: unknown[] = [];
    const listeners = new Set<() => void>();
    socket.on('message', (data) => {
      const text = String(data);
      try {
        messages.push(JSON.parse(text));
      } catch {
        messages.push(text);
      }
      for (const listener of listeners) listener();
    });
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.once('close', (code, reason) => {
        for (const listener of listeners) listener();
        done({ code, reason: reason.toString('utf8') });
      }),
    );
    const waitFor = (match: (message: Record<string, unknown>) => boolean) =>
      new Promise<boolean>((done) => {
        const check = () => {
          if (messages.some((message) => typeof message === 'object' && message !== null && match(message as Record<string, unknown>))) {
            listeners.delete(check);
            done(true);
          } else if (socket.readyState === WebSocket.CLOSED) {
            listeners.delete(check);
            done(false);
          }
        };
        listeners.add(check);
        check();
      });
    socket.once('open', () =>
      resolve({
        open: {
          socket,
          messages,
          closed,
          waitFor,
          async init(payload) {
            socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) }));
            if (!(await waitFor((message) => message.type === 'connection_ack'))) throw new Error(`no connection_ack: ${JSON.stringify(await closed)}`);
          },
        },
      }),
    );
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.on('error', (error) => reject(error));
  });
}
