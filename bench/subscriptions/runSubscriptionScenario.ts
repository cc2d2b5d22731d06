import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { readSubgraphSchema } from '../../subgraphs/kit/readSubgraphSchema.js';
import { writeSupergraph } from '../../test/gateway/fixtures/writeSupergraph.js';
import { signedHeaders } from '../../test/support/startStack.js';
import { testSigningSecret, type SubgraphName } from '../../test/support/startSubgraphs.js';
import { cpuSecondsOf } from '../attack/cpuSecondsOf.js';
import { spawnDemoServices } from '../attack/spawnDemoServices.js';
import { hiveStreamingCommand } from '../gateways/hiveStreamingCommand.js';
import { findFreePort, startGatewayProcess, type GatewayCommand, type GatewayProcess } from '../gateways/startGatewayProcess.js';
import { subscriptionSummaryLine } from './formatSubscriptionResults.js';
import type { SubscriptionResults, SubscriptionRun } from './SubscriptionResults.js';
import { summarizeSubscriptionRun } from './summarizeSubscriptionRun.js';
import { porticoGatewayArgs } from '../gateways/porticoGatewayArgs.js';

/** How long the drain waits with no delivery before what has not arrived counts as lost. */
const drainQuietMs = 3000;

export interface SubscriptionScenarioOptions {
  /** One run per gateway per number. */
  subscribers: readonly number[];
  /** Reviews written per second during the measured window. */
  eventsPerSecond: number;
  durationSeconds: number;
  gateways: readonly SubscriptionRun['gateway'][];
  /** Pin each gateway to this CPU; null: unpinned. */
  gatewayCpu: number | null;
  log(line: string): void;
}

export const benchSubscription =
  'subscription BenchReviews($upc: String) { reviewAdded(productUpc: $upc) { id body rating author { name } product { name inStock } } }';

const root = fileURLToPath(new URL('../../', import.meta.url));
const names: Record<SubscriptionRun['gateway'], string> = { portico: 'Portico', 'hive-gateway': 'Hive Gateway' };
const subgraphNames: SubgraphName[] = ['accounts', 'products', 'inventory', 'reviews'];
const idleSeconds = 2;
/** Subscriber connections being set up at once (see createSubscriberPool's `open`). */
const openingAtOnce = 200;
/** Attempts more for a subscriber whose connection fails before its connection_ack. */
const setupRetries = 3;
/** The product every review of the scenario is about, and every subscriber filters on. */
const productUpc = '1';

const commands: Record<SubscriptionRun['gateway'], (supergraphFile: string, port: number) => GatewayCommand> = {
  portico: (supergraphFile, port) => ({
    args: porticoGatewayArgs({ root, config: fileURLToPath(new URL('./portico.subscriptions.yaml', import.meta.url)), supergraph: supergraphFile, port }),
    // The demo subgraphs check signatures made with the test secret (and accept unsigned requests, for Hive).
    env: { PORTICO_SIGNING_SECRET: testSigningSecret },
  }),
  'hive-gateway': hiveStreamingCommand,
};

/**
 * The subscription scenario: the demo subgraphs in a process of their own (accepting unsigned
 * requests, which Hive Gateway sends), then for each gateway and number of subscribers: the
 * gateway started alone, that many graphql-ws connections each subscribed to `reviewAdded` with
 * fields from three other subgraphs, probe reviews until every subscriber has one (the gateway
 * has no other way of saying its upstream is open), an idle window (CPU, RSS), then reviews
 * written at a fixed rate directly at the reviews subgraph (the write path is the same for both
 * gateways), and a drain until every event arrived or nothing more came for a few seconds.
 */
