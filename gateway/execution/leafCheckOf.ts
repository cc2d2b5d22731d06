import { isEnumType, isScalarType, type GraphQLOutputType } from 'graphql';

/** Whether a value (never null) fits a leaf type. */
export type LeafCheck = (value: unknown) => boolean;

const INTEGER = /^[+-]?\d+$/;

// A safe integer prints as digits: the common case skips the string and the pattern.
const isInteger = (value: number) => Number.isSafeInteger(value) || INTEGER.test(String(value));
const isBoolean: LeafCheck = (value) => typeof value === 'boolean';
const isInt: LeafCheck = (value) => typeof value === 'number' && Number.isFinite(value) && isInteger(value);
const isId: LeafCheck = (value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value) && isInteger(value));
const isFloat: LeafCheck = (value) => typeof value === 'number' && Number.isFinite(value);
const isString: LeafCheck = (value) => typeof value === 'string';
// Custom scalars take anything.
const isAnything: LeafCheck = () => true;

/**
 * The check of a scalar or enum type's values, chosen once per field when shaping is compiled
 * (`compileShaping`) rather than worked out from the type for every value: built-in scalars by
 * their JSON type (an `Int` or `ID` number must print as an integer), enums by their value names.
 */
export function leafCheckOf(type: GraphQLOutputType): LeafCheck {
  if (isEnumType(type)) {
    const names = new Set(type.getValues().map((value) => value.name));
    return (value) => typeof value === 'string' && names.has(value);
  }
  switch (isScalarType(type) ? type.name : '') {
    case 'Boolean':
      return isBoolean;
    case 'Int':
      return isInt;
    case 'ID':
      return isId;
    case 'Float':
      return isFloat;
    case 'String':
      return isString;
    default:
      return isAnything;
  }
}
