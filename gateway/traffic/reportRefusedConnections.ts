import type { Logger } from '../../common/createLogger.js';
import type { GatewayMetrics } from '../metrics/createGatewayMetrics.js';

export interface RefusedConnectionReportOptions {
  /** Null or undefined with metrics off: the log line is still written. */
  metrics: GatewayMetrics | null | undefined;
  logger: Logger;
  /** The least time between two warnings. @default 10_000 */
  warnEveryMs?: number;
}

const WARN_EVERY_MS = 10_000;

/**
 * What the per-peer connection cap (limitConnectionsPerAddress) does is seen: each connection it
 * closes at accept counts in `portico_connections_refused_total{reason="per_address"}`, and a
 * warning names the peer, at most once per `warnEveryMs` in all (with how many were closed since
 * the last one), so that a flood of connections cannot become a flood of log lines. A peer key is
 * the TCP peer's address (IPv6 by /64), never a header: it is not the client's to choose, and it
 * goes in no label.
 */
export function reportRefusedConnections(options: RefusedConnectionReportOptions): (key: string) => void {
  const warnEveryMs = options.warnEveryMs ?? WARN_EVERY_MS;
  let lastWarning = Number.NEGATIVE_INFINITY;
  let unreported = 0;
  return (key) => {
    options.metrics?.connectionsRefused.inc({ reason: 'per_address' });
    unreported += 1;
    const now = Date.now();
    if (now - lastWarning < warnEveryMs) return;
    lastWarning = now;
    options.logger.warn(
      { peer: key, refused: unreported },
      'connections closed at accept: a peer holds rateLimit.perAddress.maxConnections open (behind a proxy not in rateLimit.trustedProxies, all its clients share them)',
    );
    unreported = 0;
  };
}
