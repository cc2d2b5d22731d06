import { ErrorCode } from '../errorCodes.js';
import { HttpError } from './HttpError.js';

/**
 * A request's target (`req.url`) as a URL. Node accepts targets the URL parser does not (an
 * absolute form such as `http://[/`): those are the client's mistake, a 400, never a 500.
 */
export function parseRequestTarget(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://server.invalid');
  } catch {
    throw new HttpError(ErrorCode.BAD_REQUEST, 'The request target is not a valid URL; send a path such as /graphql');
  }
}
