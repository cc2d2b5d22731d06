import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { projectRoot } from '../projectRoot.js';

/** Where the demo contracts live. */
export const protosDir = join(projectRoot, 'schema', 'protos');

/**
 * The options the generated types in `./generated` were made with (`portico codegen`);
 * loading with other options would make those types lie.
 */
export const protoLoaderOptions: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protosDir],
};

/** Loads a proto file into a typed package tree; `T` is its `ProtoGrpcType` from `./generated`. */
export function loadProto<T>(file: string): T {
  const definition = protoLoader.loadSync(file, protoLoaderOptions);
  return grpc.loadPackageDefinition(definition) as unknown as T;
}
