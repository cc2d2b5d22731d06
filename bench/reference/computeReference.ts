import { execute, parse } from 'graphql';
import { referenceRoot, referenceSchema } from './referenceSchema.js';

/** The `data` a correct gateway answers to `query`, computed without federation. */
export async function computeReference(query: string): Promise<Record<string, unknown>> {
  const result = await execute({ schema: referenceSchema, document: parse(query), rootValue: referenceRoot });
  if (result.errors?.length || !result.data) {
    throw new Error(`the reference schema cannot answer the query: ${result.errors?.map((e) => e.message).join('; ')}`);
  }
  // A plain JSON value, as it would arrive over HTTP (graphql-js builds null-prototype objects).
  return JSON.parse(JSON.stringify(result.data)) as Record<string, unknown>;
}
