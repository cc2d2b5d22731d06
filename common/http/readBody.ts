import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../errorCodes.js';
import type { ByteAccount } from './createByteBudget.js';
import { HttpError } from './HttpError.js';

export interface ReadBodyOptions {
  /** Refuse with 408 `BODY_TIMEOUT` a body that has not wholly arrived this long after the read began. */
  timeoutMs?: number;
  /**
   * The client's account of the bytes shared by every body being held: each chunk is taken from
   * it as it arrives. One that does not fit (the client's share, or the whole) is refused with
   * 503 `OVERLOADED`. On success the caller owns the body's bytes
   * and gives them back when done with it; on failure they are given back here.
   */
  budget?: ByteAccount;
}

/**
 * Reads a request body of at most `limitBytes`. A bigger one (by its Content-Length, or once
 * that many bytes have arrived) is refused with 413 `PAYLOAD_TOO_LARGE` without buffering the
 * rest; what still arrives is discarded until the connection closes (the refusal carries
 * `connection: close`). With `timeoutMs`, a body that has not wholly arrived by then is refused
 * with 408 `BODY_TIMEOUT` (and `connection: close`): a client sending a byte now and then holds
 * nothing but its own connection, and not for long.
 */
export function readBody(req: IncomingMessage, limitBytes: number, { timeoutMs, budget }: ReadBodyOptions = {}): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than the limit of ${limitBytes} bytes`, {
      connection: 'close',
    });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  // A request destroyed before the read (its client gone) emits nothing more: refuse it now.
  if (req.destroyed) return Promise.reject(closedEarly());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let taken = 0;
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error) {
        budget?.give(taken);
        // Discard the rest (if it comes): the refusal closes the connection once it is written.
        req.resume();
        reject(error);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) return finish(tooLarge());
      if (budget) {
        if (!budget.take(chunk.length)) return finish(overloaded());
        taken += chunk.length;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) => finish(error);
    // Without an 'end' first, the client went away mid-body ('error' does not always come).
    const onClose = () => finish(closedEarly());
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              finish(
                new HttpError(ErrorCode.BODY_TIMEOUT, `The request body did not arrive within ${timeoutMs} ms (server.bodyTimeoutMs)`, {
                  connection: 'close',
                }),
              ),
            timeoutMs,
          );
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}

function overloaded(): HttpError {
  return new HttpError(
    ErrorCode.OVERLOADED,
    'The gateway holds as many request bodies as it allows, from this client or in all (server.maxBodyBytesInFlight); retry shortly',
    { 'retry-after': '1', connection: 'close' },
  );
}

function closedEarly(): HttpError {
  return new HttpError(ErrorCode.BAD_REQUEST, 'The connection closed before the whole request body arrived');
}
