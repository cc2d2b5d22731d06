import { isInterfaceType, isObjectType, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { deprecatedFieldsOf } from '../../gateway/metrics/deprecatedFieldsOf.js';
import type { AffectedOperation } from './CheckReport.js';
import type { KnownOperation } from './knownOperations.js';

/** One `@deprecated` field of the API schema, with the known operations that still select it. */
export interface DeprecatedFieldUsage {
  /** `Type.field`. */
  field: string;
  reason: string;
  /** Every known operation that selects it (the most recently seen first; manifest operations last). */
  usedBy: AffectedOperation[];
  /** The latest `lastSeen` among them; null when no seen operation selects it. */
  lastSeen: string | null;
}

/**
 * `portico usage`'s report, version 1 of a stable shape (fields may be added, none renamed):
 * every deprecated field, and who still uses it. A field no known operation uses is safe to
 * remove as far as the gateway can tell.
 */
export interface UsageReport {
  version: 1;
  fields: DeprecatedFieldUsage[];
  operations: { manifest: number; seen: number; unchecked: number };
}

/** The deprecated fields of `schema` and the known operations that select each (the same walk the gateway's deprecation metric uses). */
export function deprecatedFieldUsage(schema: GraphQLSchema, operations: readonly KnownOperation[]): UsageReport {
  const fields = new Map<string, DeprecatedFieldUsage>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.deprecationReason != null)
        fields.set(`${type.name}.${field.name}`, { field: `${type.name}.${field.name}`, reason: field.deprecationReason, usedBy: [], lastSeen: null });
    }
  }
  let unchecked = 0;
  for (const [index, operation] of operations.entries()) {
    let document: ReturnType<typeof parse> | null = null;
    try {
      if (operation.document !== null) document = parse(operation.document);
    } catch {
      // Counted below, as an operation without its text is.
    }
    if (document === null) {
      unchecked += 1;
      continue;
    }
    const { document: _text, ...named } = operation;
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const name of deprecatedFieldsOf(schema, document, definition as OperationDefinitionNode, `usage:${index}:${definition.name?.value ?? ''}`)) {
        const usage = fields.get(name);
        if (!usage) continue;
        usage.usedBy.push(named);
        if (named.lastSeen && (usage.lastSeen === null || named.lastSeen > usage.lastSeen)) usage.lastSeen = named.lastSeen;
      }
    }
  }
  const byRecency = (a: AffectedOperation, b: AffectedOperation) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '');
  return {
    version: 1,
    fields: [...fields.values()].map((usage) => ({ ...usage, usedBy: usage.usedBy.sort(byRecency) })).sort((a, b) => a.field.localeCompare(b.field)),
    operations: {
      manifest: operations.filter((operation) => operation.source === 'manifest').length,
      seen: operations.filter((operation) => operation.source === 'seen').length,
      unchecked,
    },
  };
}

/** The report as a person reads it. */
export function formatUsageReport(report: UsageReport): string {
  const { manifest, seen, unchecked } = report.operations;
  const lines = [
    `Deprecated fields, by use among ${manifest} manifest operation(s) and ${seen} operation(s) the gateway has seen${unchecked > 0 ? ` (${unchecked} could not be checked)` : ''}:`,
  ];
  if (report.fields.length === 0) lines.push('', 'The API schema has no deprecated field.');
  for (const usage of report.fields) {
    lines.push('', `${usage.field}  (deprecated: ${usage.reason})`);
    if (usage.usedBy.length === 0) lines.push('  unused: no known operation selects it; safe to remove as far as the gateway can tell');
    for (const user of usage.usedBy) {
      const name = user.name ?? '(anonymous operation)';
      lines.push(
        user.source === 'manifest'
          ? `  ${name}  (trusted documents: ${user.client})`
          : `  ${name}  (client ${user.client || '(unnamed)'}${user.clientVersion ? ` ${user.clientVersion}` : ''}, seen ${user.count ?? 0}×, last ${user.lastSeen ?? '?'})`,
      );
    }
  }
  return lines.join('\n');
}
