import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import type { DemandControlConfig } from '../config/TrafficConfig.js';
import { coercedVariablesOf } from '../execution/coercedVariablesOf.js';
import type { GatewayContext } from '../GatewayContext.js';
import { createCostEstimator } from '../traffic/createCostEstimator.js';
import { createLimitError } from '../traffic/createLimitError.js';
import type { CostDirectives } from '../traffic/readCostDirectives.js';

export type ResolvedRequest = GraphQLRequestContextDidResolveOperation<GatewayContext>;

export interface DemandControl {
  /** Rejects operations whose estimated cost is over `maxCost`, before the gateway plans them. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** The estimated cost of a resolved operation, computed once per request (rate limiting charges it). */
  costOf(request: ResolvedRequest): number;
}

/**
 * Cost-based demand control. The estimate is static (see `createCostEstimator`); a client sees
 * it in `extensions.cost` when it sends `x-portico-cost: true` and `exposeCost` is on.
 */
export function createDemandControl(config: DemandControlConfig, directives: () => CostDirectives): DemandControl {
  // Built at the first request (the supergraph loads after this is made), and again only when
  // the supergraph (and so its directives) changes.
  let estimator: { directives: CostDirectives; estimate: ReturnType<typeof createCostEstimator> } | undefined;
  const estimate: ReturnType<typeof createCostEstimator> = (input) => {
    const current = directives();
    if (current !== estimator?.directives) estimator = { directives: current, estimate: createCostEstimator({ directives: current, defaultListSize: config.defaultListSize }) };
    return estimator.estimate(input);
  };
  const costs = new WeakMap<object, number>();
  const costOf = (request: ResolvedRequest): number => {
    let cost = costs.get(request.request);
    if (cost === undefined && request.operation === undefined) return 0;
    if (cost === undefined && request.operation) {
      const { schema, document, operation } = request;
      const variables = coercedVariablesOf({ context: request.contextValue, schema, operation, variables: request.request.variables });
      // Variables that do not coerce: execution refuses the operation (BAD_USER_INPUT) before any work.
      cost = variables.errors ? 0 : estimate({ schema, document, operation, variables: variables.values });
      costs.set(request.request, cost);
    }
    return cost ?? 0;
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request }) {
      const wantsCost = config.exposeCost && request.http?.headers.get(HeaderNames.cost)?.toLowerCase() === 'true';
      let estimated: number | undefined;
      return {
        async didResolveOperation(requestContext) {
          estimated = costOf(requestContext);
          if (estimated > config.maxCost) {
            throw createLimitError({
              code: ErrorCode.COST_LIMIT_EXCEEDED,
              limit: 'demandControl.maxCost',
              measured: estimated,
              allowed: config.maxCost,
              message: `The operation's estimated cost is ${estimated}; the gateway allows at most ${config.maxCost} (demandControl.maxCost). Ask for smaller lists (first: N) or fewer nested lists.`,
            });
          }
        },
        async willSendResponse({ response }) {
          if (!wantsCost || estimated === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { estimated, max: config.maxCost } };
        },
      };
    },
  };
  return { plugin, costOf };
}
