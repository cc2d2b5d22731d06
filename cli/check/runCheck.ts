import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse, Source } from 'graphql';
import { composeSupergraph } from '../compose/composeSupergraph.js';
import { readSupergraphConfig } from '../compose/readSupergraphConfig.js';
import { apiSchemaOf } from './apiSchemaOf.js';
import type { CheckReport } from './CheckReport.js';
import { CheckUsageError } from './CheckUsageError.js';
import { classifyChanges } from './classifyChanges.js';
import type { KnownOperation } from './knownOperations.js';

export interface CheckInputs {
  subgraph: string;
  /** The proposed SDL of that subgraph. */
  schemaFile: string;
  /** The subgraph list (`schema/supergraph.yaml`). */
  supergraphConfig: string;
  /** The supergraph being served now (`schema/supergraph.graphql`): what clients rely on. */
  currentSupergraph: string;
  /** Every known client operation (manifests, operations the gateway has seen). */
  operations: readonly KnownOperation[];
}

/**
 * `portico check`'s work: composes the supergraph with one subgraph's SDL replaced, diffs the
 * API schema against the one served now, and names the known operations each change affects.
 * Throws `CheckUsageError` for a mistake in the inputs; a failed composition is a report.
 */
export async function runCheck(inputs: CheckInputs): Promise<CheckReport> {
  let config: ReturnType<typeof readSupergraphConfig>;
  try {
    config = readSupergraphConfig(inputs.supergraphConfig);
  } catch (error) {
    throw new CheckUsageError((error as Error).message);
  }
  const names = config.subgraphs.map((subgraph) => subgraph.name);
  if (!names.includes(inputs.subgraph)) {
    throw new CheckUsageError(`unknown subgraph "${inputs.subgraph}"; ${relative(process.cwd(), config.file)} lists ${names.join(', ')}`);
  }
  let sdl: string;
  try {
    sdl = readFileSync(inputs.schemaFile, 'utf8');
  } catch (error) {
    throw new CheckUsageError(`cannot read --schema ${inputs.schemaFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    parse(new Source(sdl, relative(process.cwd(), inputs.schemaFile)));
  } catch (error) {
    throw new CheckUsageError(`${inputs.schemaFile} is not valid GraphQL SDL: ${(error as Error).message}`);
  }
  let currentSdl: string;
  try {
    currentSdl = readFileSync(inputs.currentSupergraph, 'utf8');
  } catch (error) {
    throw new CheckUsageError(`cannot read the current supergraph ${inputs.currentSupergraph}: ${(error as Error).message}`);
  }

  const base = {
    version: 1 as const,
    subgraph: inputs.subgraph,
    schemaFile: relative(process.cwd(), inputs.schemaFile),
  };
  const operations = {
    manifest: inputs.operations.filter((operation) => operation.source === 'manifest').length,
    seen: inputs.operations.filter((operation) => operation.source === 'seen').length,
    unchecked: 0,
  };
  const replaced = {
    ...config,
    subgraphs: config.subgraphs.map((subgraph) => (subgraph.name === inputs.subgraph ? { ...subgraph, schemaFile: inputs.schemaFile } : subgraph)),
  };
  const composed = composeSupergraph(replaced);
  if (!composed.ok) {
    return {
      ...base,
      composition: { ok: false, errors: composed.errors },
      changes: [],
      operations,
      summary: { breaking: 0, dangerous: 0, safe: 0, breakingInUse: 0 },
      exitCode: 1,
    };
  }
  const { changes, unchecked } = await classifyChanges(apiSchemaOf(currentSdl), apiSchemaOf(composed.supergraphSdl), inputs.operations);
  const count = (level: string) => changes.filter((change) => change.level === level).length;
  const breakingInUse = changes.filter((change) => change.level === 'breaking' && change.affectedOperations.length > 0).length;
  return {
    ...base,
    composition: { ok: true },
    changes,
    operations: { ...operations, unchecked },
    summary: { breaking: count('breaking'), dangerous: count('dangerous'), safe: count('safe'), breakingInUse },
    exitCode: breakingInUse > 0 ? 1 : 0,
  };
}
