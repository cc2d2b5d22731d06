import { formatProblems } from '../compose/composeSupergraph.js';
import type { AffectedOperation, CheckReport } from './CheckReport.js';

/** The report as a person reads it in a terminal or a CI log. */
export function formatCheckReport(report: CheckReport): string {
  const lines: string[] = [];
  if (!report.composition.ok) {
    lines.push(formatProblems('error', report.composition.errors), '');
    lines.push(
      `composition failed with ${report.composition.errors.length} error(s): ${report.subgraph} from ${report.schemaFile} does not compose with the other subgraphs.`,
    );
    return lines.join('\n');
  }
  const { operations, summary } = report;
  lines.push(
    `Checked ${report.subgraph} from ${report.schemaFile} against ${operations.manifest} manifest operation(s) and ${operations.seen} operation(s) the gateway has seen` +
      (operations.unchecked > 0 ? ` (${operations.unchecked} could not be checked: recorded without their text, or not parsable).` : '.'),
  );
  if (report.changes.length === 0) {
    lines.push('', 'No change to the API schema.');
    return lines.join('\n');
  }
  for (const level of ['breaking', 'dangerous', 'safe'] as const) {
    const changes = report.changes.filter((change) => change.level === level);
    if (changes.length === 0) continue;
    lines.push('', `${level.toUpperCase()} (${changes.length})`);
    for (const change of changes) {
      lines.push(`  ${change.type}  ${change.path ?? ''}  ${change.message}`.trimEnd());
      for (const operation of change.affectedOperations) lines.push(`      used by ${describe(operation)}`);
      if (level === 'breaking' && change.affectedOperations.length === 0) lines.push('      no known operation uses it');
    }
  }
  lines.push('');
  if (summary.breakingInUse > 0) {
    lines.push(`FAIL: ${summary.breakingInUse} breaking change(s) would break known client operations.`);
  } else if (summary.breaking > 0) {
    lines.push(
      `PASS: ${summary.breaking} breaking change(s), but no known operation uses what they change (clients the gateway has not seen, and operations past operationRecording.maxOperations, are not known).`,
    );
  } else {
    lines.push('PASS: no breaking change.');
  }
  return lines.join('\n');
}

function describe(operation: AffectedOperation): string {
  const name = operation.name ?? '(anonymous operation)';
  if (operation.source === 'manifest') return `${name}  (trusted documents: ${operation.client})`;
  const client = operation.client === '' ? 'unnamed client' : `client ${operation.client}${operation.clientVersion ? ` ${operation.clientVersion}` : ''}`;
  return `${name}  (${client}, seen ${operation.count ?? 0}×, last ${operation.lastSeen ?? '?'})`;
}
