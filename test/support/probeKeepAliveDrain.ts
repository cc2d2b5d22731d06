import type { ChildProcess } from 'node:child_process';
import { readyOnFreshConnection } from './readyOnFreshConnection.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';
import { expect } from 'vitest';

export type DrainPhase = 'serving' | 'signalled' | 'draining' | 'closed';

/** One request of the probe. */
export interface DrainProbeReply {
  /** Which connection sent it: `load-N` or `idle-N`. */
  from: string;
  /** The probe's phase when the request was sent. */
  sentIn: DrainPhase;
  /** Whether the request opened a new connection (rather than reusing a kept-alive one). */
  newConnection: boolean;
  /** The HTTP status, or the connection error when there was no answer. */
  status?: number;
  error?: string;
  /** The response's `connection` header. */
  connection?: string | undefined;
}

export interface DrainProbeResult {
  replies: DrainProbeReply[];
  /** What the process exited with. */
  exitCode: number | null;
  /** Whether /ready was seen failing on a new connection before the listener refused them. */
  readyFailedBeforeClose: boolean;
  /**
   * The watcher's `/ready` requests that got no answer on a connection that was not refused
   * (accepted, then closed or reset): how long after the signal each was sent, and how long it
   * waited. Printed with a failure: the watcher waits for each one, so one left hanging delays
   * the `closed` phase (a cluster primary once held such a connection for the whole grace period,
   * nodejs/node#21746, and idle-1's connection was destroyed before the probe saw the close).
   */
  readyUnanswered: string[];
}

export interface DrainProbeOptions {
  /** `http://127.0.0.1:PORT` of the process. */
  origin: string;
  /** The process to signal, and whose exit is awaited. */
  child: ChildProcess;
  exited: Promise<number | null>;
  /** A JSON GraphQL request body that the gateway answers with 200. */
  body: string;
  /** Connections that send one request after the other. */
  loadConnections: number;
  /**
   * Connections kept alive but idle when the signal comes: each sends one request just before
   * the signal and then one more, on the same connection: the even-numbered ones as soon as the
   * drain is seen, the odd-numbered ones once the listener is closed.
   */
  idleConnections: number;
  /** The load before the signal: this many answered requests. */
  requestsBeforeSignal: number;
  /** The bound on the load, whatever happens. */
  maxRequests: number;
  /** Called once the listener refuses connections. */
  onClosed?: () => void;
}

/**
 * SIGTERM in the middle of a keep-alive load, as a load balancer sends it. Each connection is
 * its own undici Client (keep-alive, honouring the server's `Keep-Alive: timeout` hint). Load
 * connections send one request after the other; once the signal is sent, a load connection that
 * the server closes (`connection: close`) is not replaced, as a load balancer takes a backend
 * out of rotation. Idle connections send once before the signal and then stay idle: they send
 * again when the drain is seen and when the listener is closed, on the connection kept alive.
 * A watcher opens a fresh connection for each `/ready`, to see when the drain begins (a 503) and
 * when the listener closes (connection refused). Every request is labelled with the phase it
 * was sent in.
 */
