import { performance } from 'node:perf_hooks';
import { request } from 'undici';

export interface MetricsScraper {
  /** Stops scraping; resolves with the slowest scrape that answered 200, in ms (null when none did). */
  stop(): Promise<number | null>;
}

/**
 * Scrapes `url` (the gateway's internal metrics listener) once a second, as Prometheus would during an attack:
 * what the attack costs a scrape (label explosion) and what a scrape costs the gateway are part
 * of what the scenario measures.
 */
export function scrapeMetrics(url: string, intervalMs = 1000): MetricsScraper {
  let slowestMs: number | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  const scrape = async () => {
    const startedAt = performance.now();
    try {
      const response = await request(url, { headersTimeout: 10_000, bodyTimeout: 10_000 });
      await response.body.dump({ limit: 64 * 1024 * 1024 });
      if (response.statusCode === 200) slowestMs = Math.max(slowestMs ?? 0, performance.now() - startedAt);
    } catch {
      // A dead gateway: the legitimate client's numbers tell.
    }
  };
  const timer = setInterval(() => {
    inFlight = inFlight.then(scrape);
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      return slowestMs;
    },
  };
}
