import v8 from 'node:v8';

/**
 * `server.heapGrowthPercent`'s default. The built gateway sets it before it loads its bundle
 * (scripts/buildDist.js), so that it holds from the process's first full collection on, and so
 * that every start compiles or takes its code cache under the same flags.
 */
export const defaultHeapGrowthPercent = 50;

/**
 * Lets V8's old generation grow by at most `percent` past what survived the last full garbage
 * collection before it collects again (`--heap-growing-percent`, which V8 reads whenever it sets
 * the next collection's limit, so it can be set once the process runs); 0 gives V8 back its own
 * factor, which under a busy gateway's allocation rate reaches 3 to 4: a heap of a few dozen MiB
 * of live data then swells past 200 MiB of garbage before it is collected. Set before the
 * bundle loads, it also bounds the limit the start's own collections leave (V8's factor makes it
 * about four times the start's live data: the first collection under load came only at 52 MiB
 * of old generation). Process-wide: only the gateway's own process calls it.
 */
export function limitHeapGrowth(percent: number): void {
  v8.setFlagsFromString(`--heap-growing-percent=${Math.floor(percent)}`);
}
