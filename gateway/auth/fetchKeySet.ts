import { readJsonWithinLimit } from '../../common/http/readJsonWithinLimit.js';

/**
 * Largest JWKS body read, in bytes. A key set holds a few keys: an RSA-2048 JWK is about 0.5 KiB,
 * 2-3 KiB with its `x5c` certificate, and the large public sets (Microsoft Entra's, Google's) are
 * 2-15 KiB. 256 KiB is over ten times that, and still a bound on what a misbehaving key server
 * makes every replica hold.
 */
export const MAX_KEY_SET_BYTES = 256 * 1024;

export interface KeySetFetchOptions {
  /** Deadline of the whole fetch, the body's last byte included. */
  timeoutMs: number;
  /** @default MAX_KEY_SET_BYTES */
  maxBytes?: number;
}

/**
 * GETs a JSON Web Key Set, for jwks-rsa's `fetcher`: its own fetch reads the whole body, however
 * long it streams, and its `timeout` is only an idle timeout, so a key server that trickles an
 * endless body would hold key lookups forever and grow memory without bound. This one has one
 * deadline for the whole exchange and reads at most `maxBytes`. Every failure throws an error
 * whose message says what went wrong (for the gateway's log: the client is never told).
 */
export async function fetchKeySet(url: string, options: KeySetFetchOptions): Promise<{ keys: unknown }> {
  const maxBytes = options.maxBytes ?? MAX_KEY_SET_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    // A redirect is answered as the non-2xx it is, as jwks-rsa's own fetch did: not followed.
    const response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'manual', signal });
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`the key set answered HTTP ${response.status}`);
    }
    const read = await readJsonWithinLimit(response, maxBytes);
    if ('tooLarge' in read) {
      const how = read.tooLarge === 'declared' ? 'says its content-length' : 'sent more than that';
      throw new Error(`the key set is over the ${maxBytes} bytes a JWKS may take (it ${how}); it was not read further`);
    }
    const { json } = read;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the key set is not a JSON object');
    return { keys: (json as { keys?: unknown }).keys };
  } catch (error) {
    if (signal.aborted) throw new Error(`the key set did not arrive, whole, within ${options.timeoutMs} ms`, { cause: error });
    throw error;
  }
}
