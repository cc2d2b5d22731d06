import { ErrorCode } from '../../common/errorCodes.js';

/** The error for a `subscribe` past `server.websocket.maxSubscriptionsPerConnection`. */
export function tooManyOperations(allowed: number) {
  return {
    message: `This connection runs ${allowed} operations already; the gateway allows at most ${allowed} (server.websocket.maxSubscriptionsPerConnection): complete one first, or open another connection`,
    extensions: { code: ErrorCode.RATE_LIMITED, limit: 'server.websocket.maxSubscriptionsPerConnection', allowed },
  };
}
