import { print, visit, type DocumentNode } from 'graphql';

/**
 * The document as the operation record keeps it: every string literal `""`, every number `0`
 * (`0.0` for a float), printed in GraphQL's own layout. `portico check` needs the document's
 * shape, not the values a client inlined (an e-mail address, a token), which would otherwise be
 * served at `/operations` and kept for a week in Redis; and documents that differ only in their
 * literals or layout become one record. Each placeholder keeps its literal's kind, so that an
 * argument whose type changes still reads as changed; enum values, booleans, null and variables
 * are the schema's or the client's shape, and stay.
 */
export function blankLiterals(document: DocumentNode): string {
  return print(
    visit(document, {
      StringValue: (node) => ({ ...node, value: '', block: false }),
      IntValue: (node) => ({ ...node, value: '0' }),
      FloatValue: (node) => ({ ...node, value: '0.0' }),
    }),
  );
}
