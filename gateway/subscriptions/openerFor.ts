import type { UpstreamConfig } from '../config/UpstreamConfig.js';
import { openHttpStreamUpstream } from './openHttpStreamUpstream.js';
import type { OpenUpstream } from './OpenUpstream.js';
import { openWebSocketUpstream } from './openWebSocketUpstream.js';

const openSse = openHttpStreamUpstream('sse');
const openMultipart = openHttpStreamUpstream('multipart');

/** How subscriptions are opened for a subgraph's `subscriptionTransport`. */
export function openerFor(transport: UpstreamConfig['subscriptionTransport']): OpenUpstream {
  switch (transport) {
    case 'websocket':
      return openWebSocketUpstream;
    case 'sse':
      return openSse;
    case 'multipart':
      return openMultipart;
    default: {
      const unknown: never = transport;
      throw new TypeError(`Unknown subscription transport ${String(unknown)}`);
    }
  }
}
