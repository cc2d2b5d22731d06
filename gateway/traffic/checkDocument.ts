import { buildSchema, GraphQLError, MaxIntrospectionDepthRule, parse, validate, type DocumentNode } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { LimitsConfig } from '../config/TrafficConfig.js';
import { unsupportedInSubscription } from '../operation/unsupportedInSubscription.js';
import type { LimitBreach } from './createLimitError.js';
import { measureDocument, type DocumentMeasures } from './measureDocument.js';

// graphql-js's introspection rule reads only the document; validate() still wants a schema.
const anySchema = buildSchema('type Query { _: Boolean }');

/** Why checkDocument refuses a document: a limit it breaks, or a subscription the gateway cannot run. */
export type DocumentRefusal = LimitBreach | { code: typeof ErrorCode.GRAPHQL_VALIDATION_FAILED; message: string };

/**
 * Demand control on the document's shape: the first limit `source` breaks, or null. It runs
 * before Apollo Server parses and validates, because validation grows with the document (10,000
 * aliases make field merging quadratic) and Apollo offers no earlier hook that may refuse a
 * request; its parse is cut off at `maxTokens`. A syntax error is left to Apollo Server, which
 * reports it with its location. Last, a subscription the gateway cannot run is refused here
 * (unsupportedInSubscription), since one of the two makes graphql-js's validation throw.
 */
export function checkDocument(source: string, limits: LimitsConfig): DocumentRefusal | null {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxDocumentBytes) {
    return breach(ErrorCode.MAX_DOCUMENT_BYTES_EXCEEDED, 'maxDocumentBytes', bytes, limits.maxDocumentBytes, 'The operation is');
  }
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (error) {
    // Other syntax errors are Apollo Server's to report, with their location.
    if (!(error instanceof GraphQLError) || !/tokens/i.test(error.message)) return null;
    // Parsing stopped at the limit: the document has at least one token more (a number, as every
    // other limit's `measured` is; the message says "more than").
    return breach(ErrorCode.MAX_TOKENS_EXCEEDED, 'maxTokens', limits.maxTokens + 1, limits.maxTokens, 'The document has more than', limits.maxTokens);
  }
  const measures = measureDocument(document);
  const checks: [keyof DocumentMeasures, ErrorCode, keyof LimitsConfig][] = [
    ['depth', ErrorCode.MAX_DEPTH_EXCEEDED, 'maxDepth'],
    ['aliases', ErrorCode.MAX_ALIASES_EXCEEDED, 'maxAliases'],
    ['rootFields', ErrorCode.MAX_ROOT_FIELDS_EXCEEDED, 'maxRootFields'],
    ['directives', ErrorCode.MAX_DIRECTIVES_EXCEEDED, 'maxDirectives'],
    // Before validation, which would walk every expanded field (a fragment bomb's million).
    ['expandedFields', ErrorCode.MAX_EXPANDED_FIELDS_EXCEEDED, 'maxExpandedFields'],
    ['deferredFragments', ErrorCode.MAX_DEFERRED_FRAGMENTS_EXCEEDED, 'maxDeferredFragments'],
  ];
  for (const [measure, code, limit] of checks) {
    if (measures[measure] > limits[limit]) return breach(code, limit, measures[measure], limits[limit], 'The operation has');
  }
  const [introspection] = validate(anySchema, document, [MaxIntrospectionDepthRule]);
  if (introspection) {
    return {
      code: ErrorCode.MAX_INTROSPECTION_DEPTH_EXCEEDED,
      limit: 'introspection list depth',
      // The rule stops at the first list past three: "at least four".
      measured: 4,
      allowed: 3,
      message: `${introspection.message} (introspection may nest fields, interfaces, possibleTypes or inputFields at most 3 lists deep)`,
    };
  }
  const unsupported = unsupportedInSubscription(document);
  return unsupported === null ? null : { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, message: unsupported };
}

const nouns: Record<string, string> = {
  maxDocumentBytes: 'bytes',
  maxTokens: 'tokens',
  maxDepth: 'levels of nesting',
  maxAliases: 'aliases',
  maxRootFields: 'root fields',
  maxDirectives: 'directives',
  maxExpandedFields: 'fields once fragments are expanded',
  maxDeferredFragments: '@defer fragments once fragments are expanded',
};

/** `shown` is the number the message gives, where it is not `measured` ("more than 5000"). */
function breach(code: ErrorCode, limit: keyof LimitsConfig, measured: number, allowed: number, subject: string, shown = measured): LimitBreach {
  // A fragment bomb's counts pass what JSON can carry exactly (or at all: Infinity is null).
  const reported = Math.min(measured, Number.MAX_SAFE_INTEGER);
  return {
    code,
    limit: `limits.${limit}`,
    measured: reported,
    allowed,
    message: `${subject} ${Math.min(shown, Number.MAX_SAFE_INTEGER)} ${nouns[limit]}; the gateway allows at most ${allowed} (limits.${limit})`,
  };
}
