import { isEnumType, isScalarType, type GraphQLOutputType } from 'graphql';

/**
 * How a leaf type's values are checked, chosen once per field when shaping is compiled
 * (`compileShaping`) rather than worked out from the type for every value: built-in scalars by
 * their JSON type (an `Int` or `ID` number must print as an integer), enums by their value names,
 * custom scalars not at all. A code and a switch rather than a closure per type: the check runs
 * for every leaf of every answer, and a call through many closures is never inlined.
 */
export interface LeafCheck {
  readonly kind: number;
  /** An enum's value names. */
  readonly names: ReadonlySet<string> | undefined;
}

const ANYTHING = 0;
const BOOLEAN = 1;
const INT = 2;
const ID = 3;
const FLOAT = 4;
const STRING = 5;
const ENUM = 6;

const INTEGER = /^[+-]?\d+$/;
const BY_SCALAR: Readonly<Record<string, number>> = { Boolean: BOOLEAN, Int: INT, ID, Float: FLOAT, String: STRING };

export function leafCheckOf(type: GraphQLOutputType): LeafCheck {
  if (isEnumType(type)) return { kind: ENUM, names: new Set(type.getValues().map((value) => value.name)) };
  const name = isScalarType(type) ? type.name : '';
  return { kind: Object.hasOwn(BY_SCALAR, name) ? BY_SCALAR[name]! : ANYTHING, names: undefined };
}

/** Whether a value (never null) fits its leaf type. */
export function fitsLeaf(check: LeafCheck, value: unknown): boolean {
  switch (check.kind) {
    case STRING:
      return typeof value === 'string';
    case INT:
      return typeof value === 'number' && isInteger(value);
    case ID:
      return typeof value === 'string' || (typeof value === 'number' && isInteger(value));
    case FLOAT:
      return typeof value === 'number' && Number.isFinite(value);
    case BOOLEAN:
      return typeof value === 'boolean';
    case ENUM:
      return typeof value === 'string' && check.names!.has(value);
    default:
      return true;
  }
}

// A safe integer prints as digits: the common case skips the string and the pattern.
function isInteger(value: number): boolean {
  return Number.isSafeInteger(value) || (Number.isFinite(value) && INTEGER.test(String(value)));
}
