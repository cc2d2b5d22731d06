import { createHash } from 'node:crypto';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLoad, type LoadReply } from '../support/runLoad.js';
import { fleetRuleLimit, startFleet, supergraphPollMs, type Fleet } from './support/startFleet.js';

// The deployment of deploy/ on one machine, without Docker: HAProxy (deploy/haproxy.cfg) in
// front of three `portico gateway` processes sharing one Redis. What an operator does to a fleet
// in its first week, under a bounded load. The numbers go to docs/fleet.md.
let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet(3);
}, 180_000);

afterAll(async () => {
  await fleet?.close();
}, 30_000);

interface Answer {
  status: number;
  /** Which replica answered, as HAProxy names it (null when none did). */
  replica: string | null;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> } | null;
}

async function post(url: string, body: unknown, dispatcher = fleet.dispatcher): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher });
  const text = await response.text();
  let parsed: Answer['body'] = null;
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    // Not JSON (HAProxy's own 502/503 page): counted as a failure by the caller.
  }
  return { status: response.status, replica: response.headers.get('x-portico-replica'), body: parsed };
}

const loadQuery = { query: 'query FleetLoad { topProducts(first: 2) { upc name } }', operationName: 'FleetLoad' };

/** A load reply that is not a full, error-free answer. */
function failed(reply: LoadReply<Answer | Error>): boolean {
  const answer = reply.reply;
  return answer instanceof Error || answer.status !== 200 || answer.body?.errors !== undefined || answer.body?.data === undefined;
}

function describeFailures(replies: LoadReply<Answer | Error>[]): string {
  return JSON.stringify(
    replies
      .filter(failed)
      .slice(0, 5)
      .map((reply) => (reply.reply instanceof Error ? reply.reply.message : reply.reply)),
  );
}

function replicasIn(replies: LoadReply<Answer | Error>[]): Set<string> {
  return new Set(replies.flatMap(({ reply }) => (reply instanceof Error || !reply.replica ? [] : [reply.replica])));
}

