import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import { parse } from 'graphql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../../gateway/config/loadGatewayConfig.js';
import type { GatewayContext } from '../../../gateway/GatewayContext.js';
import { unknownPluginHooks, unknownRequestHooks } from '../../../gateway/http/fastPath/fastPathHooks.js';
import { createGatewayMetrics } from '../../../gateway/metrics/createGatewayMetrics.js';
import { createFeatures } from '../../../gateway/pipeline/createFeatures.js';
import { createPipeline } from '../../../gateway/pipeline/createPipeline.js';
import { createAddressResolver } from '../../../gateway/traffic/createAddressResolver.js';
import { readCostDirectives } from '../../../gateway/traffic/readCostDirectives.js';

// The fast path runs Apollo Server's plugin list itself. A feature that hooks into Apollo Server
// somewhere the fast path does not (a new hook name) would be applied on one path and forgotten
// on the other: this fails first. (With such a plugin the fast path also turns itself off at start,
// with a log line; fastPathPluginShapes.test.ts. A request hook Apollo Server adds fails tsc in fastPathHooks.ts.)

/** Every feature on, so that each one's plugin is there. */
function everyFeature() {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-fast-path-hooks-'));
  const manifest = path.join(dir, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x', name: 'A', type: 'query', body: '{ a }' }] }),
  );
  const file = path.join(dir, 'gateway.json');
  writeFileSync(
    file,
    JSON.stringify({
      trustedDocuments: { mode: 'require', manifest },
      metrics: { enabled: true },
      demandControl: { maxCost: 1000 },
      server: { admission: { maxConcurrent: 4 } },
    }),
  );
  return createFeatures(loadGatewayConfig({ file, env: {} }), {
    logger: pino({ level: 'silent' }),
    metrics: createGatewayMetrics(100),
    redis: null,
    addressOf: createAddressResolver([]),
    costDirectives: () => readCostDirectives(parse('type Query { a: Int }')),
    decidePolicies: null,
  });
}

function requestContext(): GraphQLRequestContext<GatewayContext> {
  return {
    request: { query: '{ a }', http: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query: '{ a }' } } },
    contextValue: { requestId: 'r', signal: new AbortController().signal, deadlineAt: Date.now() + 1000, clientAddress: '127.0.0.1', viewer: null },
    metrics: {},
    response: { http: { status: undefined, headers: new HeaderMap() } },
  } as unknown as GraphQLRequestContext<GatewayContext>;
}

describe("the fast path's hooks", () => {
  it("run every hook of every feature's Apollo Server plugin", async () => {
    const { features } = everyFeature();
    const pipeline = createPipeline(features);
    const plugins: ApolloServerPlugin<GatewayContext>[] = pipeline.plugins;
    expect(plugins.length).toBeGreaterThan(4);
    for (const plugin of plugins) {
      expect(unknownPluginHooks(plugin)).toEqual([]);
      const listener = await plugin.requestDidStart?.(requestContext());
      if (listener) expect(unknownRequestHooks(listener)).toEqual([]);
    }
    await pipeline.close();
  });

  it('know a hook from a name they have never heard of', () => {
    expect(unknownPluginHooks({ requestDidStart: () => undefined, serverWillStart: () => undefined })).toEqual([]);
    expect(unknownPluginHooks({ requestDidStart: () => undefined, somethingNew: () => undefined })).toEqual(['somethingNew']);
    expect(unknownRequestHooks({ didResolveOperation: () => undefined, willSendResponse: () => undefined })).toEqual([]);
    expect(unknownRequestHooks({ didResolveOperation: () => undefined, willResolveSomething: () => undefined })).toEqual(['willResolveSomething']);
  });
});
