import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../common/createLogger.js';
import { createGatewayMetrics } from '../../gateway/metrics/createGatewayMetrics.js';
import { reportRefusedConnections } from '../../gateway/traffic/reportRefusedConnections.js';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';

function recordingLogger() {
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  const logger = { warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) } as unknown as Logger;
  return { logger, warnings };
}

describe('reportRefusedConnections', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts every connection closed at accept, with reason per_address and no other label', async () => {
    const metrics = createGatewayMetrics(100);
    const { logger } = recordingLogger();
    const report = reportRefusedConnections({ metrics, logger });
    for (const key of ['10.0.0.1', '10.0.0.2', '2001:db8::/64']) report(key);
    const scraped = parsePrometheusText(await metrics.registry.metrics());
    expect(valueOf(scraped, 'portico_connections_refused_total', { reason: 'per_address' })).toBe(3);
  });

  it('warns at most once per interval in all, saying how many were closed since the last warning', () => {
    const { logger, warnings } = recordingLogger();
    const report = reportRefusedConnections({ metrics: undefined, logger, warnEveryMs: 10_000 });
    for (let i = 0; i < 1000; i += 1) report(`10.0.${i % 250}.1`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toEqual({ peer: '10.0.0.1', refused: 1 });
    vi.advanceTimersByTime(10_000);
    report('10.9.9.9');
    expect(warnings).toHaveLength(2);
    expect(warnings[1]?.fields).toEqual({ peer: '10.9.9.9', refused: 1000 });
    expect(warnings[1]?.message).toMatch(/rateLimit\.trustedProxies/);
  });
});
