import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const weatherProto = 'test/cli/fixtures/weather.proto';

interface Forecast {
  cityId: string;
  sky: string;
  highCelsius: number;
  issuedAt: string;
  warnings: string[];
}

const forecasts: Forecast[] = [
  { cityId: 'paris', sky: 'SUNNY', highCelsius: 21.5, issuedAt: '1700000000000', warnings: [] },
  { cityId: 'oslo', sky: 'RAIN', highCelsius: 8, issuedAt: '1700000000001', warnings: ['wind'] },
];

/** A real gRPC Weather service (test/cli/fixtures/weather.proto) on a free port, counting its calls. */
export async function startWeatherService() {
  const definition = protoLoader.loadSync(weatherProto, { keepCase: false, longs: String, enums: String, defaults: true });
  const { acme } = grpc.loadPackageDefinition(definition) as unknown as { acme: { weather: { v1: { Weather: grpc.ServiceClientConstructor } } } };
  const calls: Array<{ method: string; request: unknown }> = [];
  const server = new grpc.Server();
  server.addService(acme.weather.v1.Weather.service, {
    GetForecasts(call: grpc.ServerUnaryCall<{ cityIds: string[] }, unknown>, done: grpc.sendUnaryData<unknown>) {
      calls.push({ method: 'GetForecasts', request: call.request });
      done(null, { forecasts: forecasts.filter((forecast) => call.request.cityIds.includes(forecast.cityId)) });
    },
    ListStations(call: grpc.ServerUnaryCall<{ region: string; first: number }, unknown>, done: grpc.sendUnaryData<unknown>) {
      calls.push({ method: 'ListStations', request: call.request });
      const stations = [1, 2, 3].map((n) => ({ id: `${call.request.region}-${n}`, name: `Station ${n}` }));
      done(null, { stations: stations.slice(0, call.request.first) });
    },
    ReportReading(call: grpc.ServerUnaryCall<unknown, unknown>, done: grpc.sendUnaryData<unknown>) {
      done(null, call.request);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    calls,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
