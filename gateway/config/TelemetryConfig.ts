/** The telemetry part of `GatewayConfig`. Metrics have their own `metrics` section. */
export interface TelemetryConfig {
  telemetry: {
    tracing: TracingConfig;
  };
}

/**
 * OpenTelemetry traces. The W3C `traceparent` is passed on to subgraphs (and logged as
 * `traceId`) whether or not this is on; on, the gateway also records spans and exports them.
 */
export interface TracingConfig {
  /**
   * Record spans and export them by OTLP/HTTP; off, no OpenTelemetry SDK is started.
   * @default false
   */
  enabled: boolean;
  /**
   * Where spans are sent, e.g. `http://collector:4318/v1/traces`; required when `enabled`.
   * @default null
   */
  otlpEndpoint: string | null;
  /**
   * `service.name` of the gateway's spans.
   * @default 'portico-gateway'
   */
  serviceName: string;
  /**
   * Share of the traces the gateway starts that are recorded, from 0 to 1. A client's
   * `traceparent` decides for the traces it starts.
   * @default 1
   */
  sampleRatio: number;
}
