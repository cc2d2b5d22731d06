import { readJsonWithinLimit } from './readJsonWithinLimit.js';

/**
 * A fetched answer's body parsed as a JSON object, or `{}` when it is not one or is over
 * `maxBytes` (see readJsonWithinLimit: the stream is cancelled there). For the small answers the
 * gateway reads from a peer it does not trust to be well behaved (a subgraph's refusal of a
 * subscription, its answer to a readiness probe), where why there is no answer does not matter.
 */
export async function readBoundedJson(response: Response, maxBytes: number): Promise<Record<string, unknown>> {
  try {
    const read = await readJsonWithinLimit(response, maxBytes);
    if (!('json' in read)) return {};
    const { json } = read;
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
