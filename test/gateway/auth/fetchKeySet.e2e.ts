import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeySetCache } from '../../../gateway/auth/createKeySetCache.js';
import { MAX_KEY_SET_BYTES } from '../../../gateway/auth/fetchKeySet.js';

const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const keySet = JSON.stringify({ keys: [{ ...key.export({ format: 'jwk' }), kid: 'a', alg: 'RS256', use: 'sig' }] });
const TIMEOUT_MS = 400;

// How the key server answers now; `closed` counts the answers whose connection the client closed
// before the answer ended (the download was cancelled).
type Behaviour = 'valid' | 'endless' | 'trickle' | 'declaredTooLarge';
let behaviour: Behaviour = 'valid';
let closed = 0;
let server: Server;
let url: string;

function answer(res: ServerResponse): void {
  if (behaviour === 'valid') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(keySet);
    return;
  }
  res.on('close', () => {
    if (!res.writableFinished) closed += 1;
  });
  if (behaviour === 'declaredTooLarge') {
    // Declared over the limit; the few bytes sent are all that ever come.
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_KEY_SET_BYTES + 1) }).write('{"keys":[');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).write('{"keys":["');
  // `endless`: as fast as the socket takes it; `trickle`: one byte every 20 ms, which no idle timeout ever stops.
  const chunk = behaviour === 'endless' ? 'x'.repeat(16 * 1024) : 'x';
  const timer = setInterval(() => res.write(chunk), behaviour === 'endless' ? 1 : 20);
  res.on('close', () => clearInterval(timer));
}

beforeAll(async () => {
  server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  behaviour = 'valid';
  closed = 0;
});

// The cache as the gateway builds it (jwks-rsa with Portico's fetcher), recording fetch errors.
function cache(cacheMaxAgeMs = 600_000) {
  const errors: Error[] = [];
  const keys = createKeySetCache({ url, cacheMaxAgeMs, refetchPerMinute: 10, timeoutMs: TIMEOUT_MS }, { onFetchError: (error) => errors.push(error as Error) });
  return { keys, errors };
}

describe('JWKS fetch bounds (a real key server)', () => {
  it('fetches a well-behaved key set', async () => {
    const { keys, errors } = cache();
    expect(await keys.lookup('a')).toEqual({ key: expect.anything() });
    expect(errors).toEqual([]);
  });

  it('gives up on a body that streams without end once it is over the byte limit, and closes the download', async () => {
    behaviour = 'endless';
    const { keys, errors } = cache();
    // Refused for its size, not at the deadline: the error says which.
    expect(await keys.lookup('a')).toEqual({ missing: 'unavailable' });
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/over the 262144 bytes a JWKS may take \(it sent more than that\)/)]);
    await expect.poll(() => closed).toBe(1);
  });

  it('gives up on a body that trickles without end at the deadline, though bytes keep coming', async () => {
    behaviour = 'trickle';
    const { keys, errors } = cache();
    // Without the deadline, bytes keep coming and the lookup never ends (the test's timeout fails it).
    expect(await keys.lookup('a')).toEqual({ missing: 'unavailable' });
    expect(errors.map((error) => error.message)).toEqual([`the key set did not arrive, whole, within ${TIMEOUT_MS} ms`]);
    await expect.poll(() => closed).toBe(1);
  });

  it('refuses a key set whose content-length is over the limit without reading it', async () => {
    behaviour = 'declaredTooLarge';
    const { keys, errors } = cache();
    expect(await keys.lookup('a')).toEqual({ missing: 'unavailable' });
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/over the 262144 bytes a JWKS may take \(it says its content-length\)/)]);
    await expect.poll(() => closed).toBe(1);
  });

  it('keeps serving the keys it holds while the set misbehaves, and reports an unknown kid as unavailable', async () => {
    const { keys, errors } = cache(0); // always expired: every lookup may refresh
    expect(await keys.lookup('a')).toEqual({ key: expect.anything() });
    behaviour = 'endless';
    expect(await keys.lookup('a')).toEqual({ key: expect.anything() }); // answered at once; the refresh runs behind it
    expect(await keys.lookup('b')).toEqual({ missing: 'unavailable' });
    expect(await keys.lookup('a')).toEqual({ key: expect.anything() });
    expect(errors.length).toBeGreaterThan(0);
  });
});
