import { ApolloGateway } from '@apollo/gateway';
import type { Logger } from '../../common/createLogger.js';
import type { PorticoSupergraphManager } from './createSupergraphManager.js';

/**
 * Apollo Gateway, loading through Portico's supergraph manager, without its telemetry.
 *
 * Its constructor starts an OpenTelemetry meter provider that probes the cloud metadata services
 * (AWS, GCP, Azure, Alibaba) and sends usage data to Apollo (usage-reporting.api.apollographql.com)
 * every hour and at stop, unless `APOLLO_TELEMETRY_DISABLED` is set: it has no option for it
 * (@apollo/gateway 2.14, `dist/index.js`, read only there, only in the constructor). A gateway
 * connects to what its config names, nothing else. So the variable is set for the duration of the
 * synchronous constructor only and put back as it was: no other code runs in between, and the
 * process environment is left as it was found (child processes, other libraries).
 * `test/gateway/supergraph/createApolloGateway.test.ts` fails if the constructor stops honouring it.
 */
export function createApolloGateway(manager: PorticoSupergraphManager, logger: Logger): ApolloGateway {
  const before = process.env.APOLLO_TELEMETRY_DISABLED;
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  try {
    // Deferred fragments planned as `Defer` nodes, which Portico's executor runs (see executeDeferred);
    // a plan without @defer is the same either way.
    return new ApolloGateway({ supergraphSdl: manager, logger, queryPlannerConfig: { incrementalDelivery: { enableDefer: true } } });
  } finally {
    if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = before;
  }
}
