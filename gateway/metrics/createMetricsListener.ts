import http from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import type { Logger } from '../../common/createLogger.js';
import { HttpError } from '../../common/http/HttpError.js';
import { respondWithError } from '../../common/http/respondWithError.js';
import { writeJson } from '../../common/http/writeJson.js';
import type { OperationStore } from '../pipeline/operationRecording/RecordedOperation.js';
import type { MetricsExposition } from './MetricsExposition.js';

/**
 * The internal metrics listener (`metrics.listener: internal`): `GET /metrics` and nothing else,
 * on a port of its own that the load balancer does not publish, so operation and client names
 * stay off the public port. Not listening yet: the caller binds it to `metrics.port`/`metrics.host`.
 * With `operations` (operation recording on), `GET /operations` too: the operations the gateway
 * has executed, with their clients, as `portico check` and `portico usage` read them.
 */
export function createMetricsListener(exposition: MetricsExposition, logger: Logger, operations: OperationStore | null = null): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = async () => {
      if (path === '/operations' && operations) {
        if (req.method !== 'GET') throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, '/operations answers GET only', { allow: 'GET' });
        writeJson(res, 200, { operations: await operations.list() });
        return;
      }
      if (path !== '/metrics')
        throw new HttpError(ErrorCode.NOT_FOUND, `No route for ${req.method ?? 'GET'} ${path ?? '/'}; this listener serves GET /metrics`);
      if (req.method !== 'GET') throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, '/metrics answers GET only', { allow: 'GET' });
      const text = await exposition.render();
      res.writeHead(200, { 'content-type': exposition.contentType });
      res.end(text);
    };
    answer().catch((error: unknown) => respondWithError(res, error, { logger, context: { listener: 'metrics' } }));
  });
}
