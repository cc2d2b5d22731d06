import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchQuery } from '../../bench/benchQuery.js';
import { composeBenchSupergraph } from '../../bench/composeBenchSupergraph.js';
import { benchGateways } from '../../bench/gateways/benchGateways.js';
import { startOnFreePort, type GatewayProcess } from '../../bench/gateways/startGatewayProcess.js';
import { runClosedLoop } from '../../bench/load/runClosedLoop.js';
import { checkAnswer } from '../../bench/reference/checkAnswer.js';
import { computeReference } from '../../bench/reference/computeReference.js';
import { type AnswerChecker, type AnswerOutcome, createAnswerChecker } from '../../bench/reference/createAnswerChecker.js';
import { sendOnce } from '../../bench/sendOnce.js';
import { fetchRequestCounts, requestsBetween } from '../../bench/subgraphs/fetchRequestCounts.js';
import { startBenchSubgraphs, type RunningBenchSubgraphs } from '../../bench/subgraphs/startBenchSubgraphs.js';

// The benchmark's own moving parts, end to end: if the bench subgraphs, the composition or the
// reference drifted apart, Portico (run by its real command, as the bench runs it) would no
// longer answer the reference, and `npm run bench` would report every gateway wrong.
let subgraphs: RunningBenchSubgraphs;
let portico: GatewayProcess;
let grafbase: GatewayProcess;
let reference: Record<string, unknown>;
const body = JSON.stringify({ query: benchQuery });

beforeAll(async () => {
  subgraphs = await startBenchSubgraphs();
  const supergraphFile = join(mkdtempSync(join(tmpdir(), 'portico-bench-test-')), 'supergraph.graphql');
  writeFileSync(supergraphFile, composeBenchSupergraph(subgraphs.urls));
  reference = await computeReference(benchQuery);
  const gateway = benchGateways.find((candidate) => candidate.id === 'portico')!;
  portico = await startOnFreePort((port) => gateway.command({ supergraphFile, subgraphUrls: subgraphs.urls, port, dedup: 'off' }), { cpu: null });
  const rust = benchGateways.find((candidate) => candidate.id === 'grafbase')!;
  grafbase = await startOnFreePort((port) => rust.command({ supergraphFile, subgraphUrls: subgraphs.urls, port, dedup: 'off' }), { cpu: null });
});

afterAll(async () => {
  await portico?.stop();
  await grafbase?.stop();
  await subgraphs?.close();
});

describe('the benchmark against Portico', () => {
  it('has a reference that reaches every level of the query', () => {
    const users = reference.users as Array<{ reviews: Array<{ product: { reviews: Array<{ author: { reviews: unknown[] } }> } }> }>;
    expect(users).toHaveLength(6);
    expect(users[0]!.reviews[0]!.product.reviews[0]!.author.reviews.length).toBeGreaterThan(0);
    expect(reference.topProducts).toHaveLength(5);
  });

  it('gets the reference answer from Portico, through all four subgraphs', async () => {
    const before = await fetchRequestCounts(subgraphs.urls);
    const { status, answer } = await sendOnce(portico.url, body);
    expect(status).toBe(200);
    expect(checkAnswer(reference, answer)).toEqual({ ok: true });
    const after = await fetchRequestCounts(subgraphs.urls);
    for (const name of ['accounts', 'inventory', 'products', 'reviews'] as const) expect(after[name]).toBeGreaterThan(before[name]);
    expect(requestsBetween(before, after)).toBeGreaterThan(4);
  });

  it('keeps answering it under a second of load', async () => {
    // Every answer is checked, those that end after the second too: the loop counts only the
    // requests that ended within it, which on a busy machine (a full run at a load average of 20)
    // can be none, but each of its four connections finishes the request it has in flight.
    const answerChecker = createAnswerChecker(reference);
    const outcomes: AnswerOutcome[] = [];
    const check: AnswerChecker = (status, answer) => {
      const outcome = answerChecker(status, answer);
      outcomes.push(outcome);
      return outcome;
    };
    const load = await runClosedLoop({ url: portico.url, body, concurrency: 4, warmupMs: 0, durationMs: 1000, check });
    expect(outcomes.length).toBeGreaterThanOrEqual(4);
    expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([]);
    expect(load.requests).toBeLessThanOrEqual(outcomes.length);
    expect(load.errors).toEqual({ 'http-error': 0, 'graphql-errors': 0, wrong: 0, transport: 0 });
  });
});

describe('the benchmark against Grafbase Gateway', () => {
  it('gets the reference answer from the Rust gateway the bench compares with, composed from the same SDL', async () => {
    const { status, answer } = await sendOnce(grafbase.url, body);
    expect(status).toBe(200);
    expect(checkAnswer(reference, answer)).toEqual({ ok: true });
  });

  it('sends every fetch of every query with its de-duplication off, however many are in flight', async () => {
    // Its default shares identical subgraph requests in flight; the bench's "off" row must not.
    const before = await fetchRequestCounts(subgraphs.urls);
    await sendOnce(grafbase.url, body);
    const between = await fetchRequestCounts(subgraphs.urls);
    const alone = requestsBetween(before, between);
    expect(alone).toBeGreaterThan(4);
    const answers = await Promise.all(Array.from({ length: 8 }, () => sendOnce(grafbase.url, body)));
    for (const { answer } of answers) expect(checkAnswer(reference, answer)).toEqual({ ok: true });
    expect(requestsBetween(between, await fetchRequestCounts(subgraphs.urls))).toBe(8 * alone);
  });
});
