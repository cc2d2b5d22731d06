import { createHash } from 'node:crypto';
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

const sha256Hex = /^[0-9a-f]{64}$/;

/**
 * Reads a trusted-document manifest in either format clients' tooling writes:
 * - Apollo's persisted query manifest (`generate-persisted-query-manifest`):
 *   `{ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, name, type, body }] }`;
 * - graphql-codegen's client preset (`persistedDocuments`, sha256): `{ "<sha256 of body>": "<body>" }`
 *   (the web client's web/src/generated/persisted-documents.json).
 * In the second, each id must be the sha256 of its body, as clients send it and as Apollo Server
 * checks it beside a body: a wrong id is refused here, at start, not on every request that names it.
 * Throws an `Error` that says what is wrong with the file.
 */
export function readManifest(file: string): TrustedManifest {
  let parsed: ManifestFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ManifestFile;
  } catch (error) {
    throw new Error(`cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  const byId = new Map<string, string>();
  if (isClientPresetManifest(parsed)) {
    for (const [id, body] of Object.entries(parsed)) {
      if (typeof body !== 'string') throw new Error(`${file}: the document of "${id.slice(0, 64)}" is not a string`);
      const hash = createHash('sha256').update(body).digest('hex');
      if (hash !== id) throw new Error(`${file}: "${id}" is not the sha256 of its document (that is ${hash}); generate the manifest with hashAlgorithm sha256`);
      byId.set(id, body);
    }
    return { byId, bodies: new Set(byId.values()) };
  }
  if (parsed.format !== 'apollo-persisted-query-manifest' || parsed.version !== 1 || !Array.isArray(parsed.operations)) {
    throw new Error(
      `${file} is not an Apollo persisted query manifest (expected format "apollo-persisted-query-manifest", version 1, operations [...]) ` +
        'nor a client preset persisted-documents.json ({ "<sha256>": "<document>" })',
    );
  }
  parsed.operations.forEach((operation: unknown, index) => {
    const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
    if (typeof id !== 'string' || typeof body !== 'string') {
      throw new Error(`${file}: operations[${index}] needs a string "id" and "body"`);
    }
    byId.set(id, body);
  });
  return { byId, bodies: new Set(byId.values()) };
}

// The client preset's file: an object whose every key is a sha256 in hex (and not empty).
function isClientPresetManifest(parsed: unknown): parsed is Record<string, unknown> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const keys = Object.keys(parsed);
  return keys.length > 0 && keys.every((key) => sha256Hex.test(key));
}
