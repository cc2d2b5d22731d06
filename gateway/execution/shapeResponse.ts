import { GraphQLError, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema, type SelectionNode } from 'graphql';
import type { ResultObject } from './collectEntities.js';
import type { VariableValues } from './coercedVariablesOf.js';
import { compileShaping, FIELD, LEAF, LIST, NON_NULL, OBJECT, TYPENAME, type ShapedField, type ShapingProgram, type TypeStep } from './compileShaping.js';
import type { ShapingPrograms } from './createShapingPrograms.js';
import { fitsLeaf } from './leafCheckOf.js';
import { setOwnField } from './setOwnField.js';

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
  /** The cached plan's compiled programs for these selections; without them, a program is compiled for this call alone. */
  programs?: ShapingPrograms;
}

export interface Shaped {
  data: ResultObject | null;
  /** Values that do not fit the schema: non-null fields without a value, invalid leaves. */
  errors: GraphQLError[];
}

// A null that must move up to the nearest nullable parent.
const BUBBLE = Symbol('bubble');

/** One request's shaping: the errors, the path to the value being shaped, the nulls explained so far. */
class ShapingRun {
  readonly errors: GraphQLError[] = [];
  readonly path: (string | number)[] = [];
  // Nulls explained so far: by an error, or (a bad __typename) by nothing the client should see.
  explained = 0;
  constructor(
    readonly program: ShapingProgram,
    readonly introspect: (field: FieldNode) => unknown,
  ) {}

  report(message: string): void {
    this.explained += 1;
    this.errors.push(new GraphQLError(message, { path: [...this.path], extensions: { code: 'INVALID_GRAPHQL' } }));
  }

  describe(step: TypeStep): string {
    return step.atField ? step.text : step.text + String(this.path[this.path.length - 1]);
  }
}

/**
 * The client's response from what the fetches gathered, as Apollo Gateway computes it: only the
 * fields the operation asked for, in its order, with aliases, type conditions and skip/include
 * applied, `__typename` filled in, and nulls propagated up from non-null fields per the GraphQL
 * spec (each such null is reported once). The walk runs a compiled program (`compileShaping`):
 * per object, a loop over the fields its runtime type gets, no AST and no schema lookups.
 */
export function shapeResponse(input: ResultObject, options: ShapeOptions): Shaped {
  const program = options.programs
    ? options.programs.programFor(options)
    : compileShaping({
        schema: options.schema,
        selections: options.selections,
        fragments: options.fragments,
        variables: options.variables,
        typeNames: options.typeNames,
        withoutDeferred: options.withoutDeferred === true,
      });
  const run = new ShapingRun(program, options.introspect);
  const data: ResultObject = {};
  const ok = shapeFields(run, program.rootFields(options.rootType, input.__typename), input, data, true);
  return { data: ok ? data : null, errors: run.errors };
}

/** Fills `output` from `source`; false when a non-null field's null makes the object null. */
function shapeFields(run: ShapingRun, fields: readonly ShapedField[], source: ResultObject, output: ResultObject, fresh: boolean): boolean {
  for (let index = 0; index < fields.length; index += 1) {
    const field = fields[index]!;
    const name = field.responseName;
    // Own fields only: a plain object inherits `toString`, `constructor` and the like.
    const outputValue = fresh && field.first ? undefined : field.guarded ? (Object.hasOwn(output, name) ? output[name] : undefined) : output[name];
    if (field.kind === FIELD) {
      const inputValue = (field.guarded ? (Object.hasOwn(source, name) ? source[name] : undefined) : source[name]) ?? null;
      // Most fields are leaves with a valid value: copied here; a null or a bad value is explained by `complete`.
      const leaf = field.leaf;
      if (leaf !== undefined && outputValue === undefined && inputValue !== null && fitsLeaf(leaf, inputValue)) {
        if (field.guarded) setOwnField(output, name, inputValue);
        else output[name] = inputValue;
        continue;
      }
      run.path.push(name);
      const value = complete(run, outputValue, field.step!, inputValue);
      run.path.pop();
      if (value === BUBBLE) {
        set(output, field, null);
        return false;
      }
      if (field.guarded) setOwnField(output, name, value);
      else output[name] = value;
    } else if (field.kind === TYPENAME) {
      if (outputValue !== undefined) continue;
      let inputValue = (field.guarded ? (Object.hasOwn(source, name) ? source[name] : undefined) : source[name]) ?? null;
      if (inputValue === null && field.aliased) inputValue = source.__typename ?? null;
      const named = typeof inputValue === 'string' ? run.program.typenameAnswer(inputValue) : undefined;
      const answer = named === undefined ? field.parentTypename : named;
      // An interface name (from an @interfaceObject subgraph whose follow-up fetch failed) is no answer.
      if (answer === null) {
        run.explained += 1;
        return false;
      }
      set(output, field, answer);
    } else if (outputValue === undefined) set(output, field, run.introspect(field.node));
  }
  return true;
}

