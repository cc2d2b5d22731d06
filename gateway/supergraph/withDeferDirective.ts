import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLNonNull, GraphQLSchema, GraphQLString } from 'graphql';

/** `@defer` as the incremental delivery RFC (and federation's planner) defines it; graphql-js 16 has none. */
export const GraphQLDeferDirective = new GraphQLDirective({
  name: 'defer',
  description: 'Delivers the fragment after the rest of the response (multipart/mixed), or merged into it for a client that does not read multipart.',
  locations: [DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
  args: {
    if: { type: new GraphQLNonNull(GraphQLBoolean), defaultValue: true },
    label: { type: GraphQLString },
  },
});

const withDefer = new WeakMap<GraphQLSchema, GraphQLSchema>();

/**
 * The API schema with `@defer`, so that Apollo Server validates operations that use it. Apollo
 * Gateway builds its API schema without it (it never executed deferred plans), and offers no
 * option for it. One copy per schema object, whoever asks: Apollo Server's schema and the
 * snapshot's must be the same object (`createServedSupergraph` finds a request's snapshot by it).
 */
export function withDeferDirective(schema: GraphQLSchema): GraphQLSchema {
  if (schema.getDirective('defer')) return schema;
  let extended = withDefer.get(schema);
  if (!extended) {
    const config = schema.toConfig();
    extended = new GraphQLSchema({ ...config, directives: [...config.directives, GraphQLDeferDirective] });
    withDefer.set(schema, extended);
  }
  return extended;
}
