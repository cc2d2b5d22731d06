import type { LoadProgress } from '../load/runClosedLoop.js';

export interface ProgressLine {
  /** Shows where a load run is, for the gateway and mode in `label`. */
  update(label: string, progress: LoadProgress, totalMs: number): void;
  /** Ends the line, so the next output starts on a fresh one. */
  end(): void;
}

/** Lines printed for a stream that is not a terminal: one every this many updates. */
const plainEvery = 10;

/**
 * One line, rewritten in place every second on a terminal; on a pipe or file (CI logs), a
 * plain line every ten seconds instead of a screenful of carriage returns.
 */
export function createProgressLine(stream: NodeJS.WriteStream): ProgressLine {
  let open = false;
  let updates = 0;
  return {
    update(label, progress, totalMs) {
      const text = formatProgress(label, progress, totalMs);
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${text}`);
        open = true;
      } else if (updates++ % plainEvery === 0) {
        stream.write(`${text}\n`);
      }
    },
    end() {
      if (open) stream.write('\n');
      open = false;
      updates = 0;
    },
  };
}

/** `Portico, de-dup on | measure 12 s / 30 s | 1,234 req/s` */
export function formatProgress(label: string, progress: LoadProgress, totalMs: number): string {
  const seconds = (ms: number) => Math.round(ms / 1000);
  const rps = Math.round(progress.requestsPerSecond).toLocaleString('en-US');
  return `${label} | ${progress.phase} ${seconds(progress.elapsedMs)} s / ${seconds(totalMs)} s | ${rps} req/s`;
}
