import v8 from 'node:v8';

/**
 * Lets V8's old generation grow by at most `percent` past what survived the last full garbage
 * collection before it collects again (`--heap-growing-percent`, which V8 reads at every
 * collection, so it can be set once the process runs). 0 leaves V8 its own factor, which under
 * a busy gateway's allocation rate reaches 3 to 4: a heap of a few dozen MiB of live data then
 * swells past 200 MiB of garbage before it is collected. Process-wide: only `startGateway`, in a
 * process the gateway owns, calls it.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${Math.floor(percent)}`);
}