export async function runSubscriptionScenario(options: SubscriptionScenarioOptions): Promise<SubscriptionResults> {
  // Hive Gateway opens one upstream subscription per client, all on one WebSocket to the reviews
  // subgraph: the kit's 1,000 operations per connection would refuse its 1,001st subscriber.
  const services = await spawnDemoServices({ requireSignature: false, maxOperationsPerConnection: Math.max(...options.subscribers, 1000) });
  try {
    const supergraphFile = writeSupergraph(
      mkdtempSync(join(tmpdir(), 'portico-bench-subscriptions-')),
      subgraphNames.map((name) => ({ name, url: services.urls[name], typeDefs: readSubgraphSchema(name) })),
    );
    const runs: SubscriptionRun[] = [];
    for (const subscribers of options.subscribers) {
      for (const gateway of options.gateways) {
        // Whatever a subscriber's socket throws (graphql-ws rejects with events, not Errors) fails this run only, saying what it was.
        const run = await runOne(gateway, subscribers, supergraphFile, services.urls.reviews, options).catch(
          (error: unknown): SubscriptionRun => ({
            gateway,
            name: names[gateway],
            subscribers,
            outcome: 'failed',
            problem: `the run broke: ${describeFailure(error)}`,
          }),
        );
        options.log(subscriptionSummaryLine(run));
        runs.push(run);
      }
    }
    return { eventsPerSecond: options.eventsPerSecond, durationSeconds: options.durationSeconds, subscription: benchSubscription, runs };
  } finally {
    await services.close();
  }
}

async function runOne(
  gateway: SubscriptionRun['gateway'],
  subscribers: number,
  supergraphFile: string,
  reviewsUrl: string,
  options: SubscriptionScenarioOptions,
): Promise<SubscriptionRun> {
  const name = names[gateway];
  const failed = (problem: string): SubscriptionRun => ({ gateway, name, subscribers, outcome: 'failed', problem });
  const port = await findFreePort();
  let running: GatewayProcess;
  try {
    running = await startGatewayProcess(commands[gateway](supergraphFile, port), { port, cpu: options.gatewayCpu });
  } catch (error) {
    return failed((error as Error).message.split('\n')[0] ?? 'did not start');
  }
  const pool = createSubscriberPool();
  try {
    // One subscriber first: the memory measured against is that of a gateway whose schema, plans
    // and upstream connections are warm, so what the others add is what idle subscriptions cost.
    let probes = 0;
    const probeUntil = async (count: number) => {
      const readyBy = Date.now() + 60_000 + count * 10;
      while (pool.ready() < count) {
        if (Date.now() > readyBy || pool.failures() > 0) return false;
        probes += 1;
        void writeReview(reviewsUrl, `probe ${probes}`).catch(() => undefined);
        await sleep(500);
      }
      return true;
    };
    await pool.open(running.url, 1);
    if (!(await probeUntil(1))) return failed(`the first subscriber got no event (${pool.failures()} failed)`);
    await sleep(1000);
    const rssBeforeBytes = running.rssBytes();
    // Half of them, then the rest: the second half's growth is the marginal cost (see rssPerThousandIdleMarginalBytes).
    const halfSubscribers = 1 + Math.floor((subscribers - 1) / 2);
    await pool.open(running.url, halfSubscribers - 1);
    await pool.settled();
    await sleep(2000);
    const rssHalfBytes = running.rssBytes();
    await pool.open(running.url, subscribers - halfSubscribers);
    if (!(await probeUntil(subscribers)))
      return failed(
        `${pool.ready()} of ${subscribers} subscribers got a first event (${pool.failures()} failed${pool.firstFailure() ? `, the first: ${pool.firstFailure()}` : ''})`,
      );
    if (pool.retried() > 0) options.log(`${name}: ${pool.retried()} subscriber connections failed before their connection_ack and were retried`);
    // Probes still in flight settle before the idle window.
    await sleep(1000);
    const idleCpuBefore = cpuSecondsOf(running.pid);
    await sleep(idleSeconds * 1000);
    const idleCpuSeconds = difference(cpuSecondsOf(running.pid), idleCpuBefore);
    const rssIdleBytes = running.rssBytes();

    const eventsSent = Math.round(options.eventsPerSecond * options.durationSeconds);
    const failedBefore = pool.failures();
    const cpuBefore = cpuSecondsOf(running.pid);
    const started = performance.now();
    const writes: Promise<void>[] = [];
    for (let seq = 0; seq < eventsSent; seq += 1) {
      const due = started + (seq * 1000) / options.eventsPerSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      pool.sentAt.set(seq, performance.now());
      const write = writeReview(reviewsUrl, `bench ${seq}`);
      // Counted after the loop; a write that fails before then must not be an unhandled rejection (which ends the run).
      write.catch(() => undefined);
      writes.push(write);
    }
    // A write that failed (the demo backend missed its deadline on a loaded machine) is no event
    // of the gateway's: it is left out of what was sent, and so are its deliveries if it was made
    // after all. Past a tenth of them, the run says nothing and fails.
    const failedWrites = new Set<number>();
    const settled = await Promise.allSettled(writes);
    for (const [seq, write] of settled.entries()) if (write.status === 'rejected') failedWrites.add(seq);
    // The drain: until every event reached every subscriber, or nothing more came for drainQuietMs.
    const expected = eventsSent * subscribers;
    let last = -1;
    let quietSince = performance.now();
    while (pool.latenciesMs.length < expected && performance.now() - quietSince < drainQuietMs) {
      if (pool.latenciesMs.length !== last) {
        last = pool.latenciesMs.length;
        quietSince = performance.now();
      }
      await sleep(50);
    }
    const windowSeconds = (performance.now() - started) / 1000;
    // What "lost" is made of: a drain that gave up on a gateway still sending, connections that
    // failed after their connection_ack, and subscriptions the gateway ended (below).
    if (pool.latenciesMs.length < expected)
      options.log(`${name}: the drain stopped after ${drainQuietMs / 1000} s without a delivery, ${expected - pool.latenciesMs.length} deliveries short`);
    const failedDuring = pool.failures() - failedBefore;
    if (failedDuring > 0) options.log(`${name}: ${failedDuring} subscriber connections failed during the events (the last: ${pool.lastFailure()})`);
    if (pool.endedBy.size > 0) options.log(`${name}: subscriptions ended by the gateway: ${[...pool.endedBy].map(([code, n]) => `${n} ${code}`).join(', ')}`);
    const gatewayCpuSeconds = difference(cpuSecondsOf(running.pid), cpuBefore);
    if (failedWrites.size > eventsSent / 10) return failed(`${failedWrites.size} of ${eventsSent} reviews could not be written`);
    if (failedWrites.size > 0)
      options.log(`${name}: ${failedWrites.size} of ${eventsSent} reviews could not be written; counted over the other ${eventsSent - failedWrites.size}`);
    const summary = summarizeSubscriptionRun({
      subscribers,
      eventsSent: eventsSent - failedWrites.size,
      latenciesMs: failedWrites.size === 0 ? pool.latenciesMs : pool.latenciesMs.filter((_, index) => !failedWrites.has(pool.deliveredSeqs[index]!)),
      windowSeconds,
      gatewayCpuSeconds,
      idleCpuSeconds,
      idleSeconds,
      rssBeforeBytes,
      rssIdleBytes,
      rssHalfBytes,
      halfSubscribers,
    });
    return { gateway, name, outcome: 'ok', ...summary, ...(failedWrites.size > 0 ? { writesFailed: failedWrites.size } : {}) };
  } finally {
    await pool.close();
    await running.stop();
  }
}

