import type { QueryPlanSelectionNode } from '@apollo/query-planner';
import type { ResultObject } from './collectEntities.js';
import { mergeInto } from './mergeInto.js';

/** Whether an object of type `typename` matches the type condition `condition`. */
export type TypeMatcher = (condition: string, typename: unknown) => boolean;

/** Builds an entity's representation, or null when the entity lacks a required field. */
export type Projector = (entity: ResultObject) => ResultObject | null;

/**
 * A fetch's `requires` as a function: it picks from an entity what the subgraph needs to find it
 * (key fields, `__typename`, `@requires` fields), inside type conditions the entity matches.
 */
export function compileRequires(requires: readonly QueryPlanSelectionNode[], matches: TypeMatcher): Projector {
  const project = (selections: readonly QueryPlanSelectionNode[], source: ResultObject): ResultObject | null => {
    const result: ResultObject = {};
    for (const selection of selections) {
      if (selection.kind === 'InlineFragment') {
        if (!selection.typeCondition || !matches(selection.typeCondition, source.__typename)) continue;
        const inner = project(selection.selections, source);
        // A fragment whose fields are missing contributes nothing, as in Apollo Gateway.
        if (inner !== null) mergeInto(result, inner);
        continue;
      }
      const name = selection.alias ?? selection.name;
      const value = Object.hasOwn(source, name) ? source[name] : undefined;
      // A missing input means the fetch that should have given it failed: skip the entity.
      if (value === undefined) return null;
      result[name] = selection.selections ? projectValue(selection.selections, value) : value;
    }
    return result;
  };
  const projectValue = (selections: readonly QueryPlanSelectionNode[], value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((element) => projectValue(selections, element));
    if (value === null || typeof value !== 'object') return value === undefined ? null : value;
    return project(selections, value as ResultObject);
  };
  return (entity) => project(requires, entity);
}
