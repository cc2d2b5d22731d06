import type { FetchNode } from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';

/** Several entity fetches to one subgraph as one request. */
export interface MergedOperation {
  query: string;
  operationName: string | undefined;
  /** Per fetch, in order: the response key of its `_entities` and its representations variable. */
  parts: { alias: string; variable: string }[];
}

/**
 * One operation that does the work of several entity fetches to the same subgraph: each fetch's
 * `_entities` under its own alias (`_0`, `_1`, …) with its own representations variable; the
 * client's variables they use are shared (they have one value), and fragments of the same name
 * are renamed where they differ. Null when the fetches cannot be merged (a client variable has
 * a name the merged operation needs).
 */
export function mergeEntityFetches(fetches: readonly FetchNode[]): MergedOperation | null {
  const parts = fetches.map((_, index) => ({ alias: `_${index}`, variable: `representations_${index}` }));
  const generated = new Set(parts.map((part) => part.variable));
  if (fetches.some((fetch) => fetch.variableUsages?.some((name) => generated.has(name)))) return null;

  const selections: FieldNode[] = [];
  const variableDefinitions = new Map<string, VariableDefinitionNode>();
  const fragments = new Map<string, { printed: string; node: FragmentDefinitionNode }>();
  fetches.forEach((fetch, index) => {
    const document = renameFragments(fetch.operationDocumentNode ?? parse(fetch.operation, { noLocation: true }), fragments, index);
    const part = parts[index]!;
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.set(definition.name.value, { printed: print(definition), node: definition });
        continue;
      }
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const operation = visit(definition, {
        Variable: (node) => (node.name.value === 'representations' ? { ...node, name: { ...node.name, value: part.variable } } : undefined),
      }) as OperationDefinitionNode;
      for (const variable of operation.variableDefinitions ?? []) variableDefinitions.set(variable.variable.name.value, variable);
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) throw new Error('an entity fetch selects _entities only');
        selections.push({ ...selection, alias: { kind: Kind.NAME, value: part.alias } });
      }
    }
  });
  const operationName = fetches[0]?.operationName;
  const merged: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as OperationDefinitionNode['operation'],
        ...(operationName ? { name: { kind: Kind.NAME, value: operationName } } : {}),
        variableDefinitions: [...variableDefinitions.values()],
        selectionSet: { kind: Kind.SELECTION_SET, selections },
      },
      ...[...fragments.values()].map(({ node }) => node),
    ],
  };
  return { query: print(merged), operationName, parts };
}

/**
 * The fetch's document, with every fragment renamed when one of them has the name of a
 * different fragment already taken (all of them, since fragments may spread each other).
 */
function renameFragments(document: DocumentNode, taken: ReadonlyMap<string, { printed: string }>, index: number): DocumentNode {
  const own = document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION);
  const clashes = own.some((definition) => {
    const existing = taken.get(definition.name.value);
    return existing !== undefined && existing.printed !== print(definition);
  });
  if (!clashes) return document;
  const rename = <T extends { name: { value: string } }>(node: T) => ({ ...node, name: { ...node.name, value: `${node.name.value}_${index}` } });
  return visit(document, { FragmentDefinition: rename, FragmentSpread: rename });
}
