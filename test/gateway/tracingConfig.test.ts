import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../gateway/config/ConfigError.js';
import { loadGatewayConfig } from '../../gateway/config/loadGatewayConfig.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'portico-tracing-config-'));
  writeFileSync(path.join(dir, 'supergraph.graphql'), 'type Query { a: Int }');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(yaml: string, env: Record<string, string> = {}) {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `supergraph: { path: supergraph.graphql }\n${yaml}`);
  return loadGatewayConfig({ cwd: dir, file, env: { PORTICO_SIGNING_SECRET: 'test-signing-secret-0123456789', ...env } });
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('telemetry.tracing', () => {
  it('is off by default', () => {
    expect(load('').telemetry.tracing).toEqual({ enabled: false, otlpEndpoint: null, serviceName: 'portico-gateway', sampleRatio: 1 });
  });

  it('takes its endpoint and ratio from the environment', () => {
    const config = load('telemetry:\n  tracing: { enabled: true, otlpEndpoint: "${env.OTLP_URL}", sampleRatio: "${env.RATIO}" }', {
      OTLP_URL: 'http://collector:4318/v1/traces',
      RATIO: '0.25',
    });
    expect(config.telemetry.tracing).toMatchObject({ enabled: true, otlpEndpoint: 'http://collector:4318/v1/traces', sampleRatio: 0.25 });
  });

  it('needs an endpoint when enabled', () => {
    expect(problemsOf(() => load('telemetry: { tracing: { enabled: true } }'))).toEqual([
      expect.stringMatching(/^telemetry\.tracing\.otlpEndpoint: required when telemetry\.tracing\.enabled is true/),
    ]);
  });

  it('refuses a ratio outside 0 to 1 and an endpoint that is not http(s)', () => {
    const problems = problemsOf(() => load('telemetry: { tracing: { otlpEndpoint: "collector:4318", sampleRatio: 1.5 } }'));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^telemetry\.tracing\.otlpEndpoint: must be an http:\/\/ or https:\/\/ URL/),
        expect.stringMatching(/^telemetry\.tracing\.sampleRatio: must be a number from 0 to 1/),
      ]),
    );
  });
});
