// The response shaper as it was before step 34 (compiled shaping, `compileShaping`): it walks the
// operation's AST for every object. Kept only as the reference the compiled shaper is compared
// with (`shapeResponseCompiled.test.ts`); not used by the gateway.
import {
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import type { ResultObject } from '../../../../gateway/execution/collectEntities.js';
import type { VariableValues } from '../../../../gateway/execution/coercedVariablesOf.js';
import { fragmentOf } from '../../../../gateway/operation/fragmentOf.js';
import { isDeferred } from '../../../../gateway/operation/isDeferred.js';
import { isIncluded } from '../../../../gateway/operation/isIncluded.js';
import { setOwnField } from '../../../../gateway/execution/setOwnField.js';

type Path = (string | number)[];

export interface ShapeOptions {
  /** The API schema the operation was validated against. */
  schema: GraphQLSchema;
  selections: readonly SelectionNode[];
  rootType: GraphQLCompositeType;
  /** The document's fragments by name (`fragmentsOf`). */
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The request's coerced variables (`coercedVariablesOf`), the values authorization judged `@skip`/`@include` by. */
  variables: VariableValues;
  /** Answers a `__schema` or `__type` field, which no subgraph is asked for. */
  introspect: (field: FieldNode) => unknown;
  /**
   * Each type's name as the one-byte string `__typename` answers with (see `createNameInterner`);
   * a type missing here answers with `type.name`.
   */
  typeNames: ReadonlyMap<string, string>;
  /** Leaves out the fragments `@defer` delivers later (the first payload of a deferred answer). */
  withoutDeferred?: boolean;
}

export interface Shaped {
  data: ResultObject | null;
  /** Values that do not fit the schema: non-null fields without a value, invalid leaves. */
  errors: GraphQLError[];
}

const INTEGER = /^[+-]?\d+$/;
// A null that must move up to the nearest nullable parent.
const BUBBLE = Symbol('bubble');
const BUILT_IN_SCALARS = new Set(['Boolean', 'Int', 'Float', 'ID', 'String']);

/**
 * The client's response from what the fetches gathered, as Apollo Gateway computes it: only the
 * fields the operation asked for, in its order, with aliases, type conditions and skip/include
 * applied, `__typename` filled in, and nulls propagated up from non-null fields per the GraphQL
 * spec (each such null is reported once).
 */
export function referenceShapeResponse(input: ResultObject, options: ShapeOptions): Shaped {
  const { schema, fragments, variables, introspect, typeNames, withoutDeferred } = options;
  const errors: GraphQLError[] = [];
  const path: Path = [];
  // Nulls explained so far: by an error, or (a bad __typename) by nothing the client should see.
  let explained = 0;
  const report = (message: string) => {
    explained += 1;
    errors.push(new GraphQLError(message, { path: [...path], extensions: { code: 'INVALID_GRAPHQL' } }));
  };

  // Whether a fragment on `condition` applies to an object of type `typename`, worked out once per pair.
  const applies = new Map<string, Map<string, boolean>>();
  const conditionApplies = (condition: string | undefined, typename: unknown, parentType: GraphQLCompositeType): boolean => {
    if (condition === undefined) return true;
    const runtime = typeof typename === 'string' && typename !== '' ? typename : parentType.name;
    let byType = applies.get(condition);
    if (byType === undefined) applies.set(condition, (byType = new Map()));
    let answer = byType.get(runtime);
    if (answer === undefined) {
      const conditionType = schema.getType(condition);
      const type = schema.getType(runtime);
      answer = !!conditionType && isCompositeType(conditionType) && !!type && isCompositeType(type) && isSubtype(schema, conditionType, type);
      byType.set(runtime, answer);
    }
    return answer;
  };

  const description = (type: GraphQLOutputType, parentType: GraphQLCompositeType) => {
    const last = path[path.length - 1];
    return typeof last === 'string' ? `field ${parentType.name}.${last}` : `array element of type ${String(type)} at index ${String(last)}`;
  };

  /** Fills `output` from `source`; false when a non-null field's null makes the object null. */
  const applySelections = (source: ResultObject, selections: readonly SelectionNode[], output: ResultObject, parentType: GraphQLCompositeType): boolean => {
    for (const selection of selections) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const responseName = selection.alias?.value ?? name;
        // Own fields only: a plain object inherits `toString`, `constructor` and the like.
        const outputValue = Object.hasOwn(output, responseName) ? output[responseName] : undefined;
        if (name === '__schema' || name === '__type') {
          if (outputValue === undefined) setOwnField(output, responseName, introspect(selection));
          continue;
        }
        let inputValue = Object.hasOwn(source, responseName) ? (source[responseName] ?? null) : null;
        if (name === '__typename') {
          if (outputValue !== undefined) continue;
          if (inputValue === null && responseName !== '__typename') inputValue = source.__typename ?? null;
          const type = typeof inputValue === 'string' ? (schema.getType(inputValue) ?? parentType) : parentType;
          // An interface name (from an @interfaceObject subgraph whose follow-up fetch failed) is no answer.
          if (!isObjectType(type)) {
            explained += 1;
            return false;
          }
          setOwnField(output, responseName, typeNames.get(type.name) ?? type.name);
          continue;
        }
        if (isAbstractType(parentType) && !isInterfaceType(parentType)) continue;
        const field = parentType.getFields()[name];
        if (!field) continue;
        path.push(responseName);
        const value = complete(outputValue, field.type, inputValue, selection.selectionSet?.selections, parentType);
        path.pop();
        if (value === BUBBLE) {
          setOwnField(output, responseName, null);
          return false;
        }
        setOwnField(output, responseName, value);
        continue;
      }
      if (withoutDeferred && isDeferred(selection, variables)) continue;
      const fragment = fragmentOf(selection, fragments);
      if (!fragment) continue;
      const condition = fragment.typeCondition?.name.value;
      if (!conditionApplies(condition, source.__typename, parentType)) continue;
      const fragmentType = condition === undefined ? parentType : (schema.getType(condition) as GraphQLCompositeType);
      if (!applySelections(source, fragment.selectionSet.selections, output, fragmentType)) return false;
    }
    return true;
  };

  /**
   * The value of one field or list element; `BUBBLE` when it is null where the type is non-null,
   * so that the null moves up. Each null is explained by one error: a non-null field adds one
   * only if nothing below it already did.
   */
  const complete = (
    outputValue: unknown,
    type: GraphQLOutputType,
    inputValue: unknown,
    selections: readonly SelectionNode[] | undefined,
    parentType: GraphQLCompositeType,
  ): unknown => {
    if (outputValue === null || (outputValue !== undefined && !selections)) return outputValue;
    if (isNonNullType(type)) {
      const before = explained;
      const value = complete(outputValue, type.ofType, inputValue, selections, parentType);
      if (value !== null && value !== BUBBLE) return value;
      if (explained === before) report(`Cannot return null for non-nullable ${description(type.ofType, parentType)}.`);
      return BUBBLE;
    }
    if (inputValue === null || inputValue === undefined) return null;
    if (isListType(type)) {
      if (!Array.isArray(inputValue)) {
        report(`Invalid non-list value found for ${description(type, parentType)}.`);
        return null;
      }
      const existing = Array.isArray(outputValue) ? outputValue : undefined;
      let nullify = false;
      const list = new Array<unknown>(inputValue.length);
      for (let index = 0; index < inputValue.length; index += 1) {
        path.push(index);
        const value = complete(existing?.[index], type.ofType, inputValue[index] ?? null, selections, parentType);
        path.pop();
        if (value === BUBBLE) nullify = true;
        list[index] = value === BUBBLE ? null : value;
      }
      return nullify ? null : list;
    }
    if (isCompositeType(type)) {
      if (typeof inputValue !== 'object' || Array.isArray(inputValue)) {
        report(`Invalid non-object value found for ${description(type, parentType)}.`);
        return null;
      }
      const object = inputValue as ResultObject;
      let objectType: GraphQLCompositeType = type;
      const typename = object.__typename;
      if (typeof typename === 'string' && typename !== '') {
        const named = schema.getType(typename);
        // Not in the API schema (an @inaccessible type): null, without naming the type.
        if (!named || !isCompositeType(named)) {
          report(`Invalid __typename found for object at ${description(type, parentType)}.`);
          return null;
        }
        objectType = named;
      }
      // Plain objects: V8 keeps them compact and serialises them fast; prototype-less objects
      // built key by key go to dictionary mode.
      const output = (outputValue as ResultObject | undefined) ?? {};
      return applySelections(object, selections ?? [], output, objectType) ? output : null;
    }
    if (isValidLeaf(inputValue, type)) return inputValue;
    report(`Invalid value found for ${description(type, parentType)}.`);
    return null;
  };

  const data: ResultObject = {};
  const ok = applySelections(input, options.selections, data, options.rootType);
  return { data: ok ? data : null, errors };
}