export async function probeKeepAliveDrain(options: DrainProbeOptions): Promise<DrainProbeResult> {
  const clients: Client[] = [];
  const replies: DrainProbeReply[] = [];
  let phase: DrainPhase = 'serving';
  let sent = 0;
  let readyFailedBeforeClose = false;
  const readyUnanswered: string[] = [];
  const reached = new Map<DrainPhase | 'loaded', () => void>();
  const phaseReached = new Map<DrainPhase | 'loaded', Promise<void>>(
    (['loaded', 'signalled', 'draining', 'closed'] as const).map((name) => [name, new Promise<void>((resolve) => reached.set(name, resolve))]),
  );
  const enter = (next: DrainPhase) => {
    phase = next;
    reached.get(next)?.();
  };
  const loaded = () => reached.get('loaded')?.();

  /** One request on `client`; false when the connection is done (an error, or closed during the stop). */
  const sendOn = async (client: Client, from: string, counter: { connects: number }): Promise<boolean> => {
    sent += 1;
    const sentIn = phase;
    const connectsBefore = counter.connects;
    try {
      const response = await client.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body: options.body });
      await response.body.text();
      const header = response.headers.connection;
      const connection = Array.isArray(header) ? header.join(', ') : header;
      replies.push({ from, sentIn, newConnection: counter.connects > connectsBefore, status: response.statusCode, connection });
      return !(connection === 'close' && phase !== 'serving');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
      replies.push({ from, sentIn, newConnection: counter.connects > connectsBefore, error: `${code}: ${(error as Error).message}` });
      return false;
    }
  };

  const newClient = () => {
    const client = new Client(options.origin, { pipelining: 1, headersTimeout: 15_000, bodyTimeout: 15_000 });
    clients.push(client);
    const counter = { connects: 0 };
    client.on('connect', () => (counter.connects += 1));
    return { client, counter };
  };

  const load = async (index: number) => {
    const { client, counter } = newClient();
    while (sent < options.maxRequests && (await sendOn(client, `load-${index}`, counter))) {
      if (replies.length >= options.requestsBeforeSignal) loaded();
    }
    // A run that ends before the signal (maxRequests) must still signal.
    loaded();
  };

  // Just before the signal, so that no connection outlives the keep-alive timeout while idle.
  const idle = async (index: number) => {
    const { client, counter } = newClient();
    await phaseReached.get('loaded');
    if (!(await sendOn(client, `idle-${index}`, counter))) return;
    await phaseReached.get(index % 2 === 0 ? 'draining' : 'closed');
    await sendOn(client, `idle-${index}`, counter);
  };
  const idles = Array.from({ length: options.idleConnections }, (_, index) => idle(index));

  const watch = async () => {
    await phaseReached.get('loaded');
    // Every idle connection has answered its first request and is idle now.
    while (replies.filter((reply) => reply.from.startsWith('idle-')).length < options.idleConnections) await sleep(5);
    enter('signalled');
    const signalledAt = performance.now();
    options.child.kill('SIGTERM');
    for (;;) {
      const sentAt = performance.now();
      const answer = await readyStatus(options.origin);
      if (answer === -1) {
        const ms = (from: number) => Math.round(from - signalledAt);
        readyUnanswered.push(`/ready sent ${ms(sentAt)} ms after the signal, in phase ${phase}: no answer ${ms(performance.now())} ms after the signal`);
      }
      if (answer === 'refused') {
        if (phase !== 'draining') enter('draining');
        enter('closed');
        options.onClosed?.();
        return;
      }
      if (answer === 503 && phase === 'signalled') {
        readyFailedBeforeClose = true;
        enter('draining');
      }
      await sleep(5);
    }
  };

  await Promise.all([watch(), ...idles, ...Array.from({ length: options.loadConnections }, (_, index) => load(index))]);
  const exitCode = await options.exited;
  await Promise.all(clients.map((client) => client.destroy()));
  return { replies, exitCode, readyFailedBeforeClose, readyUnanswered };
}

/** The watcher's `/ready`: its status, `refused`, or -1 when there was no answer. */
async function readyStatus(origin: string): Promise<number | 'refused'> {
  const answer = await readyOnFreshConnection(origin);
  if (answer === 'ECONNREFUSED') return 'refused';
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? -1);
}

/**
 * What every keep-alive drain must show: not one request lost (no reset, no refusal), every
 * answer after the drain began with `connection: close`, the idle connections neither cut nor
 * replaced, /ready failing before the port closed, exit code 0, and at least `minServing`
 * requests answered before the signal.
 */
export function expectCleanDrain(result: DrainProbeResult, output: string, minServing: number): void {
  // Not one request lost: no reset, no refusal (a load balancer opens no connection once /ready fails).
  const watcher = `the watcher's /ready without an answer: ${JSON.stringify(result.readyUnanswered)}`;
  expect(
    result.replies.filter((reply) => reply.error !== undefined),
    `${watcher}\n${output}`,
  ).toEqual([]);
  expect(result.replies.filter((reply) => reply.status !== 200)).toEqual([]);
  const afterDrain = result.replies.filter((reply) => reply.sentIn === 'draining' || reply.sentIn === 'closed');
  expect(afterDrain.filter((reply) => reply.connection !== 'close')).toEqual([]);
  // Idle kept-alive connections were neither cut nor replaced: one carried a request during the
  // drain, the other after the listener closed, both answered.
  for (const [from, then] of [
    ['idle-0', 'draining'],
    ['idle-1', 'closed'],
  ] as const) {
    expect(
      result.replies.filter((reply) => reply.from === from).map(({ sentIn, newConnection }) => ({ sentIn, newConnection })),
      watcher,
    ).toEqual([
      { sentIn: 'serving', newConnection: true },
      { sentIn: then, newConnection: false },
    ]);
  }
  expect(result.replies.filter((reply) => reply.sentIn === 'serving').length).toBeGreaterThanOrEqual(minServing);
  expect(result.readyFailedBeforeClose).toBe(true);
  expect(result.exitCode, output).toBe(0);
}
