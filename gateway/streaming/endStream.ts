import type { ResultStream } from './ResultStream.js';

/** The iterator of a stream, whichever its kind. */
export function iteratorOf(stream: ResultStream): AsyncIterableIterator<unknown> {
  return stream.kind === 'subscription' ? stream.events : stream.parts;
}

/** Ends a stream early (its client completed it or went away), freeing what it holds upstream. Never throws. */
export async function endStream(stream: ResultStream | undefined): Promise<void> {
  if (!stream) return;
  try {
    await iteratorOf(stream).return?.();
  } catch {
    // The stream failed while ending: nobody is waiting for it any more.
  }
}
