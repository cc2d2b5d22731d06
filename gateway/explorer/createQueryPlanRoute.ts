import type { IncomingMessage, ServerResponse } from 'node:http';
import { operationFromDocument } from '@apollo/federation-internals';
import { prettyFormatQueryPlan } from '@apollo/query-planner';
import { parse, validate } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { parseJsonBody } from '../../common/http/parseJsonBody.js';
import { readBody } from '../../common/http/readBody.js';
import { writeJson } from '../../common/http/writeJson.js';
import type { GatewayMode } from '../config/GatewayConfig.js';
import type { LimitsConfig } from '../config/TrafficConfig.js';
import type { SupergraphSnapshot } from '../supergraph/SupergraphSnapshot.js';
import { checkDocument } from '../traffic/checkDocument.js';
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
  bodyTimeoutMs: number;
  /** The supergraph being served: its API schema validates, its planner plans. */
  current: () => SupergraphSnapshot;
}

/** Answers `POST /graphiql/plan`; resolves with the HTTP status it sent. */
export type QueryPlanRoute = (req: IncomingMessage, res: ServerResponse) => Promise<number>;

/**
 * The query plan of a document (`{ query, operationName? }`), for the explorer's plan view:
 * which subgraphs, which fetches, in which order, as Apollo's planner builds it for this
 * supergraph (the same planner `/graphql` uses). Development only: in production it is refused
 * with 403 `DEVELOPMENT_ONLY` before the body is read, and nothing is planned. A document goes
 * through `limits` before it is parsed, and must validate before it is planned, so it costs no
 * more planning than running it would.
 */
export function createQueryPlanRoute(options: QueryPlanRouteOptions): QueryPlanRoute {
  const { limits } = options;
  return async (req, res) => {
    if (options.mode !== 'development') {
      throw new HttpError(ErrorCode.DEVELOPMENT_ONLY, `${queryPlanPath} is served in development only (mode: development); this gateway runs in production`);
    }
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
    const invalid = validate(snapshot.apiSchema, document);
    if (invalid.length > 0) throw new HttpError(ErrorCode.GRAPHQL_VALIDATION_FAILED, invalid.map((error) => error.message).join('\n'));
    let operation: ReturnType<typeof operationFromDocument>;
    try {
      operation = operationFromDocument(snapshot.supergraph.apiSchema(), document, { operationName: operationName ?? undefined });
    } catch (error) {
      throw new HttpError(ErrorCode.OPERATION_RESOLUTION_FAILURE, (error as Error).message);
    }
    // A valid operation the planner fails on is the gateway's bug: a 500, as on the GraphQL path.
    const plan = snapshot.planner.buildQueryPlan(operation);
    writeJson(res, 200, { ...describeQueryPlan(plan), text: prettyFormatQueryPlan(plan) });
    return 200;
  };
}
