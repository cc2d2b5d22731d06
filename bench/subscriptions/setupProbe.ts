// A tool, not a benchmark: how a gateway takes many subscribers at once. Starts the demo
// subgraphs and Portico's built gateway (pinned to CPU 0 unless PROBE_CPU says otherwise), opens
// STEPS steps of STEP subscribers, PER_TICK every 100 ms whatever the gateway's pace (a connection
// storm, as clients reconnecting after a restart), and prints after each step the gateway's RSS
// (per subscription, this step and since the first), the subscribers by phase (opened,
// acknowledged, failed before the socket opened, before connection_ack, after), then the RSS while
// idle for HOLD seconds, the failures by phase and reason, and the kernel's TCP counters that moved
// (machine-wide: ListenOverflows, SyncookiesFailed, resets).
// PROBE_CONFIG: another gateway config (the bench's by default).
//   [PROBE_NODE_ARGS="--max-semi-space-size=1"] [PROBE_CONFIG=file.yaml] node --import tsx bench/subscriptions/setupProbe.ts STEP STEPS [PER_TICK] [HOLD]
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { benchSubscription } from './runSubscriptionScenario.js';
import { startProbeGateway } from './startProbeGateway.js';

process.on('uncaughtException', (error) => console.error(`ignored: ${String((error as Error).message ?? error)}`));
const step = Number(process.argv[2] ?? 1000);
const steps = Number(process.argv[3] ?? 1);
const perTick = Number(process.argv[4] ?? 200);
const holdSeconds = Number(process.argv[5] ?? 20);
const nodeArgs = (process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);

const tcp = (): Map<string, number> => {
  const out = new Map<string, number>();
  for (const line of execFileSync('nstat', ['-az'], { encoding: 'utf8' }).split('\n')) {
    const [name, value] = line.trim().split(/\s+/);
    if (name && value && /^(Tcp|TcpExt)/.test(name)) out.set(name, Number(value));
  }
  return out;
};
const { gateway, stop } = await startProbeGateway({
  ...(process.env.PROBE_CONFIG ? { config: process.env.PROBE_CONFIG } : {}),
  nodeArgs,
  cpu: process.env.PROBE_CPU === undefined ? 0 : Number(process.env.PROBE_CPU),
});
const kib = () => Math.round((gateway.rssBytes() ?? 0) / 1024);
const clients: Client[] = [];
const phases = { opened: 0, acked: 0, failedBeforeOpen: 0, failedBeforeAck: 0, failedAfterAck: 0 };
const reasons = new Map<string, number>();
const open = async (n: number) => {
  for (let i = 0; i < n; i++) {
    let opened = false;
    let acked = false;
    const client = createClient({
      url: gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      on: {
        opened: () => void ((opened = true), (phases.opened += 1)),
        connected: () => void ((acked = true), (phases.acked += 1)),
        closed: (event) => {
          const code = (event as { code?: number }).code;
          if (code === 1000) return;
          if (!opened) phases.failedBeforeOpen += 1;
          else if (!acked) phases.failedBeforeAck += 1;
          else phases.failedAfterAck += 1;
          const key = `${opened ? (acked ? 'after ack' : 'before ack') : 'before open'} close ${code}`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        },
        error: (error) => {
          const key = `${opened ? (acked ? 'after ack' : 'before ack') : 'before open'} error ${String((error as { message?: string }).message ?? error)}`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        },
      },
    });
    client.subscribe({ query: benchSubscription, variables: { upc: '1' } }, { next: () => {}, error: () => {}, complete: () => {} });
    clients.push(client);
    if (i % perTick === perTick - 1) await sleep(100);
  }
  const by = Date.now() + 60_000;
  while (phases.acked + phases.failedBeforeAck + phases.failedBeforeOpen < clients.length && Date.now() < by) await sleep(200);
};
const started = performance.now();
const before = tcp();
try {
  await open(1);
  await sleep(2000);
  const rss1 = kib();
  console.log(`1 subscriber: ${rss1} KiB`);
  let previous = rss1;
  for (let s = 1; s <= steps; s++) {
    const t0 = performance.now();
    await open(step);
    await sleep(3000);
    const now = kib();
    console.log(
      `${clients.length} subscribers (${Math.round(performance.now() - t0)} ms): ${now} KiB, +${((now - previous) / step).toFixed(1)} KiB/sub this step, ${((now - rss1) / (clients.length - 1)).toFixed(1)} KiB/sub since 1; ${JSON.stringify(phases)}`,
    );
    previous = now;
  }
  for (let t = 0; t < holdSeconds; t += 5) {
    await sleep(5000);
    console.log(`idle +${t + 5}s: ${kib()} KiB`);
  }
} finally {
  const after = tcp();
  const deltas = [...after]
    .map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const)
    .filter(([k, d]) => d !== 0 && /Overflow|Drop|Rst|Reset|Cookie|Abort|Fail|ReqQ/.test(k));
  console.log(`tcp counters (machine-wide, ${Math.round((performance.now() - started) / 1000)} s): ${deltas.map(([k, d]) => `${k}=${d}`).join(' ')}`);
  console.log(`failures: ${JSON.stringify([...reasons])}`);
  console.log(
    gateway
      .output()
      .split('\n')
      .filter((line) => /warn|error|ECONN/i.test(line))
      .slice(-5)
      .join('\n'),
  );
  await Promise.allSettled(clients.map((client) => client.dispose()));
  await stop();
}
