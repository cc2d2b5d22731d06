import type { status } from '@grpc/grpc-js';

/** Thrown by gRPC handlers to answer with a status code; anything else becomes INTERNAL. */
export class GrpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}
