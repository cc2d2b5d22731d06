import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createNameInterner } from '../../gateway/supergraph/createNameInterner.js';

// Composed once with a placeholder in its names. Composition interns the names it meets, so each
// test replaces the placeholder in the text: names nothing in this process has met, as in a
// gateway that only loads a supergraph, whichever copy V8 interns first is the one under test.
const PLACEHOLDER = 'Placeholder';
const composed = (() => {
  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { widgets${PLACEHOLDER}: [Widget${PLACEHOLDER}] }
    type Widget${PLACEHOLDER} @key(fields: "id") { id: ID! label${PLACEHOLDER}: String }
  `);
  const { supergraphSdl, errors } = composeServices([{ name: 'widgets', url: 'http://widgets.invalid', typeDefs }]);
  if (errors || !supergraphSdl) throw new Error(`composition failed: ${errors?.map((error) => error.message).join('; ')}`);
  return supergraphSdl;
})();

function supergraphWithFreshNames() {
  const suffix = randomBytes(4).toString('hex');
  return {
    sdl: composed.replaceAll(PLACEHOLDER, suffix),
    names: { type: `Widget${suffix}`, list: `widgets${suffix}`, field: `label${suffix}` },
  };
}

/** What Apollo Gateway serves: federation's API schema as a graphql-js schema. */
const apiSchemaOf = (sdl: string) => Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
// V8's value serializer tags a one-byte string '"'; a two-byte one 'c', after a padding byte.
const isOneByte = (value: string) => v8.serialize(value)[2] === 0x22;

/** A response built as the gateway builds one, with the API schema's names as keys. */
function responseText(sdl: string, names: { type: string; list: string; field: string }): string {
  const schema = apiSchemaOf(sdl);
  const list = schema.getQueryType()!.getFields()[names.list]!.name;
  const field = (schema.getType(names.type) as GraphQLObjectType).getFields()[names.field]!.name;
  return JSON.stringify({ data: { [list]: [{ [field]: 'ok' }] } });
}

describe('createNameInterner', () => {
  it('makes the names of the served supergraph one-byte, so that responses keyed by them are too', () => {
    const { sdl, names } = supergraphWithFreshNames();
    expect(createNameInterner()(sdl)).toBe(sdl);
    const text = responseText(sdl, names);
    expect(text).toBe(`{"data":{"${names.list}":[{"${names.field}":"ok"}]}}`);
    expect(isOneByte(text)).toBe(true);
  });

  // Node 24's and 26's V8 hand out these names one-byte without it (checked 2026-12-07: this test
  // fails there), so it matters on Node 20 alone, the oldest Node `engines` accepts, where CI runs.
  it.runIf(process.versions.node.startsWith('20.'))(
    'is needed on Node 20: without it, federation hands out two-byte names and the response is two-byte',
    () => {
      const { sdl, names } = supergraphWithFreshNames();
      expect(isOneByte(responseText(sdl, names))).toBe(false);
    },
  );

  it('leaves what is not SDL to the gateway to refuse', () => {
    expect(createNameInterner()('type {')).toBe('type {');
  });
});
