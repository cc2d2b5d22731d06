import { readFileSync } from 'node:fs';

/** A trusted-document manifest: ids (sha256 of the body) to bodies, and the set of bodies. */
export interface TrustedManifest {
  byId: ReadonlyMap<string, string>;
  bodies: ReadonlySet<string>;
}

interface ManifestFile {
  format?: unknown;
  version?: unknown;
  operations?: unknown;
}

/**
 * Reads an Apollo persisted query manifest (what `generate-persisted-query-manifest` writes):
 * `{ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, name, type, body }] }`.
 * Throws an `Error` that says what is wrong with the file.
 */
export function readManifest(file: string): TrustedManifest {
  let parsed: ManifestFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ManifestFile;
  } catch (error) {
    throw new Error(`cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  if (parsed.format !== 'apollo-persisted-query-manifest' || parsed.version !== 1 || !Array.isArray(parsed.operations)) {
    throw new Error(`${file} is not an Apollo persisted query manifest (expected format "apollo-persisted-query-manifest", version 1, operations [...])`);
  }
  const byId = new Map<string, string>();
  parsed.operations.forEach((operation: unknown, index) => {
    const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
    if (typeof id !== 'string' || typeof body !== 'string') {
      throw new Error(`${file}: operations[${index}] needs a string "id" and "body"`);
    }
    byId.set(id, body);
  });
  return { byId, bodies: new Set(byId.values()) };
}
