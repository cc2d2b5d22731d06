import type { RetryConfig } from '../config/GatewayConfig.js';

/**
 * The backoff before retry number `retry` (1 for the first): exponential, capped at
 * `maxDelayMs`, with full jitter, so that clients which failed together do not retry together.
 */
export function retryDelay(retry: number, config: Pick<RetryConfig, 'initialDelayMs' | 'maxDelayMs'>, random = Math.random): number {
  const ceiling = Math.min(config.maxDelayMs, config.initialDelayMs * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}
