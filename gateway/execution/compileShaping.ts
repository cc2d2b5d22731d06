import {
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import type { VariableValues } from './coercedVariablesOf.js';
import { leafCheckOf, type LeafCheck } from './leafCheckOf.js';
import { fragmentOf } from '../operation/fragmentOf.js';
import { isDeferred } from '../operation/isDeferred.js';
import { isIncluded } from '../operation/isIncluded.js';

/** What one entry of an object's field list does. */
export const FIELD = 0;
export const TYPENAME = 1;
export const INTROSPECTION = 2;

/** What one step of a field's type does with its value. */
export const NON_NULL = 0;
export const LIST = 1;
export const OBJECT = 2;
export const LEAF = 3;

// Names a plain object inherits (`toString`, `constructor`, `__proto__`...): a response name
// among them is read with `Object.hasOwn` and written with `setOwnField`; any other name cannot
// reach the prototype, so it is read and written directly.
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));
// The runtime type of a root object whose `__typename` names no composite type of the schema:
// not a GraphQL name, so no type condition applies to it, as to any unknown name.
const UNKNOWN_TYPE = ' unknown';

export interface ShapingSource {
  /** The API schema the operation was validated against. */
  schema: GraphQLSchema;
  selections: readonly SelectionNode[];
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Only what `@skip`, `@include` and `@defer` read: the program is valid for requests that agree on these. */
  variables: VariableValues;
  typeNames: ReadonlyMap<string, string>;
  withoutDeferred?: boolean;
}

/** One step of a field's type, from the field's own type down to its named type. */
export class TypeStep {
  /** The per-runtime-type field lists of an object step, compiled on first use. */
  untyped: ShapedField[] | undefined = undefined;
  readonly typed = new Map<string, ShapedField[]>();
  constructor(
    readonly kind: number,
    readonly of: TypeStep | undefined,
    /** Whether the field has a selection set: a value already in the output is merged into, else kept. */
    readonly merges: boolean,
    /** Whether the value is the field's own (the path ends with its name), not a list element's. */
    readonly atField: boolean,
    /** How an error names the value: `field T.name`, or the start of `array element of type T at index i`. */
    readonly text: string,
    readonly check: LeafCheck | undefined,
    readonly type: GraphQLCompositeType | undefined,
    readonly selections: readonly SelectionNode[],
  ) {}
}

/** One field of an object's answer, in the operation's order, with its fragments flattened. */
export class ShapedField {
  constructor(
    readonly kind: number,
    readonly responseName: string,
    /** Named like a member of `Object.prototype`: read through `Object.hasOwn`, written by `setOwnField`. */
    readonly guarded: boolean,
    /** No entry before it in its list sets this response name: in a new object it is not set yet. */
    readonly first: boolean,
    /** A field's type, step by step (FIELD). */
    readonly step: TypeStep | undefined,
    /** The check of a leaf field's values (its type a scalar or enum, or a non-null one), for the common case copied in place. */
    readonly leaf: LeafCheck | undefined,
    /** `__typename`'s answer when the value names no type: the parent's name, or null if it is no object type. */
    readonly parentTypename: string | null,
    /** `__typename` under an alias (read from the object's own `__typename` when the alias is missing). */
    readonly aliased: boolean,
    /** The field node, for `introspect` (INTROSPECTION). */
    readonly node: FieldNode,
  ) {}
}

/**
 * An operation's response shaping, compiled (as graphql-jit compiles execution): for each
 * selection set and runtime type, the list of fields to copy, with fragments, type conditions,
 * `@skip`/`@include` (and, for a first payload, `@defer`) decided once, each field's type
 * unwrapped into steps with its leaf check, and the text of its errors. Lists are compiled on
 * first use, per runtime type the answers show, so a program grows to at most the selection
 * sets times the schema's composite types. Valid for one schema, one operation and the values
 * `source.variables` gives the directives' variables (see `createShapingPrograms`).
 */
export class ShapingProgram {
  private readonly roots = new Map<GraphQLCompositeType, TypeStep>();
  private readonly rootTyped = new Map<GraphQLCompositeType, Map<string, ShapedField[]>>();
  private readonly answers = new Map<string, string | null>();
  readonly schema: GraphQLSchema;
  readonly typeNames: ReadonlyMap<string, string>;
  private readonly source: ShapingSource;

  constructor(source: ShapingSource) {
    this.source = source;
    this.schema = source.schema;
    this.typeNames = source.typeNames;
  }

  /**
   * The root object's fields. Its type is the operation's (a part's) root type whatever its
   * `__typename` says; a `__typename` only decides which type conditions apply.
   */
  rootFields(rootType: GraphQLCompositeType, typename: unknown): ShapedField[] {
    if (typeof typename !== 'string' || typename === '') {
      let root = this.roots.get(rootType);
      if (!root) this.roots.set(rootType, (root = new TypeStep(OBJECT, undefined, true, true, '', undefined, rootType, this.source.selections)));
      return (root.untyped ??= this.flatten(this.source.selections, rootType, null));
    }
    let byName = this.rootTyped.get(rootType);
    if (!byName) this.rootTyped.set(rootType, (byName = new Map()));
    const runtime = this.compositeType(typename) ? typename : UNKNOWN_TYPE;
    let fields = byName.get(runtime);
    if (!fields) byName.set(runtime, (fields = this.flatten(this.source.selections, rootType, runtime)));
    return fields;
  }

