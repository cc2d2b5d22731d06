import { createHash } from 'node:crypto';
import { print, type OperationDefinitionNode } from 'graphql';
import type { Logger } from '../../../common/createLogger.js';
import { denial, type AuthorizationRules } from '../../authorization/AuthorizationRules.js';
import { filterOperation } from '../../authorization/filterOperation.js';
import type { PolicyDecider } from '../../authorization/loadPolicyModule.js';
import { patchDeferredParts } from '../../authorization/patchDeferredParts.js';
import { errorOf, patchResult } from '../../authorization/patchResult.js';
import type { AuthorizationConfig } from '../../config/SecurityConfig.js';
import { coercedVariablesOf } from '../../execution/coercedVariablesOf.js';
import { operationResolutionError } from '../../execution/operationResolutionError.js';
import type { GatewayContext } from '../../GatewayContext.js';
import type { Feature, OperationExecutor } from '../Feature.js';

export interface AuthorizationOptions {
  unauthorized: AuthorizationConfig['unauthorized'];
  /** The operator's `@policy` decider; without one, no policy holds. */
  decidePolicies: PolicyDecider | null;
  logger: Logger;
}

/**
 * Enforces `@authenticated`, `@requiresScopes` and `@policy` before planning: each operation
 * is planned without what its caller may not see, so no subgraph is ever asked for it, and the
 * response gets nulls and errors in its place (or, with `unauthorized: reject`, only errors).
 * Rules are those of the supergraph snapshot the operation runs against (see
 * `createPipelineGateway`), whatever loads meanwhile.
 */
export function createAuthorization(options: AuthorizationOptions): Feature {
  const satisfiedPolicies = async (rules: AuthorizationRules, context: GatewayContext): Promise<ReadonlySet<string>> => {
    if (rules.policyNames.size === 0 || options.decidePolicies === null) return new Set();
    try {
      return new Set(await options.decidePolicies({ claims: context.viewer?.claims ?? {}, policies: [...rules.policyNames] }));
    } catch (error) {
      // A failing decider grants nothing.
      options.logger.error({ err: error, requestId: context.requestId }, 'the policy module failed; every @policy is refused for this request');
      return new Set();
    }
  };

  const authorize =
    (execute: OperationExecutor): OperationExecutor =>
    async (requestContext, snapshot) => {
      const { authorizationRules: rules, apiSchema } = snapshot;
      if (rules.types.size === 0 && rules.fields.size === 0) return execute(requestContext, snapshot);
      const { operation, document, request } = requestContext;
      if (!operation) return { errors: [operationResolutionError(document, request.operationName)] };
      const context = requestContext.context as GatewayContext;
      // Judged on the values execution will read, never on the variables as sent.
      const variables = coercedVariablesOf({ context, schema: apiSchema, document, operation, variables: request.variables });
      if (variables.errors) return { errors: [...variables.errors] };
      const filter = (policies: ReadonlySet<string>, onPolicy?: () => void) =>
        filterOperation(apiSchema, rules, document, operation, variables.values, (requirement) => {
          if (requirement.policies.length > 0) onPolicy?.();
          return denial(requirement, context.viewer, policies);
        });
      // The operator's policy module is asked only for operations that reach a @policy field.
      let reachesPolicy = false;
      let filtered = filter(new Set(), () => (reachesPolicy = true));
      if (reachesPolicy) filtered = filter(await satisfiedPolicies(rules, context));
      if (filtered === null) return execute(requestContext, snapshot);

      if (options.unauthorized === 'reject') {
        const status = filtered.removals.some((removal) => removal.code === 'UNAUTHENTICATED') ? 401 : 403;
        return { errors: filtered.removals.map((removal) => withStatus(errorOf(removal), status)) };
      }
      // Every event of a subscription is patched as a result is: once per event for all the
      // clients with this outcome (the patch is part of what decides who shares an event).
      if (operation.operation === 'subscription') {
        const { removals, placeholderKey } = filtered;
        context.subscriptionPatch = {
          key: JSON.stringify([placeholderKey, removals]),
          patch: (event) => {
            const patched = patchResult(event.data ?? null, removals, placeholderKey);
            return { ...event, data: patched.data, errors: [...patched.errors, ...(event.errors ?? [])] };
          },
        };
      }
      // A new cache key: the gateway caches plans by query hash, and this is another query.
      const source = print(filtered.document);
      const result = await execute(
        {
          ...requestContext,
          document: filtered.document,
          operation: filtered.document.definitions[0] as OperationDefinitionNode,
          source,
          queryHash: createHash('sha256').update(source).digest('hex'),
        },
        snapshot,
      );
      const stream = context.stream;
      if (stream?.kind === 'subscription') return result;
      // Streamed, a removal inside a deferred fragment is patched into its part, not the first payload.
      const now = stream?.kind === 'deferred' ? filtered.removals.filter((removal) => removal.deferredAt === undefined) : filtered.removals;
      if (stream?.kind === 'deferred') context.stream = { kind: 'deferred', parts: patchDeferredParts(stream.parts, filtered) };
      const patched = patchResult(result.data, now, filtered.placeholderKey);
      const errors = [...patched.errors, ...(result.errors ?? [])];
      return { ...result, data: patched.data, ...(errors.length > 0 ? { errors } : {}) };
    };

  return { name: 'authorization', execute: authorize };
}

// Apollo Server takes the response status from `extensions.http` and removes it from the body.
function withStatus<T extends { extensions: Record<string, unknown> }>(error: T, status: number): T {
  error.extensions.http = { status };
  return error;
}
