import { QueryPlanner } from '@apollo/query-planner';
import { GraphQLSchema, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { servedByApolloGateway } from '../../../gateway/supergraph/servedByApolloGateway.js';
import { demoSupergraph, wireApolloGateway } from './wireApolloGateway.js';

// Pins what Portico reads of Apollo Gateway beyond its public API: an upgrade that moves the
// planner or the graphql-js supergraph schema fails here, not in production.
describe('servedByApolloGateway', () => {
  it("is Apollo Gateway's own planner, its supergraph, and the graphql-js supergraph schema it built", async () => {
    const { gateway } = await wireApolloGateway({ sdl: demoSupergraph });
    let inListener: ReturnType<typeof servedByApolloGateway> | undefined;
    gateway.onSchemaLoadOrUpdate(() => (inListener = servedByApolloGateway(gateway)));
    await gateway.load();
    try {
      const served = servedByApolloGateway(gateway);
      expect(served.planner).toBeInstanceOf(QueryPlanner);
      expect(served.planner === gateway.__testing().queryPlanner).toBe(true);
      expect(served.supergraph === served.planner.supergraph).toBe(true);
      // Set before the listeners run: what they read is what is served.
      expect(inListener?.planner === served.planner).toBe(true);
      expect(served.supergraphSchema).toBeInstanceOf(GraphQLSchema);
      // The supergraph, not the API schema: join__Graph and the directives are in it.
      expect(isEnumType(served.supergraphSchema.getType('join__Graph'))).toBe(true);
      const me = served.supergraphSchema.getQueryType()?.getFields().me;
      expect(me?.astNode?.directives?.map((directive) => directive.name.value)).toContain('authenticated');
    } finally {
      await gateway.stop();
    }
  });

  it('refuses a gateway with nothing loaded, rather than let anyone build a planner of their own', async () => {
    const { gateway } = await wireApolloGateway({ sdl: demoSupergraph });
    expect(() => servedByApolloGateway(gateway)).toThrow(/has @apollo\/gateway changed/);
  });
});
