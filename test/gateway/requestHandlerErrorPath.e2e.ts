import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { createAuthenticator, type Authenticator } from '../../gateway/auth/createAuthenticator.js';
import { createRequestHandler } from '../../gateway/http/createRequestHandler.js';
import type { Feature } from '../../gateway/pipeline/Feature.js';
import { httpLayerOptions } from './fixtures/httpLayerOptions.js';

// The HTTP layer alone, with an authenticator and a request log the test swaps, to drive the
// error path with what used to end the process.
let authenticate: Authenticator['authenticate'] = async () => null;
let finish: NonNullable<Feature['finish']> = () => undefined;
const logged: string[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
const options = httpLayerOptions({ logger }, { authenticator: { authenticate: (headers) => authenticate(headers) }, finish: (entry) => finish(entry) });
const server = http.createServer(createRequestHandler(options));
let url: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  await options.apollo.start();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await new Promise((resolve) => server.close(resolve));
  await options.apollo.stop();
});
afterEach(async () => {
  authenticate = async () => null;
  finish = () => undefined;
  // Still serving, and nothing escaped as an unhandled rejection.
  const reply = await post();
  expect(reply.status).toBe(200);
  await new Promise((resolve) => setImmediate(resolve));
  expect(unhandled).toEqual([]);
});

const post = (headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ a }' }) });
const base64url = (json: string) => Buffer.from(json).toString('base64url');

describe("the request handler's error path", () => {
  it('answers the reported token (CR/LF in alg) with a 401 and a valid WWW-Authenticate', async () => {
    const real = createAuthenticator({
      mode: 'optional',
      algorithms: ['HS256'],
      secret: 'test-jwt-secret-0123456789abcdef',
      publicKeyFile: null,
      jwks: null,
      issuer: [],
      audience: [],
      clockToleranceSeconds: 5,
      requireExpiry: true,
      maxTokenAgeSeconds: null,
      requiredClaims: [],
      cookie: null,
      forwardToken: false,
      forwardClaims: [],
    });
    authenticate = (headers) => real.authenticate(headers);
    for (const alg of ['"HS256\\r\\nX-Injected: 1"', '"HS256\\u0100"']) {
      const reply = await post({ authorization: `Bearer ${base64url(`{"alg":${alg},"typ":"JWT"}`)}.${base64url('{"sub":"1"}')}.c2ln` });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('x-injected')).toBeNull();
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer realm="portico", error="invalid_token", error_description="[\x20-\x7e]+"$/);
      expect(((await reply.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('writes a refusal whose header values are any text', async () => {
    authenticate = async () => {
      throw new HttpError(ErrorCode.UNAUTHENTICATED, 'no', { 'www-authenticate': 'Bearer error_description="a\r\nb\u0100\u2028\0"' });
    };
    const reply = await post();
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer error_description="a b???"');
  });

  it('closes the connection, logging once, when the refusal itself cannot be written', async () => {
    logged.length = 0;
    authenticate = async () => {
      throw new HttpError(ErrorCode.UNAUTHENTICATED, 'no', {}, { unserializable: 1n });
    };
    await expect(post()).rejects.toThrow();
    expect(logged.filter((line) => line.includes('could not write an error response'))).toHaveLength(1);
  });

  it('survives a failure after the answer (the request log throwing)', async () => {
    finish = () => {
      throw new Error('the log is broken');
    };
    expect((await post()).status).toBe(200);
    authenticate = async () => {
      throw new HttpError(ErrorCode.UNAUTHENTICATED, 'no');
    };
    expect((await post()).status).toBe(401);
    await new Promise((resolve) => setImmediate(resolve));
  });
});
