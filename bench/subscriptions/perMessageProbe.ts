// In-process measurement of what the gateway spends per delivered WebSocket message on the
// event's text: per client, the old path (formatStreamItem + JSON.stringify of the whole `next`
// message) against the new one (the event's payload serialised once per group, each client's id
// framed around it). Sockets are left out: the subscription bench measures the whole.
// Usage: node --import tsx bench/subscriptions/perMessageProbe.ts [clients] [events]
import { GraphQLError } from 'graphql';
import { createFormatError } from '../../gateway/errors/createFormatError.js';
import { formatStreamItem } from '../../gateway/streaming/formatStreamItem.js';
import type { ResultStream, SubscriptionEvent } from '../../gateway/streaming/ResultStream.js';
import { serializeStreamItem } from '../../gateway/streaming/serializeStreamItem.js';
import { nextMessage } from '../../gateway/websocket/nextMessage.js';

const clients = Number(process.argv[2] ?? 10_000);
const events = Number(process.argv[3] ?? 20);
const formatError = createFormatError({ mode: 'production' });
const stream: ResultStream = { kind: 'subscription', events: (async function* () {})() };

function event(n: number, withError: boolean): SubscriptionEvent {
  return {
    data: {
      reviewAdded: {
        id: String(n),
        body: `Review number ${n} of the bench, a sentence or two long as reviews are.`,
        author: { name: 'Ada Lovelace' },
        product: withError ? null : { name: 'Table', inStock: true },
      },
    },
    ...(withError ? { errors: [new GraphQLError('products timed out', { path: ['reviewAdded', 'product'], extensions: { serviceName: 'products' } })] } : {}),
  };
}

function run(label: string, send: (id: string, item: SubscriptionEvent) => string, withError: boolean): void {
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (let e = 0; e < events; e++) {
    const item = event(e, withError);
    for (let c = 0; c < clients; c++) bytes += send(`sub-${c}`, item).length;
  }
  const us = Number(process.hrtime.bigint() - started) / 1000 / (clients * events);
  console.log(`${label.padEnd(34)} ${us.toFixed(3)} µs per message (${clients} clients x ${events} events, ${bytes} bytes)`);
}

const before = (id: string, item: SubscriptionEvent) => JSON.stringify({ id, type: 'next', payload: formatStreamItem(stream, item, formatError) });
const after = (id: string, item: SubscriptionEvent) => nextMessage(id, serializeStreamItem(stream, item, formatError));
for (let round = 0; round < 3; round++) {
  for (const withError of [false, true]) {
    const kind = withError ? 'event with a masked error' : 'event';
    run(`before, ${kind}`, before, withError);
    run(`after, ${kind}`, after, withError);
  }
}
