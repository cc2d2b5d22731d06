import { takeRandomBytes } from '../takeRandomBytes.js';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Attributes, type Context, type Span, type SpanContext } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';

/** The header (and gRPC metadata key) that carries the W3C trace context between hops. */
export const TRACEPARENT = 'traceparent';

/** One hop's part of a trace: the span for the request it serves, and how to pass it on. */
export interface ServerSpan {
  span: Span;
  /** The context to run the request in, so that spans made while serving it are its children. */
  context: Context;
  /** The trace's id, for log lines. */
  traceId: string;
  /** `traceparent` for the calls this hop makes: this span is their parent. */
  traceparent: string;
}

export interface ServerSpanOptions {
  /** The instrumentation's name (`portico-gateway`, `portico-subgraph`, …). */
  tracer: string;
  /** The span's name, e.g. `POST /graphql`. */
  name: string;
  /** The caller's `traceparent`, as a header or metadata value; anything invalid is ignored. */
  traceparent: unknown;
  attributes?: Attributes;
}

/**
 * Starts the span for one incoming request, continuing the caller's trace when it sent a valid
 * `traceparent` and starting one otherwise. With the SDK started the span is recorded and
 * exported; without it, no span is recorded, but the hop still gets its own span id under the
 * same trace id, so `traceparent` flows and logs can be joined by trace id all the same.
 */
export function startServerSpan(options: ServerSpanOptions): ServerSpan {
  const parent = typeof options.traceparent === 'string' ? parseTraceParent(options.traceparent.trim()) : null;
  const parentContext = parent ? trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true }) : ROOT_CONTEXT;
  let span = trace.getTracer(options.tracer).startSpan(options.name, { kind: SpanKind.SERVER, attributes: options.attributes }, parentContext);
  // The no-op tracer (no SDK) hands back the parent's ids, or invalid ones: mint this hop's own.
  const made = span.spanContext();
  if (!trace.isSpanContextValid(made) || made.spanId === parent?.spanId) {
    span = trace.wrapSpanContext({
      traceId: parent?.traceId ?? randomHex(16),
      spanId: randomHex(8),
      // Nothing is recorded here: keep the caller's decision, and claim none of our own.
      traceFlags: parent?.traceFlags ?? TraceFlags.NONE,
    });
  }
  const spanContext = span.spanContext();
  return { span, context: trace.setSpan(parentContext, span), traceId: spanContext.traceId, traceparent: formatTraceparent(spanContext) };
}

/** The W3C `traceparent` value (version 00) that names `spanContext` as the parent. */
export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

// Never all zeros, which W3C reserves as invalid: 8 or 16 random bytes make that practically
// impossible, and a retry costs nothing.
function randomHex(bytes: number): string {
  for (;;) {
    const hex = takeRandomBytes(bytes).toString('hex');
    if (!/^0+$/.test(hex)) return hex;
  }
}
