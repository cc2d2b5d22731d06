import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext.js';
import type { GatewayMetrics } from './createGatewayMetrics.js';
import { deprecatedFieldsOf } from './deprecatedFieldsOf.js';

export interface RequestMetricsOptions {
  metrics: GatewayMetrics;
  /** The header naming the client (`metrics.clientNameHeader`). */
  clientNameHeader: string;
  /** The header giving its version (`metrics.clientVersionHeader`). */
  clientVersionHeader: string;
}

// Client-chosen label values: the metrics bound them (the metrics.maxLabelValues most used, the rest `other`).
const label = (value: string | undefined | null): string => value ?? '';

/**
 * An Apollo Server plugin that counts every GraphQL request by operation name, type, outcome and
 * client (`apollographql-client-name` / `-version` by default), times it, and counts the
 * `@deprecated` fields each client still selects.
 */
export function createRequestMetrics(options: RequestMetricsOptions): ApolloServerPlugin<GatewayContext> {
  const { metrics } = options;
  return {
    async requestDidStart({ request }) {
      const startedAt = performance.now();
      const client = {
        client_name: label(request.http?.headers.get(options.clientNameHeader)),
        client_version: label(request.http?.headers.get(options.clientVersionHeader)),
      };
      return {
        async didResolveOperation({ schema, document, queryHash }) {
          for (const field of deprecatedFieldsOf(schema, document, queryHash)) metrics.deprecatedFields.inc({ field, ...client });
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
}
