import { Type, type StaticDecode } from 'typebox';
import { nullable, section } from './configOptions.js';

/**
 * OpenTelemetry traces. The W3C `traceparent` is passed on to subgraphs (and logged as
 * `traceId`) whether or not this is on; on, the gateway also records spans and exports them.
 */
export const tracingConfigSchema = section({
  enabled: Type.Boolean({
    default: false,
    description: 'Record OpenTelemetry spans and export them by OTLP/HTTP (see "Tracing"). Off, no SDK is started; `traceparent` is passed on either way.',
  }),
  otlpEndpoint: nullable(
    Type.String({
      pattern: '^https?://[^\\s]+$',
      accepts: 'an http:// or https:// URL of an OTLP/HTTP traces endpoint, such as http://collector:4318/v1/traces',
      description: 'The OTLP/HTTP traces endpoint, e.g. `http://collector:4318/v1/traces` (or `${env.OTLP_TRACES_URL}`); required when tracing is enabled.',
    }),
  ),
  serviceName: Type.String({ minLength: 1, default: 'portico-gateway', description: "`service.name` of the gateway's spans." }),
  sampleRatio: Type.Number({
    minimum: 0,
    maximum: 1,
    accepts: 'a number from 0 to 1',
    default: 1,
    description: "Share of the traces the gateway starts that are recorded, 0 to 1; a client's sampled flag decides for traces it started.",
  }),
});

/** The telemetry section (metrics have their own), spread into the top level of the gateway config. */
export const telemetryConfigProperties = { telemetry: section({ tracing: tracingConfigSchema }) };

export type TracingConfig = StaticDecode<typeof tracingConfigSchema>;
/** The telemetry part of `GatewayConfig`. */
export type TelemetryConfig = { telemetry: { tracing: TracingConfig } };
