import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createCors } from '../../../gateway/http/createCors.js';

const upgrade = (headers: Record<string, string>) => ({ headers: { host: 'gateway.example', ...headers } }) as unknown as IncomingMessage;
const cors = (origins: string[], credentials: boolean) => createCors({ origins, credentials, allowHeaders: ['content-type'], maxAgeSeconds: 600 });

describe('createCors: requests browsers send without a preflight (WebSocket upgrades)', () => {
  it('lets in any origin under "*", but not with the visitor\'s cookies', () => {
    const anyOrigin = cors(['*'], false);
    const foreign = upgrade({ origin: 'https://evil.example' });
    expect(anyOrigin.allowsOrigin(foreign)).toBe(true);
    expect(anyOrigin.allowsCredentials(foreign)).toBe(false);
  });

  it('lets a listed origin use cookies only with server.cors.credentials', () => {
    const listed = upgrade({ origin: 'https://shop.example' });
    expect(cors(['https://shop.example'], false).allowsCredentials(listed)).toBe(false);
    expect(cors(['https://shop.example'], true).allowsCredentials(listed)).toBe(true);
    expect(cors(['https://shop.example'], true).allowsCredentials(upgrade({ origin: 'https://other.example' }))).toBe(false);
  });

  it("lets the gateway's own pages and non-browser clients use them", () => {
    const none = cors([], false);
    expect(none.allowsCredentials(upgrade({}))).toBe(true);
    expect(none.allowsCredentials(upgrade({ origin: 'http://gateway.example' }))).toBe(true);
    expect(none.allowsOrigin(upgrade({ origin: 'https://evil.example' }))).toBe(false);
  });
});