function set(output: ResultObject, field: ShapedField, value: unknown): void {
  if (field.guarded) setOwnField(output, field.responseName, value);
  else output[field.responseName] = value;
}

/**
 * The value of one field or list element; `BUBBLE` when it is null where the type is non-null,
 * so that the null moves up. Each null is explained by one error: a non-null field adds one
 * only if nothing below it already did.
 */
function complete(run: ShapingRun, outputValue: unknown, step: TypeStep, inputValue: unknown): unknown {
  if (outputValue === null || (outputValue !== undefined && !step.merges)) return outputValue;
  const kind = step.kind;
  if (kind === NON_NULL) {
    const before = run.explained;
    const value = complete(run, outputValue, step.of!, inputValue);
    if (value !== null && value !== BUBBLE) return value;
    if (run.explained === before) run.report(`Cannot return null for non-nullable ${run.describe(step.of!)}.`);
    return BUBBLE;
  }
  if (inputValue === null || inputValue === undefined) return null;
  if (kind === LEAF) {
    if (fitsLeaf(step.check!, inputValue)) return inputValue;
    run.report(`Invalid value found for ${run.describe(step)}.`);
    return null;
  }
  if (kind === OBJECT) {
    if (typeof inputValue !== 'object' || Array.isArray(inputValue)) {
      run.report(`Invalid non-object value found for ${run.describe(step)}.`);
      return null;
    }
    const object = inputValue as ResultObject;
    const typename = object.__typename;
    let fields: ShapedField[] | undefined;
    if (typeof typename === 'string' && typename !== '') {
      fields = run.program.typedFields(step, typename);
      // Not in the API schema (an @inaccessible type): null, without naming the type.
      if (!fields) {
        run.report(`Invalid __typename found for object at ${run.describe(step)}.`);
        return null;
      }
    } else fields = run.program.untypedFields(step);
    // Plain objects: V8 keeps them compact and serialises them fast; prototype-less objects
    // built key by key go to dictionary mode.
    const fresh = outputValue === undefined;
    const output = fresh ? {} : (outputValue as ResultObject);
    return shapeFields(run, fields, object, output, fresh) ? output : null;
  }
  if (kind !== LIST) return null;
  if (!Array.isArray(inputValue)) {
    run.report(`Invalid non-list value found for ${run.describe(step)}.`);
    return null;
  }
  const existing = Array.isArray(outputValue) ? outputValue : undefined;
  const of = step.of!;
  const length = inputValue.length;
  const list = new Array<unknown>(length);
  let nullify = false;
  run.path.push(0);
  const last = run.path.length - 1;
  for (let index = 0; index < length; index += 1) {
    run.path[last] = index;
    const value = complete(run, existing?.[index], of, inputValue[index] ?? null);
    if (value === BUBBLE) {
      nullify = true;
      list[index] = null;
    } else list[index] = value;
  }
  run.path.pop();
  return nullify ? null : list;
}
