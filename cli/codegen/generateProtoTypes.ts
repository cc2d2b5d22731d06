import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/** Where the generated gRPC types live, beside `loadProto`, whose options they must match. */
export const protoTypesDir = resolve('common/grpc/generated');

// These mirror protoLoaderOptions in common/grpc/loadProto.ts; change both together.
const generatorFlags = [
  '--longs=String',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--includeComments',
  '--grpcLib=@grpc/grpc-js',
  '--importFileExtension=.js',
];

/**
 * Runs proto-loader-gen-types over every proto in `protosDir` into a scratch folder and returns
 * what it wrote: path (as it would be under `protoTypesDir`) → content.
 */
export function generateProtoTypes(protosDir = 'schema/protos'): Map<string, string> {
  const protos = readdirSync(protosDir)
    .filter((name) => name.endsWith('.proto'))
    .sort();
  const scratch = mkdtempSync(join(tmpdir(), 'portico-protos-'));
  try {
    const bin = createRequire(import.meta.url).resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');
    // Files before flags: the generator's -I takes every word after it.
    execFileSync(process.execPath, [bin, ...protos.map((name) => join(protosDir, name)), ...generatorFlags, '-O', scratch], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const files = new Map<string, string>();
    for (const file of listFiles(scratch)) files.set(join(protoTypesDir, relative(scratch, file)), readFileSync(file, 'utf8'));
    return files;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every file below a folder. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
