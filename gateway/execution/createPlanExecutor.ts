import { ErrorCode } from '../../common/errorCodes.js';
import { operationFromDocument } from '@apollo/federation-internals';
import type { ApolloGateway } from '@apollo/gateway';
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  execute,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GatewayContext } from '../GatewayContext.js';
import { fragmentsOf } from '../operation/fragmentsOf.js';
import { coercedVariablesOf } from './coercedVariablesOf.js';
import { operationResolutionError } from './operationResolutionError.js';
import type { SubgraphCaller, SubgraphClient } from '../subgraphRequests/createSubgraphClient.js';
import type { SupergraphSnapshot } from '../supergraph/SupergraphSnapshot.js';
import type { SubscriptionStart, Subscriptions } from '../subscriptions/createSubscriptions.js';
import { subscriptionTransportRequired } from '../subscriptions/subscriptionTransportRequired.js';
import type { ResultObject } from './collectEntities.js';
import { deferredShaping } from './deferredShaping.js';
import { executeDeferred, executeMerged } from './executeDeferred.js';
import { executePlan, type PlanRun } from './executePlan.js';
import { plannerNameCollision } from './plannerNameCollision.js';
import { preparePlan, type PreparedPlan } from './preparePlan.js';
import { shapeResponse, type ShapeOptions } from './shapeResponse.js';
import { isGraphQLError } from '../errors/isGraphQLError.js';

type Executor = Awaited<ReturnType<ApolloGateway['load']>>['executor'];
type RequestContext = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

export interface PlanExecutorOptions {
  /** The client for a subgraph of the supergraph being served. */
  clientOf: (subgraph: string) => SubgraphClient | undefined;
  /** With tracing on: a `gateway.fetch` span around each request to a subgraph. */
  tracer?: Tracer;
  /** Runs subscriptions (without it, they are refused). */
  subscriptions?: Subscriptions;
}

export interface PlanExecutor {
  /** Runs an operation against `snapshot` (Apollo Gateway's planner, a plan cache per load), start to end. */
  execute(requestContext: RequestContext, snapshot: SupergraphSnapshot): Promise<ExecutionResult>;
}

/**
 * Executes operations with Apollo's query planner and Portico's own plan runner: plans are
 * cached per operation with what running them needs (schedules, merged fetches, representation
 * builders); fetches run in waves, several entity fetches to one subgraph in one request; the
 * response is shaped as Apollo Gateway shapes it. Variables are coerced first (as Apollo
 * Gateway validates them), and the coerced values decide `Condition` nodes and `@skip`/`@include`
 * in shaping; subgraphs get the variables as sent, as Apollo Gateway sends them. A plan with
 * deferred parts answers with its first payload and sets `context.stream` when the transport can
 * stream (`context.acceptsStream`), else runs every part and answers once, as without `@defer`.
 */