function isSubtype(schema: GraphQLSchema, type: GraphQLCompositeType, maybeSubtype: GraphQLCompositeType): boolean {
  if (type === maybeSubtype) return true;
  return isAbstractType(type) && (isObjectType(maybeSubtype) || isInterfaceType(maybeSubtype)) && schema.isSubType(type, maybeSubtype);
}

/** Whether a scalar or enum value fits its type; custom scalars take anything. */
function isValidLeaf(value: unknown, type: GraphQLOutputType): boolean {
  if (isEnumType(type)) return typeof value === 'string' && type.getValue(value) !== undefined;
  const name = isScalarType(type) ? type.name : '';
  switch (typeof value) {
    case 'boolean':
      return name === 'Boolean' || !BUILT_IN_SCALARS.has(name);
    case 'number':
      if (!Number.isFinite(value)) return !BUILT_IN_SCALARS.has(name);
      // A safe integer prints as digits: the common case skips the string and the pattern.
      if (name === 'Int' || name === 'ID') return Number.isSafeInteger(value) || INTEGER.test(String(value));
      return name === 'Float' || !BUILT_IN_SCALARS.has(name);
    case 'string':
      return name !== 'Boolean' && name !== 'Int' && name !== 'Float';
    default:
      return !BUILT_IN_SCALARS.has(name);
  }
}
