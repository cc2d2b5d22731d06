import type { DocumentNode } from 'graphql';
import * as generated from '../generated/graphql';

/**
 * Operation name → sha256 of its document, as codegen wrote it into each generated document
 * (`__meta__.hash`) and into persisted-documents.json, the gateway's manifest. Looked up by
 * name because Apollo Client hands links its own transformed copy of a document, without
 * `__meta__`; operation names are unique across the app (codegen refuses duplicates).
 */
const hashByOperation = new Map<string, string>();
for (const value of Object.values(generated) as unknown[]) {
  const document = value as (DocumentNode & { __meta__?: { hash?: unknown } }) | null;
  const hash = document?.__meta__?.hash;
  if (typeof hash !== 'string' || document?.kind !== 'Document') continue;
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition' && definition.name) hashByOperation.set(definition.name.value, hash);
  }
}

/** The manifest id of the operation `document` runs; throws for one codegen has not seen (run `npm run codegen`). */
export function persistedHashOf(document: DocumentNode): string {
  const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition');
  const name = operation?.kind === 'OperationDefinition' ? operation.name?.value : undefined;
  const hash = name === undefined ? undefined : hashByOperation.get(name);
  if (hash === undefined) throw new Error(`operation ${name ?? '(anonymous)'} is not in the persisted documents; run npm run codegen`);
  return hash;
}
