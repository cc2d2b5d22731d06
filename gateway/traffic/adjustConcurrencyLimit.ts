/** The range an adaptive concurrency limit moves in, and the event-loop delay it aims at. */
export interface ConcurrencyBounds {
  min: number;
  max: number;
  /** Event-loop delay above this means the process has more ready work than it keeps up with. */
  targetDelayMs: number;
}

/** What one measuring window saw. */
export interface ConcurrencySample {
  /** The event loop's median delay over the window, in milliseconds. */
  delayMs: number;
  /** Whether a request had to wait for a slot during the window: only then can more help. */
  queued: boolean;
}

/**
 * The next adaptive limit on operations executing at once, from one window of measurements.
 * A delayed event loop means operations already in flight are fighting for the CPU (and their
 * garbage for the young generation): the limit shrinks by a fifth. A prompt loop with requests
 * waiting means slots are held by operations waiting on subgraphs: the limit grows by a quarter,
 * so a slow subgraph never starves the rest. Anything else keeps it.
 */
export function adjustConcurrencyLimit(limit: number, sample: ConcurrencySample, bounds: ConcurrencyBounds): number {
  if (sample.delayMs > bounds.targetDelayMs) return Math.max(bounds.min, Math.floor(limit * 0.8));
  if (sample.queued && sample.delayMs < bounds.targetDelayMs / 2) return Math.min(bounds.max, Math.ceil(limit * 1.25));
  return limit;
}
