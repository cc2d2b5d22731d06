import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectStillServing, postRaw } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

/**
 * A key server gone bad (compromised, misconfigured, or hijacked through DNS), against a real
 * gateway process: a JWKS that streams without end, or declares a body over the limit, fails the
 * fetch within its deadline and is logged as such; the client gets a 401 that names neither the
 * key server nor the limit, and the process is not grown by what was streamed at it.
 */

const TIMEOUT_MS = 1500;
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const token = () => jwt.sign({ sub: '7', exp: Math.floor(Date.now() / 1000) + 60 }, key.privateKey, { algorithm: 'RS256', keyid: 'real' });

let keyServer: Server;
let keyServerUrl: string;

beforeAll(async () => {
  keyServer = createServer((req, res) => {
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 ** 3) }).write('{"keys":[');
      return;
    }
    // 64 KiB every millisecond, forever: gigabytes a minute, were it all read.
    res.writeHead(200, { 'content-type': 'application/json' }).write('{"keys":["');
    const chunk = 'x'.repeat(64 * 1024);
    const timer = setInterval(() => res.write(chunk), 1);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  keyServerUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  keyServer.closeAllConnections();
  await new Promise((resolve) => keyServer.close(resolve));
});

describe.each([
  ['streams without end', '/endless', 'sent more than that'],
  ['declares a body over the limit', '/declared', 'says its content-length'],
])('a JWKS key server that %s', (_what, path, logged) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget({
      mode: 'production',
      config: {
        authentication: {
          mode: 'optional',
          secret: '${env.PORTICO_JWT_SECRET}',
          algorithms: ['HS256', 'RS256'],
          jwks: { url: `${keyServerUrl}${path}`, timeoutMs: TIMEOUT_MS, refetchPerMinute: 5 },
        },
        rateLimit: { enabled: false },
      },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('costs its tokens a 401, logged as too large, and the gateway keeps serving', async () => {
    const rssBefore = target.rssBytes();
    for (let i = 0; i < 5; i += 1) {
      // Answered: without the fetch's bounds the lookup waits on the endless key set (the test's timeout fails it).
      const reply = await postRaw(target, { query: '{ me { id } }' }, { authorization: `Bearer ${token()}` });
      expectRefused(reply, ['UNAUTHENTICATED']);
      expect(reply.status).toBe(401);
      expect(reply.body?.errors?.[0]?.message).toBe('Authentication failed: the key set could not be fetched, so the token cannot be verified.');
      expect(JSON.stringify(reply.body)).not.toContain(keyServerUrl);
    }
    await expect.poll(() => target.output()).toMatch(new RegExp(`over the 262144 bytes a JWKS may take \\(it ${logged}\\)`));
    expect(target.rssBytes() - rssBefore).toBeLessThan(64 * 1024 * 1024);
    await expectStillServing(target);
  });
});