const difference = (after: number | null, before: number | null) => (after === null || before === null ? null : after - before);

/** Writes one review of the scenario's product as user 7, signed as the gateway signs, directly at the reviews subgraph. */
async function writeReview(reviewsUrl: string, body: string): Promise<void> {
  const payload = JSON.stringify({
    query: 'mutation ($input: CreateReviewInput!) { createReview(input: $input) { id } }',
    variables: { input: { productUpc, body, rating: 5 } },
  });
  const response = await fetch(reviewsUrl, {
    method: 'POST',
    headers: signedHeaders(reviewsUrl, payload, { audience: 'reviews', identity: { sub: '7' } }),
    body: payload,
  });
  const reply = (await response.json()) as { errors?: { message: string }[] };
  if (!response.ok || reply.errors) throw new Error(`createReview: ${response.status} ${reply.errors?.[0]?.message ?? ''}`);
}

/** A subscriber's failure in a few words: a close event's code and reason, GraphQL errors' codes, or a message. */
function describeFailure(error: unknown): string {
  if (Array.isArray(error))
    return error
      .map((one) => (one as { extensions?: { code?: string }; message?: string }).extensions?.code ?? (one as { message?: string }).message)
      .join(', ');
  if (typeof error === 'object' && error !== null && 'code' in error)
    return `close ${String((error as { code: unknown }).code)} ${String((error as { reason?: unknown }).reason ?? '')}`.trim();
  return error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
}

