import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode } from '../errorCodes.js';
import { HttpError } from './HttpError.js';
import { checkJsonText, type JsonLimits } from './checkJsonText.js';

/**
 * The body of a GraphQL POST: `application/json` in UTF-8 (what Apollo Server accepts), parsed.
 * Another content type is 415 `UNSUPPORTED_MEDIA_TYPE`; a body that is not JSON is 400
 * `BAD_REQUEST`. Both say what to send instead. With `limits`, the raw text is measured first
 * (nesting depth, `variables` size) and refused before `JSON.parse` spends anything on it.
 */
export function parseJsonBody(headers: IncomingHttpHeaders, body: Buffer, limits?: JsonLimits): unknown {
  const contentType = headers['content-type'];
  const [essence = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (essence !== 'application/json') {
    throw new HttpError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      contentType === undefined
        ? 'A GraphQL POST needs the header Content-Type: application/json'
        : `A GraphQL POST must have Content-Type: application/json, not ${JSON.stringify(contentType)}`,
    );
  }
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Unsupported charset ${JSON.stringify(charset)}; send UTF-8 JSON`);
  }
  if (body.length === 0) {
    throw new HttpError(ErrorCode.BAD_REQUEST, 'The request body is empty; send a JSON object such as {"query": "{ __typename }"}');
  }
  if (limits) checkJsonText(body, limits, 'The request body');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new HttpError(ErrorCode.BAD_REQUEST, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}
