import { relative } from 'node:path';
import { CheckUsageError } from './CheckUsageError.js';
import { manifestOperations, seenOperations, type KnownOperation } from './knownOperations.js';

export interface OperationSources {
  /** A gateway config file: its `trustedDocuments.manifest` and `supergraph.path` count. */
  config?: string;
  /** More trusted-document manifests (`--manifest`, repeatable). */
  manifest: string[];
  /** The gateway's internal listener (`--operations`), for the operations it has seen. */
  operations?: string;
}

export interface GatheredOperations {
  operations: KnownOperation[];
  /** The gateway config's `supergraph.path`, when a config was given. */
  supergraphPath?: string;
}

/** Every known client operation: the manifests' (the gateway config's and `--manifest`'s) and the ones the gateway has seen. */
export async function gatherOperations(sources: OperationSources): Promise<GatheredOperations> {
  const manifests = [...sources.manifest];
  let supergraphPath: string | undefined;
  if (sources.config) {
    // Loaded here: only a check given a gateway config pays for the config schema.
    const { loadGatewayConfig } = await import('../../gateway/config/loadGatewayConfig.js');
    let config: ReturnType<typeof loadGatewayConfig>;
    try {
      config = loadGatewayConfig({ file: sources.config });
    } catch (error) {
      throw new CheckUsageError(`--config ${sources.config}: ${(error as Error).message}`);
    }
    if (config.trustedDocuments.manifest) manifests.push(relative(process.cwd(), config.trustedDocuments.manifest));
    supergraphPath = config.supergraph.path;
  }
  const operations = [...new Set(manifests)].flatMap(manifestOperations);
  if (sources.operations) operations.push(...(await seenOperations(sources.operations)));
  return { operations, ...(supergraphPath ? { supergraphPath } : {}) };
}
