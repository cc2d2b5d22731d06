import { STATUS_CODES, maxHeaderSize, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode, httpStatusOf } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';

// The HTTP parser's refusals (llhttp's codes), in words a client can act on: never the bytes it sent.
const malformed: Readonly<Record<string, string>> = {
  HPE_INVALID_HEADER_TOKEN: 'a header has a character HTTP does not allow in its name or value',
  HPE_UNEXPECTED_CONTENT_LENGTH: "it gives its body's length twice, or both as Content-Length and as a chunked Transfer-Encoding",
  HPE_INVALID_CONTENT_LENGTH: 'its Content-Length is not a single number',
  HPE_INVALID_TRANSFER_ENCODING: 'its Transfer-Encoding is not one the gateway reads (chunked, last)',
  HPE_INVALID_CHUNK_SIZE: 'a chunk of its body has a size that is not valid',
  HPE_INVALID_METHOD: 'its method is not an HTTP method',
  HPE_INVALID_URL: 'its request target is not a valid path',
  HPE_INVALID_VERSION: 'its HTTP version is not 1.0 or 1.1',
  HPE_LF_EXPECTED: 'a line does not end with CRLF',
  HPE_CR_EXPECTED: 'a line does not end with CRLF',
};

/**
 * Answers what Node's HTTP parser refuses before the gateway sees a request (headers over Node's
 * size limit, malformed HTTP, a request that did not arrive within the server's timeouts) as every
 * other refusal is answered: the status, and a JSON body with a GraphQL error and its
 * `extensions.code`, instead of Node's bare status line. As Node does, only where no answer has
 * begun on the connection (one must not land inside another), and the connection is closed after
 * it; a reset or an error of the socket itself just closes it.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    try {
      const refusal = refusalOf(error.code);
      if (refusal && socket.writable && !answerInProgress(socket)) socket.write(rawAnswer(refusal));
    } catch {
      // Nothing more to tell this client: the connection is closed below.
    }
    socket.destroy();
  });
}

/**
 * Whether an answer on `socket` has begun (its head written): Node's own test before it answers
 * a client error (`socketOnError` in lib/_http_server.js), on the response it keeps on the socket.
 * A connection that has carried answers before (keep-alive, a load balancer's) gets one too.
 */
function answerInProgress(socket: Socket): boolean {
  const response = (socket as Socket & { _httpMessage?: { _headerSent?: boolean } | null })._httpMessage;
  return response?._headerSent === true;
}

function refusalOf(code: string | undefined): HttpError | undefined {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new HttpError(
      ErrorCode.REQUEST_HEADERS_TOO_LARGE,
      `The request's headers are over the ${maxHeaderSize} bytes (all of them together) this gateway reads: send fewer or smaller ones (a shorter token, fewer cookies)`,
    );
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new HttpError(ErrorCode.REQUEST_TIMEOUT, 'The request did not arrive in time (its headers within server.headersTimeoutMs); send it again');
  }
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return new HttpError(ErrorCode.PAYLOAD_TOO_LARGE, "A chunk extension of the request's body is too large");
  if (code === undefined || !code.startsWith('HPE_')) return undefined;
  const reason = Object.hasOwn(malformed, code) ? malformed[code] : 'it could not be parsed';
  return new HttpError(ErrorCode.BAD_REQUEST, `The request is not valid HTTP/1.1: ${reason}. Nothing was run; the connection is closed`);
}

function rawAnswer(refusal: HttpError): string {
  const status = httpStatusOf[refusal.code];
  const body = JSON.stringify(refusal.toBody());
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}
