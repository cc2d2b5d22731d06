import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLError, Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../common/http/HttpError.js';
import { createGatewayMetrics } from '../../../gateway/metrics/createGatewayMetrics.js';
import { createAuthorization } from '../../../gateway/pipeline/authorization/createAuthorization.js';
import { createFailedRequestLog } from '../../../gateway/pipeline/failedRequestLog/createFailedRequestLog.js';
import type { FinishedRequest, OperationExecutor } from '../../../gateway/pipeline/Feature.js';
import { createRequestMetrics } from '../../../gateway/pipeline/requestMetrics/createRequestMetrics.js';
import type { Viewer } from '../../../gateway/GatewayContext.js';
import { readAuthorizationRules } from '../../../gateway/authorization/readAuthorizationRules.js';
import type { SupergraphSnapshot } from '../../../gateway/supergraph/SupergraphSnapshot.js';

const finished = (outcome: Partial<FinishedRequest>): FinishedRequest => ({
  status: 200,
  requestId: 'r1',
  method: 'POST',
  path: '/graphql',
  durationMs: 3,
  ...outcome,
});

describe('requestMetrics: refusals', () => {
  const metricsFor = () => createGatewayMetrics(100);
  const count = async (metrics: ReturnType<typeof createGatewayMetrics>) =>
    (await metrics.registry.getSingleMetric('portico_rejections_total')!.get()).values.map(({ labels, value }) => ({ ...labels, value }));

  it('counts each distinct refusal code of a failed request once, whichever layer produced it', async () => {
    const metrics = metricsFor();
    const { finish } = createRequestMetrics({ metrics, clientNameHeader: 'n', clientVersionHeader: 'v' });
    const limited = () => new GraphQLError('limited', { extensions: { code: 'RATE_LIMITED' } });
    finish!(finished({ status: 429, errors: [limited(), limited(), new GraphQLError('no code')] }));
    finish!(finished({ status: 400, errors: [new HttpError('MAX_DEPTH_EXCEEDED', 'deep')] }));
    finish!(finished({ status: 401, errors: [new HttpError('UNAUTHENTICATED', 'who?')] }));
    expect(await count(metrics)).toEqual([
      { reason: 'rate_limit', code: 'RATE_LIMITED', value: 1 },
      { reason: 'demand_control', code: 'MAX_DEPTH_EXCEEDED', value: 1 },
      { reason: 'authentication', code: 'UNAUTHENTICATED', value: 1 },
    ]);
  });

  it('is the one place refusals are counted (no other file in gateway/ touches the counter)', () => {
    const counting = readdirSync('gateway', { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => /\brejections\.inc\(/.test(readFileSync(file, 'utf8')));
    expect(counting).toEqual([path.join('gateway', 'pipeline', 'requestMetrics', 'createRequestMetrics.ts')]);
  });

  it('counts nothing for an answer that is no refusal: a 200 with errors (a field nulled), a 499', async () => {
    const metrics = metricsFor();
    const { finish } = createRequestMetrics({ metrics, clientNameHeader: 'n', clientVersionHeader: 'v' });
    finish!(finished({ status: 200, errors: [new GraphQLError('nulled', { extensions: { code: 'UNAUTHENTICATED' } })] }));
    finish!(finished({ status: 499 }));
    expect(await count(metrics)).toEqual([]);
  });
});

describe('failedRequestLog', () => {
  const logged: Record<string, unknown>[] = [];
  const log = createFailedRequestLog(pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) }));

  it('logs a failed request once, with its errors as produced: the stack only for an error nobody coded', () => {
    logged.length = 0;
    const bug = new GraphQLError('Internal server error', { originalError: new Error('the real cause'), path: ['a'] });
    log.finish!(finished({ status: 200, errors: [bug, new GraphQLError('down', { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'products' } })] }));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: 'r1', status: 200, msg: 'POST /graphql failed (200)' });
    expect(logged[0]!.errors).toEqual([
      { message: 'Internal server error', path: ['a'], stack: expect.stringContaining('the real cause') },
      { message: 'down', code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'products' },
    ]);
  });

  it('logs an HTTP refusal by its code, and what Apollo Server answered where no error reached the plugins', () => {
    logged.length = 0;
    log.finish!(finished({ status: 401, errors: [new HttpError('UNAUTHENTICATED', 'who?')] }));
    log.finish!(finished({ status: 400, unseenAnswer: '{"errors":[{"message":"blocked (CSRF)","extensions":{"code":"BAD_REQUEST"}}]}' }));
    log.finish!(finished({ status: 400, unseenAnswer: 'not json' }));
    expect(logged.map((line) => line.errors)).toEqual([
      [{ message: 'who?', code: 'UNAUTHENTICATED' }],
      [{ message: 'blocked (CSRF)', code: 'BAD_REQUEST' }],
      [],
    ]);
  });

  it('says nothing of a request that went well', () => {
    logged.length = 0;
    log.finish!(finished({ status: 200, errors: [] }));
    log.finish!(finished({ status: 204 }));
    expect(logged).toEqual([]);
  });
});

describe('authorization', () => {
  const sdl = `
schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY) { query: Query }
directive @link(url: String, as: String, for: String) repeatable on SCHEMA
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE
type Query { open: Int secret: Int @authenticated }
`;
  const apiSchema = buildSchema(sdl);
  const authorize = (unauthorized: 'filter' | 'reject') =>
    createAuthorization({
      unauthorized,
      decidePolicies: null,
      logger: pino({ level: 'silent' }),
    }).execute!;
  const snapshot = { apiSchema, authorizationRules: readAuthorizationRules(parse(sdl)) } as SupergraphSnapshot;
  const requestOf = (query: string, viewer: Viewer | null) => {
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    return {
      document,
      operation,
      source: query,
      queryHash: 'h',
      request: { variables: {} },
      context: { requestId: 'r', viewer },
    } as unknown as Parameters<OperationExecutor>[0];
  };
  const seen: string[] = [];
  const executor: OperationExecutor = async (request, given) => {
    expect(given).toBe(snapshot);
    seen.push(print(request.document));
    return { data: { open: 1, secret: 2 } };
  };

  it('plans an operation without what its caller may not see, and answers null and an error in its place', async () => {
    seen.length = 0;
    const result = await authorize('filter')(executor)(requestOf('{ open secret }', null), snapshot);
    expect(seen[0]).not.toContain('secret');
    expect(result.data).toEqual({ open: 1, secret: null });
    expect(result.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['UNAUTHENTICATED', ['secret']]]);
    await authorize('filter')(executor)(requestOf('{ open secret }', { subject: 'u', scopes: [], claims: {} }), snapshot);
    expect(seen[1]).toContain('secret');
  });

  it('with unauthorized: reject, refuses the whole operation with 401 and runs nothing', async () => {
    seen.length = 0;
    const result = await authorize('reject')(executor)(requestOf('{ open secret }', null), snapshot);
    expect(seen).toEqual([]);
    expect(result.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'UNAUTHENTICATED', http: { status: 401 } })]);
  });
});