/** Subscribers, one graphql-ws connection each, recording when each scenario event arrives. */
function createSubscriberPool() {
  const clients: Client[] = [];
  const sentAt = new Map<number, number>();
  const latenciesMs: number[] = [];
  // The event of each delivery in latenciesMs, at the same index.
  const deliveredSeqs: number[] = [];
  let ready = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  let lastFailure: string | undefined;
  const endedBy = new Map<string, number>();
  let opening = 0;
  let retried = 0;
  const openingFreed: (() => void)[] = [];
  return {
    /** Subscribers the gateway ended with an error, by its code. */
    endedBy,
    sentAt,
    latenciesMs,
    deliveredSeqs,
    ready: () => ready,
    /** Connections retried after failing before their connection_ack. */
    retried: () => retried,
    /** Resolves once no connection is being set up (each acknowledged, or failed). */
    async settled() {
      while (opening > 0) await sleep(50);
    },
    failures: () => failures,
    /** What the first subscriber that failed was told (a close code, an error's message or code). */
    firstFailure: () => firstFailure,
    /** What the latest one was told. */
    lastFailure: () => lastFailure,
    /**
     * Opens `count` subscriptions with at most `openingAtOnce` connections being set up at a time
     * (connected, not yet acknowledged): the load is the subscribers, not a connection storm.
     */
    async open(url: string, count: number) {
      for (let index = 0; index < count; index += 1) {
        while (opening >= openingAtOnce) await new Promise<void>((resolve) => openingFreed.push(resolve));
        opening += 1;
        let settled = false;
        let acknowledged = false;
        // Acknowledged, or failed before: either way it is no longer being set up.
        const settle = () => {
          if (settled) return;
          settled = true;
          opening -= 1;
          openingFreed.shift()?.();
        };
        const client = createClient({
          url: url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          // A connection that fails before its connection_ack (a reset, a 408 or 4408 from a gateway or
          // load generator behind on a busy machine) is retried, as an application's client would:
          // it is set-up, not what is measured. Once acknowledged, nothing is retried, so a subscriber
          // the gateway drops stays dropped (and its events lost).
          retryAttempts: setupRetries,
          shouldRetry: () => {
            if (acknowledged) return false;
            retried += 1;
            return true;
          },
          retryWait: () => sleep(500 + Math.random() * 1000),
          lazy: true,
          on: {
            connected: () => {
              acknowledged = true;
              settle();
            },
            closed: settle,
          },
        });
        clients.push(client);
        let probed = false;
        client.subscribe(
          { query: benchSubscription, variables: { upc: productUpc } },
          {
            next: (result) => {
              // An event with errors and no data is the gateway ending the subscription, saying why.
              const code = (result.errors?.[0]?.extensions as { code?: unknown } | undefined)?.code;
              if (!result.data && typeof code === 'string') endedBy.set(code, (endedBy.get(code) ?? 0) + 1);
              const body = (result.data?.reviewAdded as { body?: string } | null | undefined)?.body ?? '';
              if (body.startsWith('bench ')) {
                const seq = Number(body.slice(6));
                const sent = sentAt.get(seq);
                if (sent !== undefined) {
                  latenciesMs.push(performance.now() - sent);
                  deliveredSeqs.push(seq);
                }
              } else if (!probed && body.startsWith('probe ')) {
                probed = true;
                ready += 1;
              }
            },
            error: (error: unknown) => {
              failures += 1;
              lastFailure = describeFailure(error);
              firstFailure ??= lastFailure;
            },
            complete: () => undefined,
          },
        );
      }
    },
    async close() {
      // A client whose socket already failed may reject its dispose: the others are closed all the same.
      await Promise.allSettled(clients.map((client) => client.dispose()));
    },
  };
}
