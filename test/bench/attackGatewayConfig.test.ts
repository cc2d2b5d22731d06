import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { attackGatewayConfig } from '../../bench/attack/startAttackTarget.js';
import { loadGatewayConfig } from '../../gateway/config/loadGatewayConfig.js';

const urls = {
  accounts: 'http://127.0.0.1:1/graphql',
  products: 'http://127.0.0.1:2/graphql',
  inventory: 'http://127.0.0.1:3/graphql',
  reviews: 'http://127.0.0.1:4/graphql',
};
const limits = { requestsPerAddressPerSecond: 400, operationsPerSecond: 200, costPerSecond: 26_000 };

/** The attacked gateway's config as `portico gateway` loads it: a typo in an option name fails here, not in a bench run. */
function load(): ReturnType<typeof loadGatewayConfig> {
  const file = join(mkdtempSync(join(tmpdir(), 'portico-attack-config-')), 'gateway.yaml');
  writeFileSync(file, stringify(attackGatewayConfig(urls, limits, 9999)));
  return loadGatewayConfig({
    file,
    env: { NODE_ENV: 'production', PORTICO_SIGNING_SECRET: 'bench-signing-secret-0123456789', PORTICO_JWT_SECRET: 'bench-jwt-secret-0123456789abcdef' },
  });
}

afterEach(() => vi.unstubAllEnvs());

describe('the attack scenario gateway config', () => {
  it('is valid, with the sized limits per second and pacing on', () => {
    const config = load();
    expect(config.rateLimit.perAddress).toMatchObject({ windowSeconds: 1, limit: 400 });
    expect(config.rateLimit.default).toEqual({ windowSeconds: 1, limit: 200 });
    expect(config.rateLimit.cost).toEqual({ windowSeconds: 1, budget: 26_000 });
    expect(config.rateLimit.pace).toEqual({ maxDelayMs: 1000, burstPercent: 10 });
    expect(config.metrics).toMatchObject({ listener: 'internal', port: 9999 });
  });

  it('runs without pacing under BENCH_ATTACK_PACE', () => {
    vi.stubEnv('BENCH_ATTACK_PACE', '{"maxDelayMs":0}');
    expect(load().rateLimit.pace).toEqual({ maxDelayMs: 0, burstPercent: 10 });
  });
});
