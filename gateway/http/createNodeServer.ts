import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { ConfigError } from '../config/ConfigError.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { addressGateOn } from '../traffic/createAddressGate.js';
import { createPeerKey } from '../traffic/createAddressResolver.js';
import { limitConnectionsPerAddress } from '../traffic/limitConnectionsPerAddress.js';
import { answerClientErrors } from './answerClientErrors.js';

/**
 * The gateway's Node server, not yet listening: HTTPS when `server.tls` is set (a certificate
 * or key that cannot be read or used is a `ConfigError`), with Node's own connection timeouts
 * set deliberately rather than left at its defaults (5 minutes for a request, 1 minute for
 * headers, checked every 30 s): a client has `headersTimeoutMs` for its headers, and headers and
 * body together may take no longer than `headersTimeoutMs + bodyTimeoutMs` (the handler's own
 * body timer answers first, with a coded 408; Node's is the backstop for requests the handler
 * never reads, such as a body sent to /health), plus, with the per-address gate on, the longest a
 * request waits there before its body is read (`server.admission.queueTimeoutMs`). Checked every second so that they hold to
 * within a second. With rate limiting on, one client address may hold at most
 * `rateLimit.perAddress.maxConnections` connections open (see limitConnectionsPerAddress). What
 * Node's HTTP parser refuses is answered as the gateway answers refusals (answerClientErrors).
 */
export function createNodeServer(
  server: GatewayConfig['server'],
  rateLimit?: GatewayConfig['rateLimit'],
  onConnectionRefused?: (key: string) => void,
): http.Server | https.Server {
  const created = createServer(server, addressGateWaitMs(rateLimit, server));
  // Malformed HTTP, headers over Node's limit, Node's own timeouts: coded JSON answers too.
  answerClientErrors(created);
  // Per TCP peer, before a byte is read (`rateLimit.perAddress.maxConnections`).
  if (rateLimit?.enabled) {
    limitConnectionsPerAddress(created, {
      maxPerAddress: rateLimit.perAddress.maxConnections,
      keyOf: createPeerKey(rateLimit.trustedProxies),
      ...(onConnectionRefused ? { onRefused: onConnectionRefused } : {}),
    });
  }
  return created;
}

/**
 * The longest a request may wait at the per-address gate (`rateLimit.perAddress.maxInFlight`),
 * which holds it after its headers and before its body is read: Node's request timeout must
 * leave room for that wait too, or a request the gate let through late would get Node's bare 408
 * while its body is still coming, instead of the gate's coded 503 or the body timer's coded 408.
 */
function addressGateWaitMs(rateLimit: GatewayConfig['rateLimit'] | undefined, server: GatewayConfig['server']): number {
  return addressGateOn(rateLimit) ? server.admission.queueTimeoutMs : 0;
}

function createServer(server: GatewayConfig['server'], gateWaitMs: number): http.Server | https.Server {
  const timeouts: http.ServerOptions = {
    headersTimeout: server.headersTimeoutMs,
    requestTimeout: server.headersTimeoutMs + gateWaitMs + server.bodyTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, server.headersTimeoutMs),
  };
  const { tls } = server;
  if (!tls) return http.createServer(timeouts);
  try {
    return https.createServer({ ...timeouts, cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  } catch (error) {
    throw new ConfigError([`server.tls: cannot use ${tls.certFile} and ${tls.keyFile} (PEM certificate and its private key): ${(error as Error).message}`]);
  }
}
