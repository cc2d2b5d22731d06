import { fetch } from 'undici';
import { parseSupergraph, type Supergraph } from './parseSupergraph.js';

/**
 * Downloads a composed supergraph (`supergraph.url`): a plain GET that must answer 200 with the
 * SDL within `timeoutMs`. Throws an `Error` naming the URL when it does not, or when the answer
 * is not a supergraph.
 */
export async function fetchSupergraph(url: string, timeoutMs: number): Promise<Supergraph> {
  let sdl: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    sdl = await response.text();
    if (response.status !== 200) throw new Error(`it answered HTTP ${response.status}`);
  } catch (error) {
    const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause?.code ?? (error as Error).message;
    throw new Error(`Cannot download the supergraph ${url}: ${why}`);
  }
  return parseSupergraph(sdl, url);
}
