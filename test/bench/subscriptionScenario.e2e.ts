import { describe, expect, it } from 'vitest';
import { runSubscriptionScenario } from '../../bench/subscriptions/runSubscriptionScenario.js';

// The subscription scenario of `npm run bench` at a tiny size (10 subscribers, 2 s of events),
// Portico and Hive Gateway: it runs end to end and its numbers are sane. What they are is the
// benchmark's business, not this test's.
describe('the subscription scenario at a tiny size', () => {
  it('delivers every event to every subscriber of both gateways, with latencies, CPU and memory measured', async () => {
    const lines: string[] = [];
    const results = await runSubscriptionScenario({
      subscribers: [10],
      eventsPerSecond: 5,
      durationSeconds: 2,
      gateways: ['portico', 'hive-gateway'],
      gatewayCpu: null,
      log: (line) => lines.push(line),
    });
    console.log(lines.join('\n'));
    expect(results.runs.map((run) => run.gateway)).toEqual(['portico', 'hive-gateway']);
    for (const run of results.runs) {
      expect(run, run.problem).toMatchObject({ outcome: 'ok', subscribers: 10, eventsSent: 10, eventsDelivered: 100, eventsLost: 0 });
      expect(run.deliveredPerSecond).toBeGreaterThan(0);
      expect(run.latencyMs!.p50).toBeGreaterThan(0);
      expect(run.latencyMs!.p99).toBeGreaterThanOrEqual(run.latencyMs!.p50);
      expect(run.gatewayCpu).toBeGreaterThan(0);
      expect(run.rssPerThousandIdleBytes).toEqual(expect.any(Number));
    }
    expect(lines).toHaveLength(2);
  }, 240_000);
});
