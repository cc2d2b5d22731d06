import { parse } from 'graphql';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../../gateway/config/loadGatewayConfig.js';
import { createGatewayMetrics } from '../../../gateway/metrics/createGatewayMetrics.js';
import { createFeatures, type FeatureDeps } from '../../../gateway/pipeline/createFeatures.js';
import { createPipeline } from '../../../gateway/pipeline/createPipeline.js';
import type { Feature } from '../../../gateway/pipeline/Feature.js';
import { createAddressResolver } from '../../../gateway/traffic/createAddressResolver.js';
import { readCostDirectives } from '../../../gateway/traffic/readCostDirectives.js';

// The request path, as README's diagram draws it. Reordering the list in createFeatures changes
// what a client is told (which refusal wins, what has counted against it): it must show here.
const requestPath = [
  'addressRateLimit',
  'authFailureBudget',
  'clientRefusalHold',
  'addressConcurrency',
  'authentication',
  'bodyReading',
  'newDocumentBudget',
  'documentLimits',
  'admission',
  'variableCoercion',
  'persistedDocuments',
  'rateLimits',
  'demandControl',
  'authorization',
  'operationRecording',
  'requestMetrics',
  'failedRequestLog',
];

function deps(): FeatureDeps {
  return {
    logger: pino({ level: 'silent' }),
    metrics: createGatewayMetrics(100),
    redis: null,
    addressOf: createAddressResolver([]),
    costDirectives: () => readCostDirectives(parse('type Query { a: Int }')),
    decidePolicies: null,
  };
}

/** Which hooks each feature has, by name. */
const hooksOf = (features: readonly Feature[]) =>
  Object.fromEntries(
    features.map(({ name, ...hooks }) => [
      name,
      Object.keys(hooks)
        .filter((key) => typeof hooks[key as keyof typeof hooks] === 'function' || key === 'plugin')
        .sort(),
    ]),
  );

describe('createFeatures', () => {
  it('lists every feature once, in the order a request meets them, whatever is on', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portico-features-'));
    const manifest = path.join(dir, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x', name: 'A', type: 'query', body: '{ a }' }] }),
    );
    const everything = path.join(dir, 'gateway.json');
    writeFileSync(
      everything,
      JSON.stringify({ trustedDocuments: { mode: 'require', manifest }, metrics: { enabled: true }, server: { admission: { maxConcurrent: 4 } } }),
    );
    const nothing = path.join(dir, 'off.json');
    writeFileSync(nothing, JSON.stringify({ rateLimit: { enabled: false }, metrics: { enabled: false }, server: { admission: { maxConcurrent: 4 } } }));

    const offRecording = path.join(dir, 'no-recording.json');
    writeFileSync(offRecording, JSON.stringify({ operationRecording: { enabled: false } }));

    const on = createFeatures(loadGatewayConfig({ file: everything, env: {} }), deps());
    expect(on.features.map((feature) => feature.name)).toEqual(requestPath);
    expect(hooksOf(on.features)).toEqual({
      addressRateLimit: ['arrive', 'close', 'drain'],
      authFailureBudget: ['handle'],
      clientRefusalHold: ['handle'],
      addressConcurrency: ['drain', 'handle'],
      authentication: ['handle'],
      bodyReading: ['handle'],
      newDocumentBudget: ['handle', 'plugin'],
      documentLimits: ['handle'],
      admission: ['close', 'handle'],
      variableCoercion: ['plugin'],
      persistedDocuments: ['plugin'],
      rateLimits: ['drain', 'plugin'],
      demandControl: ['plugin'],
      authorization: ['execute'],
      operationRecording: ['close', 'plugin'],
      requestMetrics: ['finish', 'plugin'],
      failedRequestLog: ['finish'],
    });
    const off = createFeatures(loadGatewayConfig({ file: nothing, env: {} }), { ...deps(), metrics: undefined });
    expect(off.features.map((feature) => feature.name)).toEqual(requestPath);
    expect(hooksOf(off.features).rateLimits).toEqual([]);
    expect(hooksOf(off.features).addressRateLimit).toEqual([]);
    expect(hooksOf(off.features).addressConcurrency).toEqual([]);
    expect(hooksOf(off.features).authFailureBudget).toEqual([]);
    expect(hooksOf(off.features).clientRefusalHold).toEqual([]);
    expect(hooksOf(off.features).newDocumentBudget).toEqual([]);
    expect(hooksOf(off.features).requestMetrics).toEqual([]);
    expect(hooksOf(createFeatures(loadGatewayConfig({ file: offRecording, env: {} }), deps()).features).operationRecording).toEqual([]);
  });

  it("gives Apollo Server the features' plugins in that order, after the error recorder", () => {
    const { features } = createFeatures(loadGatewayConfig({ env: {} }), deps());
    const pipeline = createPipeline(features);
    const withPlugins = features.filter((feature) => feature.plugin);
    expect(pipeline.plugins.slice(1)).toEqual(withPlugins.map((feature) => feature.plugin));
    expect(withPlugins.map((feature) => feature.name)).toEqual([
      'newDocumentBudget',
      'variableCoercion',
      'rateLimits',
      'demandControl',
      'operationRecording',
      'requestMetrics',
    ]);
    return pipeline.close();
  });

  it('hands Apollo Server the APQ option: in memory by default, off when asked', () => {
    expect(createFeatures(loadGatewayConfig({ env: {} }), deps()).persistedQueries).toEqual({
      ttl: expect.any(Number),
      cache: expect.objectContaining({ get: expect.any(Function) }),
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'portico-features-'));
    writeFileSync(path.join(dir, 'g.json'), JSON.stringify({ persistedQueries: { enabled: false } }));
    expect(createFeatures(loadGatewayConfig({ file: path.join(dir, 'g.json'), env: {} }), deps()).persistedQueries).toBe(false);
  });
});