describe('a fleet of three gateways behind HAProxy', () => {
  it('shares APQ documents: a query registered through one replica is found through the others', async () => {
    const query = 'query FleetApq { topProducts(first: 1) { upc } }';
    const persisted = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    const [first, ...others] = fleet.gateways;
    const unknown = await post(`${first!.origin}/graphql`, { extensions: persisted }, undefined);
    expect(unknown.body?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(`${first!.origin}/graphql`, { query, extensions: persisted }, undefined);
    expect(registered).toMatchObject({ status: 200, body: { data: { topProducts: [{ upc: expect.any(String) }] } } });
    for (const replica of others) {
      const found = await post(`${replica.origin}/graphql`, { extensions: persisted }, undefined);
      expect(found, replica.name).toMatchObject({ status: 200, body: { data: registered.body!.data } });
    }
    // And through the load balancer, wherever it sends it.
    for (let i = 0; i < 3; i += 1) expect((await post(`${fleet.origin}/graphql`, { extensions: persisted })).body?.data).toEqual(registered.body!.data);
  });

  it('holds a per-client rate limit across replicas: the sum allowed is the limit', async () => {
    const limited = { query: 'query FleetLimited { topProducts(first: 1) { upc } }', operationName: 'FleetLimited' };
    const answers: Answer[] = [];
    // Three at a time, through HAProxy, which spreads them over the replicas.
    for (let sent = 0; sent < fleetRuleLimit * 2; sent += 3)
      answers.push(...(await Promise.all([0, 1, 2].map(() => post(`${fleet.origin}/graphql`, limited)))));
    const allowed = answers.filter((answer) => answer.status === 200 && answer.body?.errors === undefined);
    const refused = answers.filter((answer) => answer.body?.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    expect(allowed.length).toBe(fleetRuleLimit);
    expect(refused.length).toBe(answers.length - fleetRuleLimit);
    expect(new Set(allowed.map((answer) => answer.replica)).size, 'the allowed ones were served by every replica').toBe(3);
  });

  it(`brings a supergraph published at its URL to every replica (each polls it every ${supergraphPollMs} ms)`, async () => {
    const before = '"""One user by id; null when there is no such user."""';
    expect(fleet.supergraphSdl).toContain(before);
    const description = 'One user by id (fleet test, second supergraph).';
    const introspect = { query: '{ __type(name: "Query") { fields { name description } } }' };
    const describesUser = async (origin: string) => {
      const { body } = await post(`${origin}/graphql`, introspect, undefined);
      return (body?.data as { __type: { fields: Array<{ name: string; description: string }> } }).__type.fields.find((field) => field.name === 'user')
        ?.description;
    };
    const publishedAt = Date.now();
    fleet.publishSupergraph(fleet.supergraphSdl.replace(before, `"""${description}"""`));
    const reachedAfterMs = await Promise.all(
      fleet.gateways.map(async (gateway) => {
        await vi.waitFor(async () => expect(await describesUser(gateway.origin)).toBe(description), { timeout: 15_000, interval: 50 });
        return Date.now() - publishedAt;
      }),
    );
    console.info(`[fleet] the new supergraph reached every replica within ${Math.max(...reachedAfterMs)} ms (${reachedAfterMs.join(', ')})`);
  });

  it('fails no request while every gateway is drained and replaced in turn', async () => {
    let phase = 'rolling';
    // Paced: a request every 25 ms or so across the four loops, spread by HAProxy over the
    // replicas, is load enough for a drain of over a second to fail one if it could; at full speed
    // the roll cost seconds of CPU more for the same proof.
    const load = runLoad({
      concurrency: 4,
      maxRequests: 20_000,
      minIntervalMs: 100,
      phase: () => phase,
      send: () => post(`${fleet.origin}/graphql`, loadQuery),
    });
    const startedAt = Date.now();
    try {
      for (let index = 0; index < fleet.gateways.length; index += 1) {
        await fleet.replace(index);
        console.info(
          `[fleet] ${JSON.stringify(fleet.timings.at(-1))}, ${load.replies.length} replies, ${load.replies.filter(failed).length} failed ${describeFailures(load.replies)}`,
        );
      }
    } finally {
      phase = 'done';
      await load.stop();
    }
    const replies = load.replies;
    console.info(`[fleet] replacements: ${JSON.stringify(fleet.timings)}`);
    console.info(`[fleet] rolling restart of 3 replicas: ${replies.length} requests in ${Date.now() - startedAt} ms, ${replies.filter(failed).length} failed`);
    expect(replies.length).toBeGreaterThan(50);
    expect(replies.filter(failed), describeFailures(replies)).toEqual([]);
    expect(replicasIn(replies).size).toBe(3);
  }, 300_000);

  it('fails at most the requests in flight on a replica killed with SIGKILL, and routes around it', async () => {
    const concurrency = 4;
    let phase = 'before';
    const load = runLoad({ concurrency, maxRequests: 20_000, phase: () => phase, send: () => post(`${fleet.origin}/graphql`, loadQuery) });
    const victim = fleet.gateways[1]!;
    try {
      await vi.waitFor(() => expect(load.count('before')).toBeGreaterThan(30), { timeout: 10_000 });
      // Requests sent until it is gone may have reached it; none sent after may fail.
      victim.process.child.kill('SIGKILL');
      await victim.process.exited;
      phase = 'dead';
      await vi.waitFor(async () => expect((await fleet.serverStates())[victim.name]).toMatch(/^DOWN/), { timeout: 10_000, interval: 100 });
      phase = 'after';
      await vi.waitFor(() => expect(load.count('after')).toBeGreaterThan(50), { timeout: 15_000 });
    } finally {
      phase = 'done';
      await load.stop();
    }
    const lost = load.replies.filter(failed);
    console.info(`[fleet] SIGKILL of one replica: ${load.replies.length} requests, ${lost.length} failed (at most ${concurrency} were in flight)`);
    // Only requests sent before it died: HAProxy sent every later one elsewhere (a refused
    // connection is retried on another replica), before and after its checks took it out.
    expect(lost.length).toBeLessThanOrEqual(concurrency);
    expect(
      lost.filter((reply) => reply.phase !== 'before'),
      describeFailures(lost),
    ).toEqual([]);
    const after = load.replies.filter((reply) => reply.phase === 'after');
    expect(after.filter(failed)).toEqual([]);
    expect(replicasIn(after)).not.toContain(victim.name);
  }, 60_000);
});
