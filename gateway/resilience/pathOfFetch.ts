import { Kind, parse, type OperationDefinitionNode } from 'graphql';

/**
 * Where in the client's response a failed subgraph fetch would have put its data, so that its
 * error can carry a `path`: the entities' place for an entity fetch (`['topProducts']` for the
 * products' reviews, list markers left out), the root field for a root fetch that asks for one.
 * Undefined when no single path says it (a root fetch for several fields). Runs on failures only,
 * so parsing the operation costs nothing on the happy path.
 */
export function pathOfFetch(query: string | undefined, pathInIncomingRequest: readonly (string | number)[] | undefined): (string | number)[] | undefined {
  const entityPath = (pathInIncomingRequest ?? []).filter((segment) => segment !== '@');
  if (entityPath.length > 0) return entityPath;
  if (query === undefined) return undefined;
  try {
    const operation = parse(query, { noLocation: true }).definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const fields = operation?.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD) ?? [];
    const only = fields.length === 1 ? fields[0] : undefined;
    return only ? [only.alias?.value ?? only.name.value] : undefined;
  } catch {
    return undefined;
  }
}
