import { getVariableValues, GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { isPlaceReached } from '../operation/isPlaceReached.js';
import { nullableVariablesInNonNullPlaces } from '../operation/nullableVariablesInNonNullPlaces.js';

/**
 * An operation's variables as every stage must read them: coerced against the API schema,
 * defaults applied. A `Map`, so that no variable name a client chose (`__proto__`,
 * `constructor`, `toString`) can ever read or write an object's prototype.
 */
export type VariableValues = ReadonlyMap<string, unknown>;

export type CoercedVariables = { values: VariableValues; errors?: undefined } | { values?: undefined; errors: readonly GraphQLError[] };

/** What coercion needs of a request; `context` is the request's own context object (one per operation, batched ones too). */
export interface VariablesInput {
  context: object;
  schema: GraphQLSchema;
  /** The document `operation` is in (for the fragments it spreads). */
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The variables as the client sent them. */
  variables: Readonly<Record<string, unknown>> | undefined;
}

// graphql-js's own bound: a hostile list of wrong values must not make a million errors.
const MAX_ERRORS = 50;

const coerced = new WeakMap<object, CoercedVariables>();

/**
 * The request's variables, coerced once per request (graphql-js's `getVariableValues`, as
 * `execute` runs it) and then the same values for every caller: authorization's `@skip` and
 * `@include`, demand control's list sizes, the plan's `Condition` nodes and response shaping.
 * Judging one of them on the raw variables and another on the coerced ones lets a defaulted
 * variable hide a field from authorization that execution then selects. Errors are graphql-js's,
 * coded `BAD_USER_INPUT`; the client gets them all, as graphql-js answers them. One more is
 * checked here rather than mid-execution: a nullable variable sent as `null` where the operation
 * uses it in a place that needs a value, and that execution reads with these variables (see
 * nullableVariablesInNonNullPlaces and isPlaceReached).
 */
export function coercedVariablesOf(input: VariablesInput): CoercedVariables {
  const known = coerced.get(input.context);
  if (known) return known;
  const result = coerce(input);
  coerced.set(input.context, result);
  return result;
}

// An operation without variables (most of them) shares one empty result: nothing writes to it.
const noVariables: CoercedVariables = Object.freeze({ values: new Map() });

function coerce({ schema, document, operation, variables }: VariablesInput): CoercedVariables {
  const definitions = operation.variableDefinitions ?? [];
  if (definitions.length === 0) return noVariables;
  const outcome = getVariableValues(schema, definitions, variables ?? {}, { maxErrors: MAX_ERRORS });
  if (outcome.errors) return { errors: outcome.errors.map(coded) };
  // Object.entries lists own keys only, `__proto__` among them when a variable has that name.
  const values = new Map(Object.entries(outcome.coerced));
  const nulls = nullableVariablesInNonNullPlaces(schema, document, operation).filter(
    (place) => values.get(place.variable) === null && isPlaceReached(place, values),
  );
  if (nulls.length > 0) {
    return {
      errors: nulls
        .slice(0, MAX_ERRORS)
        .map(
          (place) =>
            new GraphQLError(
              `Variable "$${place.variable}" is null, but the operation uses it where a value of type "${place.type}" is required; send a value, or leave the variable out to use its default`,
              { nodes: [place.node], extensions: { code: ErrorCode.BAD_USER_INPUT } },
            ),
        ),
    };
  }
  return { values };
}

function coded(error: GraphQLError): GraphQLError {
  if (error.extensions.code !== undefined) return error;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
  });
}
