import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// deploy/haproxy.cfg is one file for Compose and the fleet test, set by environment variables:
// HAProxy itself checks it as each of them sets it (`.ci/run` installs haproxy).
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, { environment?: Record<string, string> }> };
const dir = mkdtempSync(join(tmpdir(), 'portico-haproxy-'));
mkdirSync(join(dir, 'deploy'));
const made = spawnSync('bash', [resolve('deploy/make-secrets.sh'), dir], { encoding: 'utf8' });
const certificate = join(dir, 'deploy/secrets/portico.pem');

function check(env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync('haproxy', ['-c', '-f', resolve('deploy/haproxy.cfg')], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/haproxy.cfg', () => {
  it('is made a certificate for by deploy/make-secrets.sh', () => {
    expect(made.status, made.stderr).toBe(0);
  });

  it('is valid as Compose sets it (replicas found by DNS), with the certificate where the secret puts it', () => {
    const environment: Record<string, string> = { ...compose.services.lb!.environment, PORTICO_LB_CERT: certificate };
    expect(environment.PORTICO_GATEWAY_DNS).toBe('gateway:4000');
    const { status, output } = check(environment);
    expect(output).not.toMatch(/ALERT/);
    expect(status).toBe(0);
  });

  it('is valid as the fleet test sets it (three replicas on loopback)', () => {
    const { status, output } = check({
      PORTICO_LB_BIND: '127.0.0.1:18443',
      PORTICO_LB_CERT: certificate,
      PORTICO_GATEWAY_1: '127.0.0.1:4101',
      PORTICO_GATEWAY_2: '127.0.0.1:4102',
      PORTICO_GATEWAY_3: '127.0.0.1:4103',
    });
    expect(output).not.toMatch(/ALERT/);
    expect(status).toBe(0);
  });

  it('refuses to start without a certificate: it never serves plain HTTP by mistake', () => {
    const { status, output } = check({ PORTICO_LB_CERT: join(dir, 'missing.pem'), PORTICO_GATEWAY_1: '127.0.0.1:4101' });
    expect(status).not.toBe(0);
    expect(output).toMatch(/unable to stat SSL certificate/);
  });
});
