import type { ServerResponse } from 'node:http';
import type { Logger } from '../createLogger.js';
import { ErrorCode } from '../errorCodes.js';
import { HttpError } from './HttpError.js';
import { writeJson } from './writeJson.js';

/** Writes a refusal as a server's error body. */
export type ErrorWriter = (res: ServerResponse, refusal: HttpError) => void;

/** The GraphQL-shaped body, `{ errors: [{ message, extensions: { code } }] }`, of the gateway and the subgraphs. */
export const writeGraphQLError: ErrorWriter = (res, refusal) => writeJson(res, refusal.status, refusal.toBody(), refusal.headers);

export interface RespondWithErrorOptions {
  logger: Logger;
  /** @default writeGraphQLError */
  write?: ErrorWriter;
  /** Put on the log lines, such as the request id. */
  context?: Record<string, unknown>;
}

/**
 * The last word on a request whose handler threw: every hand-written server goes through it. An
 * `HttpError` is a refusal, written as it is; anything else is a bug, logged and answered with a
 * bare 500 (its message may hold internals). If the response has already started, or even the
 * refusal cannot be written, the connection goes. Never throws; returns what the client was told.
 */
export function respondWithError(res: ServerResponse, error: unknown, { logger, write = writeGraphQLError, context = {} }: RespondWithErrorOptions): HttpError {
  const known = error instanceof HttpError;
  const refusal = known ? error : new HttpError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  if (!known) logger.error({ ...context, err: error }, 'unexpected error while handling a request');
  try {
    if (res.headersSent) res.destroy();
    else write(res, refusal);
  } catch (writeError) {
    logger.error({ ...context, err: writeError }, 'could not write an error response; closing the connection');
    res.destroy();
  }
  return refusal;
}
