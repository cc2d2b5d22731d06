import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { DemandControlConfig } from '../config/TrafficConfig.js';
import { coercedVariablesOf } from '../execution/coercedVariablesOf.js';
import type { GatewayContext } from '../GatewayContext.js';
import { createCostEstimator } from './createCostEstimator.js';
import type { CostDirectives } from './readCostDirectives.js';

export type ResolvedRequest = GraphQLRequestContextDidResolveOperation<GatewayContext>;

export interface OperationCost {
  /** The estimated cost of a resolved operation, computed once per request: demand control refuses on it, rate limiting charges it. */
  costOf(request: ResolvedRequest): number;
}

/**
 * The static cost estimate of each operation (see `createCostEstimator`), over the cost
 * directives of the supergraph the request was validated against, with the variables as execution will read them.
 */
export function createOperationCost(
  config: Pick<DemandControlConfig, 'defaultListSize'>,
  directives: (schema: GraphQLSchema) => CostDirectives,
): OperationCost {
  // One estimator per supergraph (per set of directives), built at its first request.
  const estimators = new WeakMap<CostDirectives, ReturnType<typeof createCostEstimator>>();
  const estimate: ReturnType<typeof createCostEstimator> = (input) => {
    const current = directives(input.schema);
    let estimator = estimators.get(current);
    if (!estimator) estimators.set(current, (estimator = createCostEstimator({ directives: current, defaultListSize: config.defaultListSize })));
    return estimator(input);
  };
  const costs = new WeakMap<object, number>();
  return {
    costOf(request) {
      let cost = costs.get(request.request);
      if (cost === undefined && request.operation === undefined) return 0;
      if (cost === undefined && request.operation) {
        const { schema, document, operation } = request;
        const variables = coercedVariablesOf({ context: request.contextValue, schema, document, operation, variables: request.request.variables });
        // Variables that do not coerce: execution refuses the operation (BAD_USER_INPUT) before any work.
        cost = variables.errors ? 0 : estimate({ schema, document, operation, variables: variables.values });
        costs.set(request.request, cost);
      }
      return cost ?? 0;
    },
  };
}
