import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { MAX_SUPERGRAPH_BYTES, supergraphTooLarge } from './supergraphTooLarge.js';

/**
 * Reads a composed supergraph file (`supergraph.path`) within `timeoutMs`: a regular file of at
 * most `MAX_SUPERGRAPH_BYTES`. Throws an `Error` naming the file when it cannot be read; whether
 * it is a supergraph is Apollo Gateway's to check, when it loads it. The deadline is what keeps
 * the reloads going: a read that never settles (a file on a hung network mount) would leave the
 * manager waiting for it for good.
 */
export async function readSupergraph(file: string, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not read within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([readRegularFile(file), deadline]);
  } catch (error) {
    throw new Error(`Cannot read the supergraph ${file}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The file's text, when it is a regular file within the size limit. */
async function readRegularFile(file: string): Promise<string> {
  // Non-blocking: a FIFO put in the file's place would otherwise wait for a writer in a thread of
  // libuv's pool, which Node joins before it exits, so the process could never end. Opened so, a
  // FIFO opens at once, and is refused below. Reads of a regular file are unaffected.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error(`it is ${kindOf(stats)}, not a regular file`);
    if (stats.size > MAX_SUPERGRAPH_BYTES) throw new Error(supergraphTooLarge(`${stats.size} bytes`));
    // The file may grow after the stat: one byte past the limit is read at most, and tells.
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of handle.createReadStream({ end: MAX_SUPERGRAPH_BYTES, autoClose: false }) as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
    }
    if (length > MAX_SUPERGRAPH_BYTES) throw new Error(supergraphTooLarge(`more than ${MAX_SUPERGRAPH_BYTES} bytes`));
    return Buffer.concat(chunks, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** What a path that is not a regular file names, for the message. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}
