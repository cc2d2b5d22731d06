import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch } from 'undici';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';

let shop: Shop;
let gateway: RunningGateway;
let trusting: Agent;

beforeAll(async () => {
  shop = await startShop();
  const certFile = path.join(shop.dir, 'cert.pem');
  const keyFile = path.join(shop.dir, 'key.pem');
  // A self-signed certificate for 127.0.0.1, made fresh for this run.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  trusting = new Agent({ connect: { ca: readFileSync(certFile) } });
  gateway = await startGateway(shop.dir, 'tls', {
    supergraph: { path: shop.supergraphPath },
    server: { tls: { certFile, keyFile } },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await trusting?.close();
  await shop?.stop();
});

describe('gateway over HTTPS', () => {
  it('serves GraphQL and health over TLS', async () => {
    expect(gateway.origin).toMatch(/^https:\/\//);
    const { response, body } = await postGraphQL(gateway.origin, { query: '{ topProducts(first: 1) { name reviews { body } } }' }, {}, trusting);
    expect(response.status).toBe(200);
    expect(body.data).toEqual({ topProducts: [{ name: 'Table', reviews: [{ body: 'Love it!' }, { body: 'Too expensive.' }] }] });
    const health = await fetch(`${gateway.origin}/health`, { dispatcher: trusting });
    expect(health.status).toBe(200);
  });

  it('does not answer plain HTTP on the same port', async () => {
    await expect(fetch(gateway.origin.replace('https:', 'http:') + '/health')).rejects.toThrow();
  });

  it('refuses at start a certificate that is not PEM, naming the files', async () => {
    const junk = path.join(shop.dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    await expect(
      startGateway(shop.dir, 'bad-tls', { supergraph: { path: shop.supergraphPath }, server: { tls: { certFile: junk, keyFile: junk } } }),
    ).rejects.toThrow(/server\.tls: cannot use .*junk\.pem and .*junk\.pem/);
  });
});
