import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ApolloServerErrorCode, ApolloServerValidationErrorCode } from '@apollo/server/errors';
import { ErrorCode } from '../../common/errorCodes.js';
import type { GatewayMode } from '../config/GatewayConfig.js';

// Codes someone chose to send: ours, Apollo Server's, and the validation codes Apollo adds.
// INTERNAL_SERVER_ERROR is what Apollo gives an error nobody coded, so it is not deliberate.
const deliberateCodes = new Set<string>(
  [...Object.values(ErrorCode), ...Object.values(ApolloServerErrorCode), ...Object.values(ApolloServerValidationErrorCode)].filter(
    (code) => code !== ErrorCode.INTERNAL_SERVER_ERROR,
  ),
);

// Extensions that describe the gateway's or a subgraph's internals.
const internalExtensions = ['stacktrace', 'exception', 'response'];

export interface FormatErrorOptions {
  /** In development errors go out as they are; in production unexpected ones are masked. */
  mode: GatewayMode;
}

/**
 * Apollo Server's `formatError`. In production an error without a deliberate code (a bug, a
 * subgraph's uncoded failure) goes out as `Internal server error` / `INTERNAL_SERVER_ERROR`,
 * keeping only its `path` and `serviceName`, and no error carries stack traces or subgraph
 * response details. The original is still logged by the failed-request log.
 */
export function createFormatError(options: FormatErrorOptions) {
  return (original: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    const formatted = codeGetMutation(explainIntrospectionRefusal(codeClientRefusal(original, error)));
    if (options.mode === 'development') return formatted;
    const code = formatted.extensions?.code;
    const serviceName = formatted.extensions?.serviceName;
    if (typeof code !== 'string' || !deliberateCodes.has(code)) {
      return {
        message: 'Internal server error',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code: ErrorCode.INTERNAL_SERVER_ERROR,
          ...(typeof serviceName === 'string' ? { serviceName } : {}),
        },
      };
    }
    const extensions = { ...formatted.extensions };
    for (const key of internalExtensions) delete extensions[key];
    return { ...formatted, extensions };
  };
}

// Apollo Server refuses some requests with a 4xx status and no code (an unsupported persisted
// query version, a `sha256Hash` that is not the query's): it codes them INTERNAL_SERVER_ERROR,
// which production would then mask. The status says whose mistake it is: BAD_REQUEST.
function codeClientRefusal(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR || !(error instanceof GraphQLError) || error.extensions.code !== undefined)
    return formatted;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_REQUEST } };
}

// Apollo's text tells a developer to change their ApolloServer constructor; a Portico operator
// changes the gateway config instead.
function explainIntrospectionRefusal(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.validationErrorCode !== ApolloServerValidationErrorCode.INTROSPECTION_DISABLED) return formatted;
  return { ...formatted, message: 'Introspection is off on this gateway. Set `introspection: true` in the gateway config to allow it.' };
}

// Apollo answers a mutation sent with GET with 405 but the code BAD_REQUEST; the code should
// say the same as the status.
function codeGetMutation(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.message.startsWith('GET requests only support query operations')) return formatted;
  return { ...formatted, message: 'A mutation must be sent with POST, not GET.', extensions: { ...formatted.extensions, code: ErrorCode.METHOD_NOT_ALLOWED } };
}
