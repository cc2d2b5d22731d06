import { readFileSync } from 'node:fs';
import { buildASTSchema, buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleOperation } from '../../gateway/landingPage/exampleOperation.js';

// The supergraph defines every directive it uses, so its SDL builds without validation.
const schemaOf = (sdl: string) => buildASTSchema(parse(sdl), { assumeValidSDL: true });
const hint = /^# Portico[\s\S]*npx portico token --sub 7[\s\S]*Authorization: Bearer <token>/;

describe('exampleOperation', () => {
  it('opens the Sandbox on a query of the supergraph an anonymous caller may run, after the token hint', () => {
    const sdl = readFileSync('schema/supergraph.graphql', 'utf8');
    const operation = exampleOperation(schemaOf(sdl));
    expect(operation).toMatch(hint);
    expect(operation).toContain('query Example {\n  users {\n    id\n    username\n    name\n  }\n}');
    // Not `me` (@authenticated) first, not `email` (@requiresScopes).
    expect(operation).not.toMatch(/\bme\b|email/);
  });

  it('is a valid operation against a plain schema, skipping required arguments and federation fields', () => {
    const sdl =
      'type Query { _service: String, user(id: ID!): String, top(first: Int = 5): [Item] }\ntype Item { id: ID!, tags(first: Int): [String], name: String }';
    const operation = exampleOperation(schemaOf(sdl));
    expect(operation).toContain('query Example {\n  top {\n    id\n    name\n  }\n}');
    expect(validate(buildSchema(sdl), parse(operation))).toEqual([]);
  });

  it('is only the hint when nothing can be queried without arguments, or there is no query type', () => {
    expect(exampleOperation(schemaOf('type Query { user(id: ID!): String }'))).toMatch(/^# [\s\S]*\)\.\n$/);
    expect(exampleOperation(schemaOf('type Item { id: ID }'))).toMatch(hint);
  });

  it("speaks GraphiQL's language in the offline explorer, in lines that fit half a 1400 px window", () => {
    const sdl = readFileSync('schema/supergraph.graphql', 'utf8');
    const operation = exampleOperation(schemaOf(sdl), 'graphiql');
    // GraphiQL has a Headers tab and no connection settings or shared headers.
    expect(operation).not.toMatch(/connection settings|shared headers/);
    expect(operation).toMatch(/^# Portico[\s\S]*npx portico token --sub 7[\s\S]*Headers tab below[\s\S]*"Authorization": "Bearer <token>"/);
    const longest = Math.max(...operation.split('\n').map((line) => [...line].length));
    expect(longest).toBeLessThanOrEqual(46);
    expect(operation).toContain('query Example {\n  users {');
  });

  it('says in production that tokens come from the identity provider, not portico token, which production refuses', () => {
    const sdl = readFileSync('schema/supergraph.graphql', 'utf8');
    for (const explorer of ['sandbox', 'graphiql'] as const) {
      const operation = exampleOperation(schemaOf(sdl), explorer, 'production');
      expect(operation).not.toContain('portico token');
      expect(operation).toMatch(/identity provider[\s\S]*"Authorization": "Bearer <token>"/);
      expect(Math.max(...operation.split('\n').map((line) => [...line].length))).toBeLessThanOrEqual(46);
      expect(operation).toContain('query Example {');
    }
  });
});
