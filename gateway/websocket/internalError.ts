import { ErrorCode } from '../../common/errorCodes.js';

/** The error a client gets when the gateway itself failed (details go to the log, never to the client). */
export function internalError() {
  return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
