import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * A validation rule: refuses the alias `__typename` on any field but `__typename`. The gateway
 * (and federation's planner) read an object's `__typename` to know its type, in what subgraphs
 * answer; a client field answered under that name would stand for it, and the object would be
 * answered null ("Invalid __typename") or shaped as another type. `__` names are the
 * introspection system's; no client needs this alias.
 */
export const typenameAliasRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias?.value !== '__typename' || node.name.value === '__typename') return;
    context.reportError(
      new GraphQLError(
        `The alias "__typename" on field "${node.name.value}" would stand for the object's type name, which the gateway reads. Choose another alias.`,
        {
          nodes: node,
        },
      ),
    );
  },
});
