import type { GatewayMetrics } from '../../metrics/createGatewayMetrics.js';
import { deprecatedFieldsOf } from '../../metrics/deprecatedFieldsOf.js';
import { rejectionReasonOf } from '../../metrics/rejectionReasonOf.js';
import { codeOf } from '../codeOf.js';
import type { Feature } from '../Feature.js';

export interface RequestMetricsOptions {
  /** Undefined with `metrics.enabled: false`: nothing is counted. */
  metrics: GatewayMetrics | undefined;
  /** The header naming the client (`metrics.clientNameHeader`). */
  clientNameHeader: string;
  /** The header giving its version (`metrics.clientVersionHeader`). */
  clientVersionHeader: string;
}

// Client-chosen label values: the metrics bound them (the metrics.maxLabelValues most used, the rest `other`).
const label = (value: string | undefined | null): string => value ?? '';

/**
 * Request metrics. In the operation layer, every GraphQL request counted by operation name,
 * type, outcome and client (`apollographql-client-name` / `-version` by default), timed, and the
 * `@deprecated` fields each client still selects counted. Once a request is answered, its
 * refusals counted (`portico_rejections_total`): the one place they are, from the errors the
 * gateway produced for it, each distinct code once (a batch of ten refused operations is one
 * request), whichever layer refused it.
 */
export function createRequestMetrics(options: RequestMetricsOptions): Feature {
  const { metrics } = options;
  if (!metrics) return { name: 'requestMetrics' };
  const plugin: Feature['plugin'] = {
    async requestDidStart({ request }) {
      const startedAt = performance.now();
      const client = {
        client_name: label(request.http?.headers.get(options.clientNameHeader)),
        client_version: label(request.http?.headers.get(options.clientVersionHeader)),
      };
      return {
        async didResolveOperation({ schema, document, operation, operationName, queryHash }) {
          if (!operation) return;
          for (const field of deprecatedFieldsOf(schema, document, operation, `${queryHash}:${operationName ?? ''}`))
            metrics.deprecatedFields.inc({ field, ...client });
        },
        async willSendResponse({ response, operation, operationName, errors }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const status = response.http.status ?? 200;
          const failed = status >= 400 || (body !== undefined && (body.data === undefined || body.data === null) && (errors?.length ?? 0) > 0);
          const outcome = failed ? 'error' : (body?.errors?.length ?? 0) > 0 ? 'partial' : 'success';
          const operationType = operation?.operation ?? 'unknown';
          metrics.requests.inc({ operation_name: label(operationName), operation_type: operationType, outcome, ...client });
          metrics.requestDuration.observe({ operation_type: operationType, outcome }, (performance.now() - startedAt) / 1000);
        },
      };
    },
  };
  return {
    name: 'requestMetrics',
    plugin,
    finish({ status, errors = [] }) {
      // A GraphQL error in a 200 answer (a subgraph's, or a field authorization nulled) is no refusal.
      if (status < 400) return;
      for (const code of new Set(errors.map(codeOf))) {
        const reason = rejectionReasonOf(code);
        if (reason) metrics.rejections.inc({ reason, code: code as string });
      }
    },
  };
}
