import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, expect, it } from 'vitest';
import { runClosedLoop, settleMs } from '../../bench/load/runClosedLoop.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

it('counts no answer of the measured loop before it has run settleMs at its own concurrency, after a warm-up at another', async () => {
  // When each request arrived, by connection: the warm-up's 4 connections, then the measured one.
  const arrivals = new Map<Socket, number[]>();
  server = http.createServer((req, res) => {
    const times = arrivals.get(req.socket) ?? [];
    times.push(performance.now());
    arrivals.set(req.socket, times);
    req.resume().on('end', () => res.setHeader('content-type', 'application/json').end('{"data":{}}'));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const result = await runClosedLoop({ url, body: '{}', concurrency: 1, warmupConcurrency: 4, warmupMs: 200, durationMs: 300, check: () => 'ok' });

  const connections = [...arrivals.values()].sort((a, b) => a[0]! - b[0]!);
  expect(connections).toHaveLength(5);
  const measured = connections.at(-1)!;
  // The loop's clock starts before its connection is open: a few milliseconds' leeway.
  const settling = measured.filter((at) => at < measured[0]! + settleMs - 50).length;
  expect(settling).toBeGreaterThan(0);
  expect(result.requests).toBeGreaterThan(0);
  // Every counted answer was sent after the settling ones.
  expect(result.requests).toBeLessThanOrEqual(measured.length - settling);
});
