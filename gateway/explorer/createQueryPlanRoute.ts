import type { IncomingMessage, ServerResponse } from 'node:http';
import { operationFromDocument } from '@apollo/federation-internals';
import { prettyFormatQueryPlan } from '@apollo/query-planner';
import { Kind, parse, specifiedRules, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { parseJsonBody } from '../../common/http/parseJsonBody.js';
import { readBody } from '../../common/http/readBody.js';
import { writeJson } from '../../common/http/writeJson.js';
import type { GatewayMode } from '../config/GatewayConfig.js';
import type { DemandControlConfig, LimitsConfig } from '../config/TrafficConfig.js';
import { typenameAliasRule } from '../operation/typenameAliasRule.js';
import { plannerNameCollision } from '../execution/plannerNameCollision.js';
import { fragmentsOf } from '../operation/fragmentsOf.js';
import type { SupergraphSnapshot } from '../supergraph/SupergraphSnapshot.js';
import { checkDocument } from '../traffic/checkDocument.js';
import { createCostEstimator } from '../traffic/createCostEstimator.js';
import { documentRefusalError } from '../traffic/documentRefusalError.js';
import { describeQueryPlan } from './describeQueryPlan.js';

/** Where the explorer asks for the plan of its current operation. */
export const queryPlanPath = '/graphiql/plan';

// A plan request carries a document and an operation name, nothing like a GraphQL body's variables.
const PLAN_BODY_BYTES = 64 * 1024;

export interface QueryPlanRouteOptions {
  mode: GatewayMode;
  /** `limits`: a document is checked against them before it is parsed, as on the GraphQL path. */
  limits: LimitsConfig;
  /** `demandControl`: a document costlier than `maxCost` (estimated without variables) is not planned, as on the GraphQL path. */
  demandControl: Pick<DemandControlConfig, 'maxCost' | 'defaultListSize'>;
  /** `introspection`: when off, validation errors suggest no field names, as on the GraphQL path. */
  introspection: boolean;
  bodyTimeoutMs: number;
  /** The GraphQL path's `arrive` hooks (the per-address rate limit): a plan request counts as a request of its address. */
  arrive: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The supergraph being served: its API schema validates, its planner plans. */
  current: () => SupergraphSnapshot;
}

/** Answers `POST /graphiql/plan`; resolves with the HTTP status it sent. */
export type QueryPlanRoute = (req: IncomingMessage, res: ServerResponse) => Promise<number>;

/**
 * The query plan of a document (`{ query, operationName? }`), for the explorer's plan view:
 * which subgraphs, which fetches, in which order, as Apollo's planner builds it for this
 * supergraph (the same planner `/graphql` uses). Development only: in production it is refused
 * with 403 `DEVELOPMENT_ONLY` before the body is read, and nothing is planned. A request counts
 * against its address's rate limit as a GraphQL request does; its document goes through `limits`
 * before it is parsed, must pass the GraphQL path's validation, and must be within
 * `demandControl.maxCost` before it is planned, so a document the GraphQL path would refuse is
 * not planned here either.
 */
export function createQueryPlanRoute(options: QueryPlanRouteOptions): QueryPlanRoute {
  const { limits, demandControl } = options;
  const rules = [...specifiedRules, typenameAliasRule];
  const estimators = new WeakMap<SupergraphSnapshot, ReturnType<typeof createCostEstimator>>();
  const costOf = (snapshot: SupergraphSnapshot, schema: GraphQLSchema, document: ReturnType<typeof parse>, operation: OperationDefinitionNode) => {
    let estimate = estimators.get(snapshot);
    if (!estimate)
      estimators.set(snapshot, (estimate = createCostEstimator({ directives: snapshot.costDirectives, defaultListSize: demandControl.defaultListSize })));
    return estimate({ schema, document, operation, variables: new Map() });
  };
  return async (req, res) => {
    if (options.mode !== 'development') {
      throw new HttpError(ErrorCode.DEVELOPMENT_ONLY, `${queryPlanPath} is served in development only (mode: development); this gateway runs in production`);
    }
    await options.arrive(req, res);
    if (req.method !== 'POST') throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, `${queryPlanPath} answers POST only`, { allow: 'POST' });
    const body = parseJsonBody(
      req.headers,
      await readBody(req, Math.min(PLAN_BODY_BYTES, limits.maxDocumentBytes * 2), { timeoutMs: options.bodyTimeoutMs }),
      limits,
    );
    const { query, operationName } = (typeof body === 'object' && body !== null ? body : {}) as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string') throw new HttpError(ErrorCode.BAD_REQUEST, 'Send {"query": "<document>", "operationName": "<optional>"}');
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
      throw new HttpError(ErrorCode.BAD_REQUEST, '"operationName" must be a string or null');
    }
    const refused = checkDocument(query, limits);
    if (refused) throw documentRefusalError(refused);
    const snapshot = options.current();
    let document: ReturnType<typeof parse>;
    try {
      document = parse(query);
    } catch (error) {
      throw new HttpError(ErrorCode.GRAPHQL_PARSE_FAILED, (error as Error).message);
    }
    const invalid = validate(snapshot.apiSchema, document, rules);
    if (invalid.length > 0) {
      const messages = invalid.map((error) => (options.introspection ? error.message : withoutSuggestions(error.message)));
      throw new HttpError(ErrorCode.GRAPHQL_VALIDATION_FAILED, messages.join('\n'));
    }
    let operation: ReturnType<typeof operationFromDocument>;
    try {
      operation = operationFromDocument(snapshot.supergraph.apiSchema(), document, { operationName: operationName ?? undefined });
    } catch (error) {
      throw new HttpError(ErrorCode.OPERATION_RESOLUTION_FAILURE, (error as Error).message);
    }
    const definition = document.definitions.find(
      (candidate): candidate is OperationDefinitionNode =>
        candidate.kind === Kind.OPERATION_DEFINITION && (operationName == null || candidate.name?.value === operationName),
    );
    const cost = definition ? costOf(snapshot, snapshot.apiSchema, document, definition) : 0;
    if (cost > demandControl.maxCost) {
      throw new HttpError(
        ErrorCode.COST_LIMIT_EXCEEDED,
        `The operation's estimated cost is ${cost} without variables; the gateway allows at most ${demandControl.maxCost} (demandControl.maxCost) and plans nothing costlier. Ask for smaller lists (first: N) or fewer nested lists.`,
        {},
        { limit: 'demandControl.maxCost', measured: cost, allowed: demandControl.maxCost },
      );
    }
    // A valid operation the planner fails on is the gateway's bug: a 500, as on the GraphQL path.
    const plan = snapshot.planner.buildQueryPlan(operation);
    const collision = definition && plannerNameCollision(plan, definition, fragmentsOf(document), snapshot.matches);
    if (collision) throw new HttpError(ErrorCode.GRAPHQL_VALIDATION_FAILED, collision.message);
    writeJson(res, 200, { ...describeQueryPlan(plan), text: prettyFormatQueryPlan(plan) });
    return 200;
  };
}

// As Apollo Server's `hideSchemaDetailsFromClientErrors` does: a suggestion names schema fields.
function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean(.+?)\?$/, '');
}
