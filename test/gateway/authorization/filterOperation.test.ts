import { buildSchema, Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { denial } from '../../../gateway/authorization/AuthorizationRules.js';
import { coercedVariablesOf } from '../../../gateway/execution/coercedVariablesOf.js';
import { acceptEnforcedSecurityLinks } from '../../../gateway/authorization/acceptEnforcedSecurityLinks.js';
import { filterOperation, placeholderKey } from '../../../gateway/authorization/filterOperation.js';
import { patchResult } from '../../../gateway/authorization/patchResult.js';
import { readAuthorizationRules } from '../../../gateway/authorization/readAuthorizationRules.js';
import type { Viewer } from '../../../gateway/GatewayContext.js';

// A schema with what the demo lacks: interfaces, unions, type-level directives, non-null
// guarded fields, and the directives imported under other names.
const sdl = `
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)
{ query: Query mutation: Mutation }
directive @link(url: String, as: String, for: String) repeatable on SCHEMA
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE
directive @scopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE

interface Node { id: ID! }
type Public implements Node { id: ID! title: String }
type Secret implements Node @authenticated { id: ID! code: String }
type Account implements Node { id: ID! balance: Int! @scopes(scopes: [["bank:read"], ["bank:admin"]]) owner: String note: String @scopes(scopes: [["bank:read"]]) }
union Result = Public | Secret
type Query {
  node(id: ID!): Node
  search: [Result!]!
  account: Account
  accounts: [Account!]
}
type Mutation {
  close(id: ID!): Boolean @scopes(scopes: [["bank:admin"]])
}
`;
const schema = buildSchema(sdl);
const rules = readAuthorizationRules(parse(sdl));
const anonymous = null;
const reader: Viewer = { subject: 'u1', scopes: ['bank:read'], claims: {} };
const plain: Viewer = { subject: 'u2', scopes: [], claims: {} };

// As the gateway calls it: the first operation, its variables coerced with their defaults.
function filter(query: string, viewer: Viewer | null, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const coerced = coercedVariablesOf({ context: {}, schema, document, operation, variables });
  if (coerced.errors) throw coerced.errors[0];
  return filterOperation(schema, rules, document, operation, coerced.values, (requirement) => denial(requirement, viewer, new Set()));
}

describe('filterOperation', () => {
  it('changes nothing when the caller may see everything', () => {
    expect(filter('{ account { balance owner } search { ... on Secret { code } } }', reader)).toBeNull();
  });

  it('reads directives imported under another name', () => {
    expect(rules.fields.get('Account.balance')?.scopes).toEqual([[['bank:read'], ['bank:admin']]]);
  });

  it('accepts any one of the alternative scope sets', () => {
    const admin: Viewer = { subject: 'a', scopes: ['bank:admin'], claims: {} };
    expect(filter('{ account { balance } }', admin)).toBeNull();
    expect(filter('{ account { balance } }', plain)?.removals.map((r) => r.code)).toEqual(['FORBIDDEN']);
  });

  it('removes a fragment on a guarded type inside a union, keeping the other members', () => {
    const result = filter('{ search { ... on Public { title } ... on Secret { code } } }', anonymous)!;
    expect(result.removals).toMatchObject([{ code: 'UNAUTHENTICATED', what: 'Secret', errorPath: ['search'] }]);
    expect(print(result.document)).not.toContain('Secret');
    expect(print(result.document)).toContain('... on Public');
  });

  it('guards __typename on an abstract type that a guarded type may fill', () => {
    const result = filter('{ search { __typename } }', anonymous)!;
    expect(result.removals).toMatchObject([{ code: 'UNAUTHENTICATED', errorPath: ['search', '@', '__typename'] }]);
  });

  it('guards an interface field that one implementation restricts', () => {
    const result = filter('{ node(id: "1") { id } }', anonymous)!;
    expect(result.removals).toMatchObject([{ what: 'Node.id', errorPath: ['node', 'id'] }]);
    expect(filter('{ node(id: "1") { id } }', reader)).toBeNull();
  });

  it('removes a guarded field inside a typed fragment on an interface and marks the runtime type', () => {
    const result = filter('{ node(id: "1") { ... on Account { balance owner } } }', plain)!;
    expect(result.removals).toMatchObject([{ what: 'Account.balance', code: 'FORBIDDEN' }]);
    expect(print(result.document)).toContain('portico__typename: __typename');
  });

  it('keeps an emptied selection set valid with a placeholder', () => {
    const result = filter('{ account { balance } }', plain)!;
    expect(print(result.document)).toBe('{\n  account {\n    portico__typename: __typename\n  }\n}');
  });

  it('judges @skip and @include by the coerced variables: a defaulted variable counts with its default', () => {
    const query = 'query ($s: Boolean = true) { account @skip(if: $s) { balance } }';
    // Skipped by its default: execution will not select it, so there is nothing to refuse.
    expect(filter(query, plain)).toBeNull();
    expect(filter(query, plain, { s: false })?.removals).toMatchObject([{ what: 'Account.balance', errorPath: ['account', 'balance'] }]);
    expect(filter('query ($i: Boolean! = false) { account @include(if: $i) { balance } }', plain)).toBeNull();
  });

  it('takes aliases, variables and fragments named like Object.prototype members as plain names', () => {
    const query = `query ($__proto__: Boolean = false, $constructor: Boolean! = true) {
      __proto__: account @skip(if: $__proto__) { ...toString @include(if: $constructor) }
      hasOwnProperty: account @skip(if: $constructor) { balance }
    }
    fragment toString on Account { constructor: balance valueOf: owner }`;
    const result = filter(query, plain)!;
    expect(result.removals).toMatchObject([{ what: 'Account.balance', errorPath: ['__proto__', 'constructor'] }]);
    expect(print(result.document)).toContain('__proto__: account');
    expect(print(result.document)).not.toContain('hasOwnProperty');
  });

  it("picks a placeholder key the client's own aliases do not use, and strips only that", () => {
    const result = filter('{ node(id: "1") { portico__typename: id ... on Account { balance } } account { portico__typename_: owner balance } }', plain)!;
    expect(result.placeholderKey).toBe('portico__typename__');
    expect(print(result.document)).toContain('portico__typename__: __typename');
    const received = { node: { portico__typename: '1', portico__typename__: 'Public' }, account: { portico__typename_: 'o', portico__typename__: 'Account' } };
    const { data } = patchResult(received, result.removals, result.placeholderKey);
    expect(data).toEqual({ node: { portico__typename: '1' }, account: null });
  });

  it('strips no client field named like a placeholder when the operation got none', () => {
    const result = filter('{ account { portico__typename: owner note } }', plain)!;
    expect(print(result.document)).not.toContain(': __typename');
    const { data } = patchResult({ account: { portico__typename: 'o' } }, result.removals, result.placeholderKey);
    expect(data).toEqual({ account: { portico__typename: 'o', note: null } });
  });

  it("says a mutation's root field is used, any other field read", () => {
    const mutation = filter('mutation { close(id: "1") }', plain)!;
    expect(mutation.removals).toMatchObject([{ what: 'Mutation.close', action: 'use' }]);
    expect(patchResult({}, mutation.removals, placeholderKey).errors[0]!.message).toBe('Forbidden: the caller may not use Mutation.close.');
    const query = filter('{ account { balance } }', plain)!;
    expect(patchResult({ account: {} }, query.removals, placeholderKey).errors[0]!.message).toBe('Forbidden: the caller may not read Account.balance.');
  });

  it('refuses a document whose fragments expand past the limit', () => {
    // Each fragment uses the next one twice: 2^15 copies of the last, a small document.
    const levels = Array.from({ length: 15 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ... on Query { ...F${i + 1} } }`);
    const query = ['{ ...F0 }', ...levels, 'fragment F15 on Query { account { owner } }'].join('\n');
    expect(() => filter(query, reader)).toThrow('The operation is too large to authorize (more than 50000 selections once fragments are expanded).');
  });
});

describe('patchResult', () => {
  it('puts nulls where fields were removed and one error per removed path', () => {
    const { removals } = filter('{ accounts { owner balance } }', plain)!;
    const { data, errors } = patchResult({ accounts: [{ owner: 'a', portico__typename: 'Account' }, { owner: 'b' }] }, removals, placeholderKey);
    // balance is Int!: its null bubbles to the (nullable) list item... which is non-null, so to the list.
    expect(data).toEqual({ accounts: null });
    expect(errors.map((error) => [error.path, error.extensions.code])).toEqual([[['accounts', '@', 'balance'], 'FORBIDDEN']]);
  });

  it('bubbles a removed non-null field up to the nearest nullable parent', () => {
    const { removals } = filter('{ account { owner balance } }', plain)!;
    expect(patchResult({ account: { owner: 'a' } }, removals, placeholderKey).data).toEqual({ account: null });
  });

  it("nulls fields only on objects of the fragment's type, and strips the placeholders", () => {
    const { removals } = filter('{ node(id: "1") { id ... on Account { balance } } }', reader) ?? { removals: [] };
    expect(removals).toEqual([]);
    const limited = filter('{ node(id: "1") { ... on Public { title } ... on Account { owner balance } } }', plain)!;
    const asPublic = patchResult({ node: { title: 't', portico__typename: 'Public' } }, limited.removals, placeholderKey);
    expect(asPublic.data).toEqual({ node: { title: 't' } });
    const asAccount = patchResult({ node: { owner: 'o', portico__typename: 'Account' } }, limited.removals, placeholderKey);
    expect(asAccount.data).toEqual({ node: null });
  });
});

describe('patchResult with client-chosen keys', () => {
  const polluted = () => [
    ...['balance', 'owner'].filter((name) => Object.hasOwn(Object.prototype, name)),
    ...(Object.prototype.constructor === Object ? [] : ['constructor']),
  ];

  it('never follows a key the response does not own: a missing __proto__ alias writes nothing anywhere', () => {
    const { removals } = filter('{ __proto__: account { owner balance } toString: account { balance } }', plain)!;
    const { data } = patchResult({}, removals, placeholderKey);
    expect(data).toEqual({});
    expect(polluted()).toEqual([]);
    expect(({} as Record<string, unknown>).balance).toBeUndefined();
  });

  it('writes nulls as own keys, __proto__ included, and never changes a prototype', () => {
    const { removals } = filter('{ __proto__: accounts { constructor: owner balance } }', plain)!;
    const received = JSON.parse('{"__proto__": [{"constructor": "a", "portico__typename": "Account"}]}') as Record<string, unknown>;
    const { data } = patchResult(received, removals, placeholderKey);
    expect(JSON.stringify(data)).toBe('{"__proto__":null}');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    const nullable = filter('{ __proto__: node(id: "1") { ... on Account { owner balance } } }', plain)!;
    const node = patchResult(
      JSON.parse('{"__proto__": {"owner": "o", "portico__typename": "Account"}}') as Record<string, unknown>,
      nullable.removals,
      placeholderKey,
    );
    expect(JSON.stringify(node.data)).toBe('{"__proto__":null}');
    expect(polluted()).toEqual([]);
  });
});

describe('acceptEnforcedSecurityLinks', () => {
  it('drops for: SECURITY from the three enforced specs only', () => {
    const rewritten = acceptEnforcedSecurityLinks(`${sdl}\nextend schema @link(url: "https://specs.example.com/unknown/v1.0", for: SECURITY)`);
    expect(rewritten).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1")');
    expect(rewritten).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes")');
    expect(rewritten).toContain('@link(url: "https://specs.example.com/unknown/v1.0", for: SECURITY)');
  });
});