  /** An object step's fields for an object with this `__typename`; undefined when it names no composite type. */
  typedFields(step: TypeStep, typename: string): ShapedField[] | undefined {
    let fields = step.typed.get(typename);
    if (fields) return fields;
    const type = this.compositeType(typename);
    if (!type) return undefined;
    fields = this.flatten(step.selections, type, typename);
    step.typed.set(typename, fields);
    return fields;
  }

  /** An object step's fields for an object without `__typename`: the field's type's. */
  untypedFields(step: TypeStep): ShapedField[] {
    return (step.untyped ??= this.flatten(step.selections, step.type!, null));
  }

  /** What `__typename` answers for a value naming a type: its one-byte name, null if no object type, undefined if none. */
  typenameAnswer(name: string): string | null | undefined {
    const known = this.answers.get(name);
    if (known !== undefined) return known;
    const type = this.schema.getType(name);
    // Only names of the schema are remembered: a subgraph's data cannot grow the program.
    if (!type) return undefined;
    const answer = isObjectType(type) ? (this.typeNames.get(type.name) ?? type.name) : null;
    this.answers.set(name, answer);
    return answer;
  }

  private compositeType(name: string): GraphQLCompositeType | undefined {
    const type = this.schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  }

  /**
   * The fields a selection set copies for an object, in order, fragments flattened: `runtime`
   * is the object's type name when it has one, else null (then each fragment level's own type
   * stands for it, as the uncompiled shaper had it).
   */
  private flatten(selections: readonly SelectionNode[], parentType: GraphQLCompositeType, runtime: string | null): ShapedField[] {
    const fields: ShapedField[] = [];
    this.collect(selections, parentType, runtime, fields, new Set());
    return fields;
  }

  private collect(
    selections: readonly SelectionNode[],
    parentType: GraphQLCompositeType,
    runtime: string | null,
    into: ShapedField[],
    seen: Set<string>,
  ): void {
    const { variables, fragments, withoutDeferred } = this.source;
    for (const selection of selections) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const responseName = selection.alias?.value ?? name;
        const first = !seen.has(responseName);
        const guarded = INHERITED.has(responseName);
        if (name === '__schema' || name === '__type') {
          seen.add(responseName);
          into.push(new ShapedField(INTROSPECTION, responseName, guarded, first, undefined, undefined, null, false, selection));
          continue;
        }
        if (name === '__typename') {
          seen.add(responseName);
          const parent = isObjectType(parentType) ? (this.typeNames.get(parentType.name) ?? parentType.name) : null;
          into.push(new ShapedField(TYPENAME, responseName, guarded, first, undefined, undefined, parent, responseName !== '__typename', selection));
          continue;
        }
        if (isAbstractType(parentType) && !isInterfaceType(parentType)) continue;
        const field = parentType.getFields()[name];
        if (!field) continue;
        seen.add(responseName);
        const step = this.stepOf(field.type, selection.selectionSet?.selections, true, `field ${parentType.name}.${responseName}`);
        const leaf = step.kind === LEAF ? step.check : step.kind === NON_NULL && step.of!.kind === LEAF ? step.of!.check : undefined;
        into.push(new ShapedField(FIELD, responseName, guarded, first, step, leaf, null, false, selection));
        continue;
      }
      if (withoutDeferred && isDeferred(selection, variables)) continue;
      const fragment = fragmentOf(selection, fragments);
      if (!fragment) continue;
      const condition = fragment.typeCondition?.name.value;
      if (condition !== undefined && !this.applies(condition, runtime ?? parentType.name)) continue;
      const fragmentType = condition === undefined ? parentType : (this.schema.getType(condition) as GraphQLCompositeType);
      this.collect(fragment.selectionSet.selections, fragmentType, runtime, into, seen);
    }
  }

  // Whether a fragment on `condition` applies to an object of type `runtime`.
  private applies(condition: string, runtime: string): boolean {
    const conditionType = this.compositeType(condition);
    const type = this.compositeType(runtime);
    if (!conditionType || !type) return false;
    if (conditionType === type) return true;
    return isAbstractType(conditionType) && (isObjectType(type) || isInterfaceType(type)) && this.schema.isSubType(conditionType, type);
  }

  private stepOf(type: GraphQLOutputType, selections: readonly SelectionNode[] | undefined, atField: boolean, fieldText: string): TypeStep {
    const merges = selections !== undefined;
    const text = atField ? fieldText : `array element of type ${String(type)} at index `;
    if (isNonNullType(type)) {
      const of = this.stepOf(type.ofType, selections, atField, fieldText);
      return new TypeStep(NON_NULL, of, merges, atField, of.text, undefined, undefined, []);
    }
    if (isListType(type)) return new TypeStep(LIST, this.stepOf(type.ofType, selections, false, fieldText), merges, atField, text, undefined, undefined, []);
    if (isCompositeType(type)) return new TypeStep(OBJECT, undefined, merges, atField, text, undefined, type, selections ?? []);
    return new TypeStep(LEAF, undefined, merges, atField, text, leafCheckOf(type), undefined, []);
  }
}

/** A shaping program for these options (see `ShapingProgram`); `createShapingPrograms` keeps them. */
export function compileShaping(source: ShapingSource): ShapingProgram {
  return new ShapingProgram(source);
}
