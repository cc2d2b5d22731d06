import type { TracingOptions } from './startTracing.js';

/**
 * Tracing settings of a subgraph or backend, from the standard OpenTelemetry variables:
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the full URL), or else `OTEL_EXPORTER_OTLP_ENDPOINT`
 * with `/v1/traces` appended, as the OTLP specification says; `OTEL_SERVICE_NAME` names the
 * service. Undefined when neither endpoint is set: tracing stays off. A URL that is not http(s)
 * is refused at start with the variable's name.
 */
export function tracingFromEnv(env: NodeJS.ProcessEnv, defaultServiceName: string): TracingOptions | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const [name, endpoint] = traces
    ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', traces]
    : base
      ? ['OTEL_EXPORTER_OTLP_ENDPOINT', `${base.replace(/\/+$/, '')}/v1/traces`]
      : [undefined, undefined];
  if (name === undefined || endpoint === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`${name} must be an http(s) URL such as http://collector:4318${traces ? '/v1/traces' : ''} (got "${traces ?? base}").`);
  }
  return { serviceName: env.OTEL_SERVICE_NAME || defaultServiceName, otlpEndpoint: endpoint };
}
