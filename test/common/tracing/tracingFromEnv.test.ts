import { describe, expect, it } from 'vitest';
import { tracingFromEnv } from '../../../common/tracing/tracingFromEnv.js';

describe('tracingFromEnv', () => {
  it('is off when no OTLP endpoint is set', () => {
    expect(tracingFromEnv({ OTEL_SERVICE_NAME: 'x' }, 'portico-users')).toBeUndefined();
    expect(tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, 'portico-users')).toBeUndefined();
  });

  it('appends /v1/traces to the base endpoint, and takes the traces endpoint as it is', () => {
    expect(tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'portico-users')).toEqual({
      serviceName: 'portico-users',
      otlpEndpoint: 'http://collector:4318/v1/traces',
    });
    expect(
      tracingFromEnv(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/otlp/traces',
          OTEL_SERVICE_NAME: 'users-eu',
        },
        'portico-users',
      ),
    ).toEqual({ serviceName: 'users-eu', otlpEndpoint: 'https://collector/otlp/traces' });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'x')).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL.*"collector:4318"/,
    );
    expect(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://c' }, 'x')).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
  });
});
