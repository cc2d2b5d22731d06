import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';

export interface TracingOptions {
  /** `service.name` on every span this process exports. */
  serviceName: string;
  /** OTLP/HTTP traces endpoint, e.g. `http://collector:4318/v1/traces`. Spans are sent there as JSON. */
  otlpEndpoint: string;
  /**
   * Share of traces started here that are recorded; a caller's sampling decision is followed.
   * @default 1
   */
  sampleRatio?: number;
}

export interface Tracing {
  /** Sends the spans still buffered, then unregisters everything `startTracing` registered. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for this process and registers it globally, which is what makes
 * @apollo/gateway's own spans (plan, fetch, …) appear: it creates them through
 * @opentelemetry/api. Called only when tracing is configured, so that a process with tracing off
 * runs no SDK at all. One per process: the API's globals hold one provider.
 */
export function startTracing(options: TracingOptions): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    // Parent-based, so that a trace the caller records is recorded at every hop.
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpEndpoint }))],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (!trace.setGlobalTracerProvider(provider) || !context.setGlobalContextManager(contextManager)) {
    trace.disable();
    context.disable();
    throw new Error('OpenTelemetry tracing is already started in this process; start it once per process');
  }
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  let stopping: Promise<void> | undefined;
  return {
    shutdown: () => {
      stopping ??= provider.shutdown().finally(() => {
        trace.disable();
        context.disable();
        propagation.disable();
      });
      return stopping;
    },
  };
}
