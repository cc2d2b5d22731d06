import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/**
 * A graphql-codegen document transform (codegen.yml: `documentTransforms:` of the web client):
 * `__typename` on every selection set, in the generated documents and so in the persisted-documents
 * manifest. Apollo Client's cache needs it to normalise objects; it adds it to a document it sends
 * whole, but in production the client sends only a hash and the gateway runs the manifest's body,
 * which must therefore carry it already, or the two modes would fill the cache differently.
 */
export const transform = addTypenameSelectionDocumentTransform.transform;
