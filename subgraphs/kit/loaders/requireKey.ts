import { GraphQLError } from 'graphql';
import { defaultMaxKeyLength, unsendableKey } from './unsendableKey.js';

/**
 * Throws the loaders' refusal (BAD_USER_INPUT) for an id a loader would not send, so that an
 * argument used outside a loader (a subscription's filter, a stream request) is held to the same
 * rules before any work is done with it.
 */
export function requireKey(argument: string, key: string, maxLength = defaultMaxKeyLength): string {
  const refusal = unsendableKey(key, maxLength);
  if (refusal) throw new GraphQLError(`${argument}: ${refusal.message}`, { extensions: refusal.extensions });
  return key;
}
