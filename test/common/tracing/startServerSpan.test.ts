import { describe, expect, it } from 'vitest';
import { startServerSpan } from '../../../common/tracing/startServerSpan.js';

// Without the SDK (tracing off), a hop must still continue its caller's trace and pass on a
// traceparent of its own; these run with no tracer provider registered.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

const start = (traceparent: unknown) => startServerSpan({ tracer: 'test', name: 'test', traceparent });

describe('startServerSpan without the SDK', () => {
  it("continues a valid traceparent: same trace id and sampled flag, this hop's own span id", () => {
    const hop = start(`00-${TRACE_ID}-${PARENT_ID}-01`);
    expect(hop.traceId).toBe(TRACE_ID);
    const [, traceId, spanId] = TRACEPARENT.exec(hop.traceparent) ?? [];
    expect(traceId).toBe(TRACE_ID);
    expect(spanId).not.toBe(PARENT_ID);
    expect(hop.traceparent.endsWith('-01')).toBe(true);
    expect(hop.span.isRecording()).toBe(false);
  });

  it.each([
    ['no header', undefined],
    ['garbage', 'not a traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['a repeated header', [`00-${TRACE_ID}-${PARENT_ID}-01`, `00-${TRACE_ID}-${PARENT_ID}-01`]],
  ])('starts a new, unsampled trace for %s', (_case, header) => {
    const hop = start(header);
    expect(hop.traceparent).toMatch(TRACEPARENT);
    expect(hop.traceId).not.toBe(TRACE_ID);
    expect(hop.traceId).not.toMatch(/^0+$/);
    expect(hop.traceparent.endsWith('-00')).toBe(true);
  });

  it('gives every request its own trace and every hop its own span id', () => {
    const first = start(undefined);
    const second = start(undefined);
    expect(first.traceId).not.toBe(second.traceId);
    const child = start(first.traceparent);
    expect(child.traceId).toBe(first.traceId);
    expect(child.traceparent).not.toBe(first.traceparent);
  });
});
