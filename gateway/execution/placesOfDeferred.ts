import {
  getNamedType,
  isCompositeType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import { fragmentOf } from '../operation/fragmentOf.js';
import type { ResultObject } from './collectEntities.js';

/** One place a deferred part is delivered at: its response path, the object the client has there, and the fetched one. */
export interface DeferredPlace {
  path: (string | number)[];
  delivered: ResultObject;
  fetched: ResultObject;
}

const TYPED = '... on ';

/**
 * Where a deferred part goes: every object at its `queryPath` (response names, and `... on T`
 * for a typed fragment) in what the client has been sent so far, one place per list element,
 * with the fetched object there (whose `__typename` decides typed steps). A place nulled in the
 * response (by an error, or a non-null field's null) gets nothing: the client has nothing there
 * to merge into. Only own keys are followed: path steps are the client's aliases.
 */
export function placesOfDeferred(
  delivered: unknown,
  fetched: unknown,
  queryPath: readonly string[],
  isA: (typename: string, condition: string) => boolean,
): DeferredPlace[] {
  const places: DeferredPlace[] = [];
  const walk = (shown: unknown, raw: unknown, at: number, path: (string | number)[]): void => {
    if (typeof shown !== 'object' || shown === null) return;
    if (Array.isArray(shown)) {
      for (let index = 0; index < shown.length; index += 1) walk(shown[index], Array.isArray(raw) ? raw[index] : undefined, at, [...path, index]);
      return;
    }
    const rawObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as ResultObject) : undefined;
    if (at === queryPath.length) {
      places.push({ path, delivered: shown as ResultObject, fetched: rawObject ?? Object.create(null) });
      return;
    }
    const step = queryPath[at]!;
    if (step.startsWith(TYPED)) {
      const typename = rawObject?.__typename ?? (shown as ResultObject).__typename;
      if (typeof typename === 'string' && !isA(typename, step.slice(TYPED.length))) return;
      walk(shown, raw, at + 1, path);
      return;
    }
    if (!Object.hasOwn(shown, step)) return;
    walk((shown as ResultObject)[step], rawObject && Object.hasOwn(rawObject, step) ? rawObject[step] : undefined, at + 1, [...path, step]);
  };
  walk(delivered, fetched, 0, []);
  return places;
}

/**
 * The type a deferred part's subselection applies to, from the operation: the field each
 * response name of `queryPath` selects (looked for through fragments, deferred ones included),
 * or the type a `... on T` step names. Undefined when the path leads nowhere known.
 */
export function typeAtQueryPath(
  schema: GraphQLSchema,
  root: GraphQLCompositeType,
  selections: readonly SelectionNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  queryPath: readonly string[],
): GraphQLCompositeType | undefined {
  let type: GraphQLCompositeType = root;
  let sets: (readonly SelectionNode[])[] = [selections];
  for (const step of queryPath) {
    if (step.startsWith(TYPED)) {
      const named = schema.getType(step.slice(TYPED.length));
      if (!named || !isCompositeType(named)) return undefined;
      type = named;
      continue;
    }
    const found: { field: FieldNode; parent: GraphQLCompositeType }[] = [];
    // Bounded by the document limits (maxExpandedFields); a fragment cycle was refused by validation.
    const collect = (set: readonly SelectionNode[], parent: GraphQLCompositeType, depth: number): void => {
      if (depth > 64) return;
      for (const selection of set) {
        if (selection.kind === Kind.FIELD) {
          if ((selection.alias?.value ?? selection.name.value) === step) found.push({ field: selection, parent });
          continue;
        }
        const fragment = fragmentOf(selection, fragments);
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        collect(fragment.selectionSet.selections, condition && isCompositeType(condition) ? condition : parent, depth + 1);
      }
    };
    for (const set of sets) collect(set, type, 0);
    const first = found.find(({ field, parent }) => !isObjectType(parent) || Object.hasOwn(parent.getFields(), field.name.value)) ?? found[0];
    if (!first || !('getFields' in first.parent)) return undefined;
    const definition = first.parent.getFields()[first.field.name.value];
    const next = definition ? getNamedType(definition.type) : undefined;
    if (!next || !isCompositeType(next)) return undefined;
    type = next;
    sets = found.flatMap(({ field }) => (field.selectionSet ? [field.selectionSet.selections] : []));
  }
  return type;
}
