import type { CompositionProblem } from '../compose/composeSupergraph.js';
import type { KnownOperation } from './knownOperations.js';

/** An operation a change affects, as the report names it (no document text). */
export type AffectedOperation = Omit<KnownOperation, 'document'>;

/** One difference between the current API schema and the proposed one. */
export interface SchemaChange {
  level: 'breaking' | 'dangerous' | 'safe';
  /** graphql-inspector's change type, such as `FIELD_REMOVED`. */
  type: string;
  /** The schema coordinate, such as `Product.price`; null for a schema-wide change. */
  path: string | null;
  message: string;
  /** The known operations that depend on what changed (for a breaking change: the ones it breaks). */
  affectedOperations: AffectedOperation[];
}

/**
 * What `portico check --format json` prints: version 1 of a stable shape (fields may be added,
 * none renamed or removed). `exitCode` is the process's: 1 when composition fails or a breaking
 * change affects a known operation, else 0.
 */
export interface CheckReport {
  version: 1;
  subgraph: string;
  schemaFile: string;
  composition: { ok: true } | { ok: false; errors: CompositionProblem[] };
  changes: SchemaChange[];
  operations: {
    /** Operations from trusted-document manifests. */
    manifest: number;
    /** Operations the gateway has seen. */
    seen: number;
    /** Known operations that could not be checked: recorded without their text, or not parsable. */
    unchecked: number;
  };
  summary: { breaking: number; dangerous: number; safe: number; breakingInUse: number };
  exitCode: 0 | 1;
}
