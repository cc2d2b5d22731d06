import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as the receiver recorded it: ids in hex, as OTLP/JSON carries them. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** The instrumentation that made it: `portico-gateway`, `portico-subgraph`, `apollo/gateway-js`, … */
  scope: string;
  /** The `service.name` of the process that exported it. */
  serviceName: string;
}

export interface OtlpReceiver {
  /** The traces endpoint, e.g. `http://127.0.0.1:41234/v1/traces`. */
  url: string;
  /** Every span received so far. */
  spans: ReceivedSpan[];
  /** How many export requests arrived. */
  exports(): number;
  close(): Promise<void>;
}

interface OtlpJson {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { scope?: { name?: string }; spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string }[] }[];
  }[];
}

/**
 * A stand-in for an OpenTelemetry collector: an OTLP/HTTP receiver on port 0 that keeps the spans
 * POSTed to `/v1/traces` as JSON (the encoding of @opentelemetry/exporter-trace-otlp-http).
 * Anything else is answered 415 and fails the test that caused it.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  let exports = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      exports += 1;
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      const parsed = JSON.parse(body.toString('utf8')) as OtlpJson;
      for (const resourceSpans of parsed.resourceSpans ?? []) {
        const serviceName = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const { scope, spans: scopeSpans } of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans ?? []) {
            const { traceId, spanId, parentSpanId = '', name } = span;
            spans.push({ traceId, spanId, parentSpanId, name, scope: scope?.name ?? '', serviceName });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    exports: () => exports,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
