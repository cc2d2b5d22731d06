// A tool, not a benchmark: where the memory of idle subscriptions goes. Starts the demo
// subgraphs and Portico's gateway (from dist/, with --heapsnapshot-signal), opens one
// subscriber, snapshots the gateway's heap, opens N more, snapshots again, and prints the
// heap's growth by object kind, plus the RSS per subscription.
//   [PORTICO_PROBE_ROOT=/other/checkout] node --import tsx bench/subscriptions/idleMemoryProbe.ts [subscribers] [outDir]
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { benchSubscription } from './runSubscriptionScenario.js';
import { startProbeGateway } from './startProbeGateway.js';

// A subscriber's socket that fails is counted (unacknowledged), not fatal to the probe.
process.on('uncaughtException', (error) => console.error(`ignored: ${String((error as Error).message ?? error)}`));
const count = Number(process.argv[2] ?? 1000);
const outDir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'portico-heap-'));
const { gateway, stop } = await startProbeGateway({ nodeArgs: ['--heapsnapshot-signal=SIGUSR2'], cwd: outDir, cpu: null });
const clients: Client[] = [];
let acked = 0;
const open = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const client = createClient({
      url: gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      on: { connected: () => void (acked += 1) },
    });
    client.subscribe({ query: benchSubscription, variables: { upc: '1' } }, { next: () => {}, error: () => {}, complete: () => {} });
    clients.push(client);
    if (i % 200 === 199) await sleep(100);
  }
  const by = Date.now() + 120_000;
  while (acked < clients.length && Date.now() < by) await sleep(100);
  console.log(`${acked} of ${clients.length} connections acknowledged`);
  await sleep(3000);
};
const snapshot = async (label: string) => {
  const before = new Set(readdirSync(outDir).filter((file) => file.endsWith('.heapsnapshot')));
  process.kill(gateway.pid, 'SIGUSR2');
  for (;;) {
    await sleep(500);
    const fresh = readdirSync(outDir).filter((file) => file.endsWith('.heapsnapshot') && !before.has(file));
    if (fresh.length > 0) {
      // Written in pieces: done once its size holds still.
      let size = -1;
      while (size <= 0 || statSync(join(outDir, fresh[0]!)).size !== size) {
        size = statSync(join(outDir, fresh[0]!)).size;
        await sleep(2000);
      }
      console.log(`${label}: ${fresh[0]}`);
      return fresh[0]!;
    }
  }
};
try {
  await open(1);
  const rss1 = gateway.rssBytes() ?? 0;
  const first = await snapshot('one subscriber');
  await open(count);
  const rssN = gateway.rssBytes() ?? 0;
  const second = await snapshot(`${count + 1} subscribers`);
  console.log(
    `RSS: ${Math.round(rss1 / 1024)} KiB -> ${Math.round(rssN / 1024)} KiB (the second reading includes what writing the first snapshot took: for RSS, see setupProbe.ts)`,
  );
  const a = byKind(join(outDir, first));
  const b = byKind(join(outDir, second));
  const rows = [...b.entries()].map(([kind, [size, n]]) => [kind, size - (a.get(kind)?.[0] ?? 0), n - (a.get(kind)?.[1] ?? 0)] as const);
  rows.sort((x, y) => y[1] - x[1]);
  const total = rows.reduce((sum, row) => sum + row[1], 0);
  console.log(`heap growth ${(total / 1024 / count).toFixed(1)} KiB per subscription; largest kinds (bytes per subscription, objects per subscription):`);
  for (const [kind, size, n] of rows.slice(0, 45)) console.log(`${(size / count).toFixed(0).padStart(7)} ${(n / count).toFixed(2).padStart(7)}  ${kind}`);
  console.log(outDir);
} finally {
  await Promise.all(clients.map((client) => client.dispose()));
  await stop();
}

/** Self size and count of the snapshot's objects by type and constructor name. */
function byKind(file: string): Map<string, [number, number]> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    let name = type === 'object' || type === 'closure' || type === 'native' ? snap.strings[snap.nodes[i + nameAt]!]! : '';
    if (name.length > 60) name = name.slice(0, 60);
    const kind = `${type}:${name}`;
    const entry = out.get(kind) ?? [0, 0];
    entry[0] += snap.nodes[i + sizeAt]!;
    entry[1] += 1;
    out.set(kind, entry);
  }
  return out;
}
