/**
 * Downloads a composed supergraph (`supergraph.url`): a plain GET that must answer 200 with the
 * SDL within `timeoutMs`. Throws an `Error` naming the URL when it does not; whether the answer
 * is a supergraph is Apollo Gateway's to check, when it loads it.
 */
export async function fetchSupergraph(url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const sdl = await response.text();
    if (response.status !== 200) throw new Error(`it answered HTTP ${response.status}`);
    return sdl;
  } catch (error) {
    const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? (error as Error).message);
    throw new Error(`Cannot download the supergraph ${url}: ${why}`);
  }
}