export function createPlanExecutor(options: PlanExecutorOptions): PlanExecutor {
  const around = options.tracer ? tracedAround(options.tracer) : undefined;

  const planFor = (state: SupergraphSnapshot, requestContext: RequestContext): PreparedPlan => {
    const { queryHash, document, request } = requestContext;
    const key = request.operationName ? `${queryHash}:${request.operationName}` : queryHash;
    const cached = state.planCache.get(key);
    if (cached) return cached;
    let operation: ReturnType<typeof operationFromDocument>;
    try {
      operation = operationFromDocument(state.supergraph.apiSchema(), document, { operationName: request.operationName });
    } catch (error) {
      // Reading the document, not planning it: what the planner itself throws is no refusal of the client's.
      throw isGraphQLError(error) ? asDocumentRefusal(error) : error;
    }
    const plan = state.planner.buildQueryPlan(operation);
    const definition = requestContext.operation;
    const refusal = definition ? plannerNameCollision(plan, definition, fragmentsOf(document), state.matches) : undefined;
    const prepared = preparePlan(plan, state.matches, refusal);
    state.planCache.set(key, prepared);
    return prepared;
  };

  return {
    async execute(requestContext, state): Promise<ExecutionResult> {
      const { operation, document, request } = requestContext;
      if (!operation) return { errors: [operationResolutionError(document, request.operationName)] };
      const context = requestContext.context as GatewayContext;
      // Refused before anything is planned: this transport could deliver no event.
      if (operation.operation === 'subscription' && !context.acceptsEvents) return { errors: [subscriptionTransportRequired()] };
      const coerced = coercedVariablesOf({ context, schema: state.apiSchema, document, operation, variables: request.variables });
      if (coerced.errors) return { errors: [...coerced.errors] };
      const provided = request.variables ?? {};
      let plan: PreparedPlan;
      try {
        plan = planFor(state, requestContext);
      } catch (error) {
        if (isGraphQLError(error)) return { errors: [error] };
        throw error;
      }
      if (plan.refusal) return { errors: [plan.refusal] };
      const caller: SubgraphCaller = { context, clientHeaders: request.http?.headers ?? new Map<string, string>() };
      const run: PlanRun = {
        plan,
        variables: provided,
        conditionValues: coerced.values,
        caller,
        clientOf: options.clientOf,
        matches: state.matches,
        ...(around ? { around } : {}),
      };
      const fragments = fragmentsOf(document);
      const rootType = rootTypeOf(state.apiSchema, operation);
      const shaping: ShapeOptions = {
        schema: state.apiSchema,
        selections: operation.selectionSet.selections,
        rootType,
        fragments,
        variables: coerced.values,
        introspect: (field) => introspect(state.apiSchema, field, operation, fragments, provided),
        typeNames: state.typeNames,
        programs: plan.shaping,
      };
      if (plan.subscription && plan.primary) {
        if (!options.subscriptions) throw new Error('Execution of subscriptions not supported by gateway');
        return options.subscriptions.start({
          primary: plan.primary,
          variables: provided,
          caller,
          document,
          operationKey: `${requestContext.queryHash}:${request.operationName ?? ''}`,
          supergraph: state,
          // Each event is the data the plan's `rest` starts from (merged into in place), then shaped
          // as a query's answer; once for every client that would get the same (see createResultGroup).
          runEvent: async (start, upstreamErrors, eventCaller) => {
            const { data, errors } = await executePlan({ ...run, caller: eventCaller, data: start });
            const shaped = shapeResponse(data, shaping);
            return answer(shaped.data, [...upstreamErrors, ...errors], shaped.errors) as Awaited<ReturnType<SubscriptionStart['runEvent']>>;
          },
        });
      }
      const deferring = plan.deferred((name) => coerced.values.get(name) === true).length > 0;
      if (deferring && context.acceptsStream) {
        // The first payload now; the parts through the context, for the transport to write after it.
        const execution = executeDeferred(run, deferredShaping(shaping));
        let first: Awaited<typeof execution.initial>;
        try {
          first = await execution.initial;
        } catch (error) {
          await execution.parts.return?.();
          throw error;
        }
        context.stream = { kind: 'deferred', parts: execution.parts };
        return answer(first.data, first.errors, first.valueCompletion);
      }
      // Without a transport that streams, every part merged into one answer, as if nothing were deferred.
      const { data, errors } = deferring ? await executeMerged(run) : await executePlan(run);
      const shaped = shapeResponse(data, shaping);
      return answer(shaped.data, errors, shaped.errors);
    },
  };
}

// As in Apollo Gateway: shaping errors are news only when fetching went well, and then they go
// in extensions, since clients long relied on not getting them as errors.
function answer(data: ResultObject | null, errors: GraphQLError[], valueCompletion: GraphQLError[]): ExecutionResult {
  if (errors.length === 0 && valueCompletion.length > 0) return { data, extensions: { valueCompletion } };
  return errors.length === 0 ? { data } : { errors, data };
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType {
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) throw new GraphQLError(`The schema has no ${operation.operation} type`);
  return root;
}

/** A `__schema` or `__type` field, answered from the API schema by graphql-js. */
function introspect(
  schema: GraphQLSchema,
  field: FieldNode,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
): unknown {
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as OperationDefinitionNode['operation'],
        variableDefinitions: operation.variableDefinitions ?? [],
        selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
      },
      ...fragments.values(),
    ],
  };
  const result = execute({ schema, document, variableValues: variables }) as { data?: ResultObject | null };
  return result.data?.[field.alias?.value ?? field.name.value] ?? null;
}

/** Wraps each subgraph request in a `gateway.fetch` span, the parent of the subgraph's own. */
function tracedAround(tracer: Tracer) {
  return <T>(subgraph: string, send: () => Promise<T>): Promise<T> =>
    tracer.startActiveSpan('gateway.fetch', { attributes: { 'portico.subgraph': subgraph } }, async (span) => {
      try {
        return await send();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
}

/**
 * Federation's refusal, as it reads the document into an operation, of one that validation let
 * through: its operation rules go further than GraphQL's (`@defer` on a mutation's root fields,
 * say), and say so with the code INVALID_GRAPHQL, which production would mask as an internal
 * error. It is the document's fault: GRAPHQL_VALIDATION_FAILED, answered as validation failures
 * are. (The same code from building the plan is the planner's own failure, and stays masked.)
 */
function asDocumentRefusal(error: GraphQLError): GraphQLError {
  if (error.extensions.code !== 'INVALID_GRAPHQL') return error;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    extensions: { ...error.extensions, code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
  });
}
