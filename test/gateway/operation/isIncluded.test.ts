import fc from 'fast-check';
import {
  buildSchema,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  parse,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { coercedVariablesOf } from '../../../gateway/execution/coercedVariablesOf.js';
import { isIncluded, isInclusionDirective } from '../../../gateway/operation/isIncluded.js';

const schema = buildSchema('type Query { a: Int b: Int }');

/** Whether each root selection is included, with the variables coerced as every stage reads them. */
function included(query: string, sent?: Record<string, unknown>): boolean[] {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const { values, errors } = coercedVariablesOf({ context: {}, schema, document, operation, variables: sent });
  if (errors) throw errors[0];
  return operation.selectionSet.selections.map((selection) => isIncluded(selection, values));
}

describe('isIncluded', () => {
  it('keeps a selection without directives, or with others', () => {
    expect(included('{ a b @deprecated }')).toEqual([true, true]);
  });

  it('reads literal conditions', () => {
    expect(included('{ a @skip(if: true) b @skip(if: false) }')).toEqual([false, true]);
    expect(included('{ a @include(if: true) b @include(if: false) }')).toEqual([true, false]);
  });

  it('excludes when either of @skip and @include excludes', () => {
    expect(included('{ a @skip(if: false) @include(if: false) b @skip(if: true) @include(if: true) }')).toEqual([false, false]);
    expect(included('{ a @include(if: true) @skip(if: false) }')).toEqual([true]);
  });

  it('reads a variable as sent once it is coerced', () => {
    const query = 'query ($s: Boolean!, $i: Boolean!) { a @skip(if: $s) b @include(if: $i) }';
    expect(included(query, { s: true, i: true })).toEqual([false, true]);
    expect(included(query, { s: false, i: false })).toEqual([true, false]);
  });

  it("takes a variable's default when it is not sent, and the value sent over the default", () => {
    const query = 'query ($s: Boolean = true, $i: Boolean = false) { a @skip(if: $s) b @include(if: $i) }';
    // The raw variables ({}) say nothing; the coerced ones carry the defaults, as execution reads them.
    expect(included(query)).toEqual([false, false]);
    expect(included(query, {})).toEqual([false, false]);
    expect(included(query, { s: false, i: true })).toEqual([true, true]);
    // An explicit null overrides the default, and `if` takes no null: the request is refused, as graphql-js's execution refuses it.
    expect(() => included(query, { s: null })).toThrow('Variable "$s" is null, but the operation uses it where a value of type "Boolean!" is required');
  });

  it('leaves in a selection whose condition is not known (so every check still applies to it)', () => {
    const operation = parse('query ($v: Boolean!) { a @skip(if: $v) b @include(if: $v) c @skip d @include(if: "yes") }')
      .definitions[0] as OperationDefinitionNode;
    expect(operation.selectionSet.selections.map((selection) => isIncluded(selection, new Map()))).toEqual([true, true, true, true]);
  });

  it('reads variables named like Object.prototype members from the Map, never from a prototype', () => {
    const query =
      'query ($__proto__: Boolean = true, $constructor: Boolean!, $toString: Boolean) { a @skip(if: $__proto__) b @include(if: $constructor) c @skip(if: $toString) }';
    const sent = JSON.parse('{"constructor": false}') as Record<string, unknown>;
    expect(included(query, sent)).toEqual([false, false, true]);
  });

  it('tells @skip and @include from other directives', () => {
    const field = (parse('{ a @skip(if: true) @include(if: true) @deprecated }').definitions[0] as OperationDefinitionNode).selectionSet
      .selections[0] as FieldNode;
    expect(field.directives?.map(isInclusionDirective)).toEqual([true, true, false]);
  });

  it('agrees with graphql-js execution on every combination of conditions, literals, sent and defaulted variables', () => {
    // Variable names a client may choose, the prototype's own among them.
    const names = ['v', '__proto__', 'constructor', 'toString'];
    const condition = fc.oneof(fc.constant('true'), fc.constant('false'), ...names.map((name) => fc.constant(`$${name}`)));
    // Sent as true, false or null, or left out.
    const variable = fc.record({
      defaultValue: fc.option(fc.boolean(), { nil: undefined }),
      sent: fc.option(fc.constantFrom(true, false, null), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.option(condition, { nil: undefined }),
        fc.option(condition, { nil: undefined }),
        fc.boolean(),
        fc.tuple(...names.map(() => variable)),
        (skip, include, includeFirst, variables) => {
          const directives = [skip === undefined ? '' : `@skip(if: ${skip})`, include === undefined ? '' : `@include(if: ${include})`];
          if (includeFirst) directives.reverse();
          // Boolean! where a variable has no default, as validation requires in an `if`.
          const definitions = names.map((name, index) => {
            const { defaultValue } = variables[index]!;
            return defaultValue === undefined ? `$${name}: Boolean!` : `$${name}: Boolean = ${defaultValue}`;
          });
          const sent = Object.fromEntries(
            names.flatMap((name, index) => {
              const { defaultValue, sent: value } = variables[index]!;
              // A Boolean! variable must be sent, and not as null; one with a default may be left out, or sent as null.
              const chosen = defaultValue === undefined ? (value ?? false) : value;
              return chosen === undefined ? [] : [[name, chosen]];
            }),
          );
          const document = parse(`query (${definitions.join(', ')}) { a ${directives.join(' ')} }`);
          const operation = document.definitions[0] as OperationDefinitionNode;
          const { values, errors } = coercedVariablesOf({ context: {}, schema, document, operation, variables: sent });
          const field = operation.selectionSet.selections[0] as FieldNode;
          // graphql-js's shouldIncludeNode, on the same values (defaults applied, nulls as sent) in an object without a prototype;
          // it throws where a null stands in an `if`, which coercion must have refused already.
          const coerced = Object.assign(Object.create(null) as Record<string, unknown>, sent);
          for (const definition of operation.variableDefinitions ?? []) {
            const name = definition.variable.name.value;
            if (!Object.hasOwn(coerced, name) && definition.defaultValue?.kind === Kind.BOOLEAN) coerced[name] = definition.defaultValue.value;
          }
          // As graphql-js's shouldIncludeNode reads them: `@skip` first, and `@include` only if `@skip` did not leave the field out.
          let graphqlJs: boolean | 'refused';
          try {
            graphqlJs =
              getDirectiveValues(GraphQLSkipDirective, field, coerced)?.if !== true &&
              getDirectiveValues(GraphQLIncludeDirective, field, coerced)?.if !== false;
          } catch {
            graphqlJs = 'refused';
          }
          if (graphqlJs === 'refused') {
            expect(errors?.map((error) => error.extensions.code)).toContain('BAD_USER_INPUT');
          } else {
            expect(errors).toBeUndefined();
            expect(isIncluded(field, values!)).toBe(graphqlJs);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
