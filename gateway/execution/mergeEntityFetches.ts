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
import { fragmentsOf } from '../operation/fragmentsOf.js';

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
  // The merged document's fragments, each name once, in the order first met; printed, to tell a clash.
  const fragments: FragmentDefinitionNode[] = [];
  const printed = new Map<string, string>();
  fetches.forEach((fetch, index) => {
    const document = renameFragments(fetch.operationDocumentNode ?? parse(fetch.operation, { noLocation: true }), printed, index);
    const part = parts[index]!;
    for (const [name, fragment] of fragmentsOf(document)) {
      if (printed.has(name)) continue;
      printed.set(name, print(fragment));
      fragments.push(fragment);
    }
    for (const definition of document.definitions) {
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
      ...fragments,
    ],
  };
  return { query: print(merged), operationName, parts };
}

/**
 * The fetch's document, with every fragment renamed when one of them has the name of a
 * different fragment already taken (all of them, since fragments may spread each other).
 */
function renameFragments(document: DocumentNode, taken: ReadonlyMap<string, string>, index: number): DocumentNode {
  const clashes = [...fragmentsOf(document)].some(([name, definition]) => {
    const existing = taken.get(name);
    return existing !== undefined && existing !== print(definition);
  });
  if (!clashes) return document;
  const rename = <T extends { name: { value: string } }>(node: T) => ({ ...node, name: { ...node.name, value: `${node.name.value}_${index}` } });
  return visit(document, { FragmentDefinition: rename, FragmentSpread: rename });
}
