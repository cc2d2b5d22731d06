import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProto } from '../../../common/grpc/loadProto.js';
import type { ProtoGrpcType } from '../../../common/grpc/generated/catalog.js';
import type { CatalogClient } from '../../../common/grpc/generated/portico/catalog/v1/Catalog.js';
import type { GetProductsResponse__Output } from '../../../common/grpc/generated/portico/catalog/v1/GetProductsResponse.js';
import { callUnary } from '../../../subgraphs/kit/grpc/callUnary.js';
import { createGrpcClient } from '../../../subgraphs/kit/grpc/createGrpcClient.js';

// A real gRPC backend that dies and comes back on the same port, as a restarted pod does.
const proto = loadProto<ProtoGrpcType>('catalog.proto');
let server: grpc.Server | undefined;
let client: CatalogClient | undefined;

async function startBackend(port: number): Promise<number> {
  server = new grpc.Server();
  server.addService(proto.portico.catalog.v1.Catalog.service, {
    GetProducts(call: grpc.ServerUnaryCall<{ upcs: string[] }, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, { products: call.request.upcs.map((upc) => ({ upc, name: upc, price: 1, weight: 1 })) });
    },
  });
  return new Promise<number>((resolve, reject) =>
    server!.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
}

const ask = () =>
  callUnary<GetProductsResponse__Output>((metadata, options, done) => client!.GetProducts({ upcs: ['1'] }, metadata, options, done), {
    backend: 'catalog',
    method: 'GetProducts',
    timeoutMs: 500,
  }).then(
    () => 'ok',
    (error: { extensions: { code: string } }) => error.extensions.code,
  );

afterAll(() => {
  client?.close();
  server?.forceShutdown();
});

describe('a gRPC backend client', () => {
  it('uses a restarted backend within about a second, however long it was down', async () => {
    const port = await startBackend(0);
    client = createGrpcClient(proto.portico.catalog.v1.Catalog, `127.0.0.1:${port}`);
    expect(await ask()).toBe('ok');
    server!.forceShutdown();
    // Down for 6 s, with callers trying: grpc-js's default backoff would by now wait ~4 s
    // before its next attempt (1 s ×1.6 per attempt), so the restart below would go unused
    // for seconds.
    const downUntil = Date.now() + 6_000;
    while (Date.now() < downUntil) {
      expect(await ask()).toBe('BACKEND_UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await startBackend(port);
    // The bound is loose for a loaded machine; the default backoff misses it by seconds.
    await expect.poll(ask, { timeout: 2_500, interval: 50 }).toBe('ok');
  }, 20_000);
});
