import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProto } from '../../../common/grpc/loadProto.js';
import type { ProtoGrpcType } from '../../../common/grpc/generated/catalog.js';
import type { CatalogClient } from '../../../common/grpc/generated/portico/catalog/v1/Catalog.js';
import type { GetProductsResponse__Output } from '../../../common/grpc/generated/portico/catalog/v1/GetProductsResponse.js';
import { callUnary } from '../../../subgraphs/kit/grpc/callUnary.js';
import { createGrpcClient } from '../../../subgraphs/kit/grpc/createGrpcClient.js';

const proto = loadProto<ProtoGrpcType>('catalog.proto');
let server: grpc.Server;
let client: CatalogClient;
const statusFor: Record<string, grpc.status> = {
  'not-found': grpc.status.NOT_FOUND,
  invalid: grpc.status.INVALID_ARGUMENT,
  internal: grpc.status.INTERNAL,
  unavailable: grpc.status.UNAVAILABLE,
  denied: grpc.status.PERMISSION_DENIED,
};

beforeAll(async () => {
  server = new grpc.Server();
  server.addService(proto.portico.catalog.v1.Catalog.service, {
    GetProducts(call: grpc.ServerUnaryCall<{ upcs: string[] }, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const [first] = call.request.upcs;
      if (first === 'slow') return; // never answers
      const status = statusFor[first ?? ''];
      if (status !== undefined) return callback({ code: status, details: `details for ${first}: secret=hunter2` });
      const requestId = String(call.metadata.get('x-request-id')[0] ?? '');
      callback(null, { products: [{ upc: first, name: `asked by ${requestId}`, price: 1, weight: 2 }] });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  client = createGrpcClient(proto.portico.catalog.v1.Catalog, `127.0.0.1:${port}`);
});

afterAll(() => {
  client.close();
  server.forceShutdown();
});

function getProducts(upc: string, options: { timeoutMs?: number; signal?: AbortSignal; deadlineAt?: number } = {}) {
  return callUnary<GetProductsResponse__Output>((metadata, callOptions, done) => client.GetProducts({ upcs: [upc] }, metadata, callOptions, done), {
    backend: 'catalog',
    method: 'GetProducts',
    timeoutMs: options.timeoutMs ?? 2000,
    requestId: 'req-7',
    signal: options.signal,
    deadlineAt: options.deadlineAt,
  });
}

async function failureOf(call: Promise<unknown>) {
  const error = (await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as { message: string; extensions: Record<string, unknown> };
  expect(error, 'the call should have failed').toBeDefined();
  return { code: error.extensions.code, backend: error.extensions.backend, message: error.message };
}

describe('callUnary', () => {
  it('returns the response and sends the request id as metadata', async () => {
    const response = await getProducts('42');
    expect(response.products).toEqual([{ upc: '42', name: 'asked by req-7', price: 1, weight: 2 }]);
  });

  it.each([
    ['not-found', 'NOT_FOUND'],
    ['invalid', 'BAD_USER_INPUT'],
    ['denied', 'FORBIDDEN'],
  ])('maps %s to %s with the backend explanation', async (upc, code) => {
    expect(await failureOf(getProducts(upc))).toEqual({ code, backend: 'catalog', message: `details for ${upc}: secret=hunter2` });
  });

  it('hides an INTERNAL status behind BACKEND_ERROR', async () => {
    const failure = await failureOf(getProducts('internal'));
    expect(failure).toEqual({ code: 'BACKEND_ERROR', backend: 'catalog', message: 'catalog.GetProducts failed with gRPC status INTERNAL.' });
  });

  it('maps UNAVAILABLE to BACKEND_UNAVAILABLE', async () => {
    expect(await failureOf(getProducts('unavailable'))).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });

  it('enforces the deadline', async () => {
    expect(await failureOf(getProducts('slow', { timeoutMs: 200 }))).toEqual({
      code: 'BACKEND_TIMEOUT',
      backend: 'catalog',
      message: 'catalog.GetProducts did not answer within 200 ms.',
    });
  });

  it("ends the call at the caller's deadline when that comes first", async () => {
    const failure = await failureOf(getProducts('slow', { timeoutMs: 5000, deadlineAt: Date.now() + 150 }));
    expect(failure.code).toBe('BACKEND_TIMEOUT');
    const allowed = Number(/within (\d+) ms/.exec(failure.message)?.[1]);
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThanOrEqual(150);
  });

  it('cancels the call when the caller aborts', async () => {
    const controller = new AbortController();
    const call = getProducts('slow', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await failureOf(call)).toMatchObject({ code: 'BACKEND_TIMEOUT', message: 'The call to catalog.GetProducts was cancelled.' });
  });

  it('reports a backend that is not there as BACKEND_UNAVAILABLE', async () => {
    const nowhere = createGrpcClient(proto.portico.catalog.v1.Catalog, '127.0.0.1:1');
    const failure = await failureOf(
      callUnary<GetProductsResponse__Output>((metadata, options, done) => nowhere.GetProducts({ upcs: ['1'] }, metadata, options, done), {
        backend: 'catalog',
        method: 'GetProducts',
        timeoutMs: 2000,
      }),
    );
    nowhere.close();
    expect(failure).toMatchObject({ code: 'BACKEND_UNAVAILABLE', message: 'The catalog service is unavailable.' });
  });
});
