import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { ProtoGrpcType } from '../../common/grpc/generated/counters.js';
import type { CallCountersHandlers } from '../../common/grpc/generated/portico/counters/v1/CallCounters.js';
import { loadProto, protosDir } from '../../common/grpc/loadProto.js';
import type { CallCounter } from '../shared/createCallCounter.js';

/**
 * Serves `portico.counters.v1.CallCounters` from `counter`. These calls are not counted, so
 * reading the counts never changes them.
 */
export function addCallCountersService(server: grpc.Server, counter: CallCounter): void {
  const proto = loadProto<ProtoGrpcType>(join(protosDir, 'counters.proto'));
  const handlers: CallCountersHandlers = {
    GetCounts: (_call, callback) => callback(null, { counts: counter.counts() }),
    ResetCounts: (_call, callback) => {
      counter.reset();
      callback(null, {});
    },
  };
  server.addService(proto.portico.counters.v1.CallCounters.service, handlers);
}
