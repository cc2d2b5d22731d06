import * as grpc from '@grpc/grpc-js';
import { channelOptions } from './channelOptions.js';

/** A generated client class, as `loadProto` exposes it. */
type ClientClass<C> = new (address: string, credentials: grpc.ChannelCredentials, options: grpc.ChannelOptions) => C;

/**
 * A client for one backend on one long-lived channel. Backends inside the cluster are reached
 * in plaintext; TLS between services belongs to the mesh, not each subgraph.
 */
export function createGrpcClient<C>(Client: ClientClass<C>, address: string): C {
  return new Client(address, grpc.credentials.createInsecure(), channelOptions);
}
