import { ErrorCode } from '../../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../../common/headers.js';
import type { DemandControlConfig } from '../../config/TrafficConfig.js';
import { createLimitError } from '../../traffic/createLimitError.js';
import type { OperationCost } from '../../traffic/createOperationCost.js';
import type { Feature } from '../Feature.js';

/**
 * Cost-based demand control: an operation whose estimated cost (see `createOperationCost`) is
 * over `maxCost` is refused with 400 `COST_LIMIT_EXCEEDED` before the gateway plans it. A
 * client sees the estimate in `extensions.cost` when it sends `x-portico-cost: true` and
 * `exposeCost` is on.
 */
export function createDemandControl(config: DemandControlConfig, cost: OperationCost): Feature {
  return {
    name: 'demandControl',
    plugin: {
      async requestDidStart({ request }) {
        const wantsCost = config.exposeCost && request.http?.headers.get(HeaderNames.cost)?.toLowerCase() === 'true';
        let estimated: number | undefined;
        return {
          async didResolveOperation(requestContext) {
            estimated = cost.costOf(requestContext);
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
    },
  };
}
