import type { ChannelOptions } from '@grpc/grpc-js';

/**
 * Channel options every backend client uses: keep the HTTP/2 connection alive through idle
 * periods so the first call after a lull does not pay for a new connection, and notice a dead
 * peer within seconds rather than at the next deadline.
 */
export const channelOptions: ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
};
