import { Headers as HeaderNames } from '../../common/headers.js';
import { signRequest } from '../../common/signing/signRequest.js';

export interface UpgradeToSign {
  /** The WebSocket URL (ws/wss): its path and query string are signed. */
  url: URL;
  /** The subgraph's name, the signature's audience. */
  audience: string;
  /** The caller's headers (identity, passed-on ones) as for a fetch. */
  headers: Readonly<Record<string, string>>;
  requestId: string;
  signingSecret: string;
}

/**
 * The headers of a WebSocket upgrade to a subgraph, signed with the v2 scheme as every fetch is:
 * method `GET`, the URL's path and query, the subgraph as audience, and the empty body (its
 * digest `sha256=<sha256 of nothing>;length=0`), over the request id and identity headers sent
 * with it; no deadline header (a subscription has none). A subgraph verifies it as it verifies a
 * POST, before it accepts the upgrade. Signed anew for every connection, so every nonce is fresh.
 */
export function signedUpgradeHeaders(upgrade: UpgradeToSign): Record<string, string> {
  const headers: Record<string, string> = { ...upgrade.headers, [HeaderNames.requestId]: upgrade.requestId };
  const path = upgrade.url.pathname + upgrade.url.search;
  return { ...headers, ...signRequest(upgrade.signingSecret, { method: 'GET', path, audience: upgrade.audience, body: '', headers }) };
}
