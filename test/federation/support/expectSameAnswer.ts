import { expect } from 'vitest';
import { askBoth, type AnswerBody, type GatewayOrigins, type Operation } from './askBoth.js';

export interface SameAnswerOptions {
  /**
   * Whether the operation is meant to fail somewhere. By default the reference answer must have
   * data and no errors, so that two gateways agreeing on a broken fixture never passes.
   * @default false
   */
  errors?: boolean;
  /** Called before each gateway is asked: resets subgraph state for mutations. */
  before?: () => void;
}

/** The parts of a GraphQL error both gateways must agree on. */
export interface ComparableError {
  message: string;
  path?: readonly (string | number)[];
  locations?: unknown;
  code?: unknown;
  serviceName?: unknown;
}

/**
 * Asks both gateways and asserts Portico answers as vanilla Apollo Gateway does:
 * - the same HTTP status and the same top-level keys (`data`, `errors`, `extensions`), and the
 *   same `extensions` (Apollo Gateway's `valueCompletion` compared as errors are);
 * - `data` equal, and serialised to the same JSON text, so field order matches too (both follow
 *   the operation's selection order);
 * - the same errors on `message`, `path`, `locations`, `extensions.code` and
 *   `extensions.serviceName`, as a set: the spec gives errors no order, and fetches that run in
 *   parallel may fail in either order. Other extensions (a stack trace in development, Portico's
 *   request id) may differ.
 * Returns the reference answer for the scenario's own assertions.
 */
export async function expectSameAnswer(origins: GatewayOrigins, operation: Operation, options: SameAnswerOptions = {}): Promise<AnswerBody> {
  const { apollo, portico } = await askBoth(origins, operation, options.before);
  if (options.errors) {
    expect(apollo.body.errors?.length ?? 0, `Apollo Gateway answered without errors: ${apollo.text}`).toBeGreaterThan(0);
  } else {
    expect(apollo.body.errors, `Apollo Gateway answered with errors: ${apollo.text}`).toBeUndefined();
    expect(apollo.body.data, 'Apollo Gateway answered without data').toBeTruthy();
  }
  const context = `\nApollo Gateway: ${apollo.text}\nPortico:        ${portico.text}`;
  expect(portico.status, `HTTP status${context}`).toBe(apollo.status);
  expect(Object.keys(portico.body), `top-level keys${context}`).toEqual(Object.keys(apollo.body));
  expect(portico.body.data, `data${context}`).toEqual(apollo.body.data);
  expect(JSON.stringify(portico.body.data), 'data as JSON text (field order)').toBe(JSON.stringify(apollo.body.data));
  expect(comparableErrors(portico.body.errors), `errors${context}`).toEqual(comparableErrors(apollo.body.errors));
  // Apollo Gateway reports null entities under non-null fields here rather than in errors.
  const { valueCompletion: porticoCompletion, ...porticoExtensions } = portico.body.extensions ?? {};
  const { valueCompletion: apolloCompletion, ...apolloExtensions } = apollo.body.extensions ?? {};
  expect(porticoExtensions, `extensions${context}`).toEqual(apolloExtensions);
  expect(comparableErrors(porticoCompletion as GraphQLErrors), `extensions.valueCompletion${context}`).toEqual(
    comparableErrors(apolloCompletion as GraphQLErrors),
  );
  return apollo.body;
}

type GraphQLErrors = AnswerBody['errors'];

/** Errors reduced to what must match, in a stable order. */
export function comparableErrors(errors: GraphQLErrors): ComparableError[] {
  return (errors ?? [])
    .map((error) => {
      const { message, path, extensions } = error;
      const { locations } = error as { locations?: unknown };
      // Through JSON so that absent and undefined compare alike.
      return JSON.parse(JSON.stringify({ message, path, locations, code: extensions?.code, serviceName: extensions?.serviceName })) as ComparableError;
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
