import type { GrpcSchemaPlan } from './planGrpcSchema.js';
import type { SubgraphNames } from './subgraphNames.js';

/** A subgraph over a REST service: one starter entity read by id from the base URL. */
export interface RestSpec {
  kind: 'rest';
  names: SubgraphNames;
  port: number;
  baseUrl: string;
  /** The starter entity's type name: `Widget` for the subgraph `widgets`. */
  entity: string;
}

/** A subgraph over a gRPC service: its shape derived from the proto. */
export interface GrpcSpec {
  kind: 'grpc';
  names: SubgraphNames;
  port: number;
  /** The service's default address, `host:port`. */
  address: string;
  plan: GrpcSchemaPlan;
}

/** Everything the templates need to write one new subgraph. */
export type ScaffoldSpec = RestSpec | GrpcSpec;

/** The client module's name, without extension: `widgetsApi`. */
export function apiModule(spec: ScaffoldSpec): string {
  return `${spec.names.camel}Api`;
}

/** Where the generated gRPC types of a package member are, from a file in `subgraphs/<name>/`. */
export function protoTypesImport(spec: GrpcSpec, member: string): string {
  const path = spec.plan.proto.packageName.split('.').filter(Boolean);
  return ['../../common/grpc/generated', ...path, `${member}.js`].join('/');
}

/** The TypeScript type of a lookup key. */
export function keyTsType(keyType: 'String' | 'Int' | 'Float'): string {
  return keyType === 'String' ? 'string' : 'number';
}
