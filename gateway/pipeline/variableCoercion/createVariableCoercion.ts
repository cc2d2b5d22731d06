import { coercedVariablesOf } from '../../execution/coercedVariablesOf.js';
import { operationResolutionError } from '../../execution/operationResolutionError.js';
import type { Feature } from '../Feature.js';

/**
 * The first operation-layer step: once Apollo Server has picked the operation, an operation
 * name that picks none is refused (400 `OPERATION_RESOLUTION_FAILURE`), and the variables are
 * coerced, once, for every later stage (`coercedVariablesOf`): rate limits and demand control
 * estimate with them, authorization and the executor run with them. Coercion errors are
 * answered by execution, all of them, as graphql-js answers them.
 */
export function createVariableCoercion(): Feature {
  return {
    name: 'variableCoercion',
    plugin: {
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, document, request, schema, contextValue }) {
            if (!operation) throw operationResolutionError(document, request.operationName);
            coercedVariablesOf({ context: contextValue, schema, document, operation, variables: request.variables });
          },
        };
      },
    },
  };
}
