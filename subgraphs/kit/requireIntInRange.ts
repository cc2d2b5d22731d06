import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';

/** Refuses an argument outside [min, max] with BAD_USER_INPUT naming the argument and range. */
export function requireIntInRange(argument: string, value: number, min: number, max: number): number {
  if (value < min || value > max) {
    throw new GraphQLError(`${argument} must be from ${min} to ${max} (got ${value}).`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, argument },
    });
  }
  return value;
}
