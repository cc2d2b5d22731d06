import { MAX_SUPERGRAPH_BYTES, supergraphTooLarge } from './supergraphTooLarge.js';

/**
 * Downloads a composed supergraph (`supergraph.url`): a plain GET that must answer 200 with the
 * SDL within `timeoutMs`, in at most `MAX_SUPERGRAPH_BYTES` (checked against `content-length`
 * first, then as the body comes). Throws an `Error` naming the URL when it does not; whether the
 * answer is a supergraph is Apollo Gateway's to check, when it loads it.
 */
export async function fetchSupergraph(url: string, timeoutMs: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (response.status !== 200) throw new Error(`it answered HTTP ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > MAX_SUPERGRAPH_BYTES) throw new Error(supergraphTooLarge(`${declared} bytes`));
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of response.body ?? []) {
      length += chunk.byteLength;
      if (length > MAX_SUPERGRAPH_BYTES) throw new Error(supergraphTooLarge(`more than ${MAX_SUPERGRAPH_BYTES} bytes`));
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } catch (error) {
    const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
    // Only the timer aborts before `finally` does.
    const why = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : (cause?.code ?? (error as Error).message);
    throw new Error(`Cannot download the supergraph ${url}: ${why}`);
  } finally {
    clearTimeout(timer);
    // Whatever is left of a body not read to its end (refused, too large) is not downloaded.
    controller.abort();
  }
}
