import { expect } from 'vitest';
import { askBoth, type AnswerBody, type GatewayOrigins, type Operation } from './askBoth.js';

export interface SameAnswerOptions {
  /**
   * Whether something in the operation is meant to fail. Then the reference answer must report
   * it, in `errors` or in Apollo Gateway's `extensions.valueCompletion` (where it puts nulls it
   * made for values a subgraph should not have returned); otherwise it must have data and report
   * nothing, so that two gateways agreeing on a broken fixture never pass.
   * @default false
   */
  failures?: boolean;
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
 *   parallel may fail in either order. Other extensions of an error (a stack trace, the
 *   subgraph's response) may differ.
 * Returns the reference answer for the scenario's own assertions.
 */
export async function expectSameAnswer(origins: GatewayOrigins, operation: Operation, options: SameAnswerOptions = {}): Promise<AnswerBody> {
  const { apollo, portico } = await askBoth(origins, operation, options.before);
  const reported = (apollo.body.errors?.length ?? 0) + ((apollo.body.extensions?.valueCompletion as unknown[] | undefined)?.length ?? 0);
  if (options.failures) {
    expect(reported, `Apollo Gateway reported no failure: ${apollo.text}`).toBeGreaterThan(0);
  } else {
    expect(reported, `Apollo Gateway reported failures: ${apollo.text}`).toBe(0);
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
