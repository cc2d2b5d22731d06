import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CallCountersClient as _portico_counters_v1_CallCountersClient, CallCountersDefinition as _portico_counters_v1_CallCountersDefinition } from './portico/counters/v1/CallCounters.js';
import type { GetCountsRequest as _portico_counters_v1_GetCountsRequest, GetCountsRequest__Output as _portico_counters_v1_GetCountsRequest__Output } from './portico/counters/v1/GetCountsRequest.js';
import type { GetCountsResponse as _portico_counters_v1_GetCountsResponse, GetCountsResponse__Output as _portico_counters_v1_GetCountsResponse__Output } from './portico/counters/v1/GetCountsResponse.js';
import type { ResetCountsRequest as _portico_counters_v1_ResetCountsRequest, ResetCountsRequest__Output as _portico_counters_v1_ResetCountsRequest__Output } from './portico/counters/v1/ResetCountsRequest.js';
import type { ResetCountsResponse as _portico_counters_v1_ResetCountsResponse, ResetCountsResponse__Output as _portico_counters_v1_ResetCountsResponse__Output } from './portico/counters/v1/ResetCountsResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  portico: {
    counters: {
      v1: {
        /**
         * Every demo gRPC backend also serves this, so tests can prove batching by counting calls.
         */
        CallCounters: SubtypeConstructor<typeof grpc.Client, _portico_counters_v1_CallCountersClient> & { service: _portico_counters_v1_CallCountersDefinition }
        GetCountsRequest: MessageTypeDefinition<_portico_counters_v1_GetCountsRequest, _portico_counters_v1_GetCountsRequest__Output>
        GetCountsResponse: MessageTypeDefinition<_portico_counters_v1_GetCountsResponse, _portico_counters_v1_GetCountsResponse__Output>
        ResetCountsRequest: MessageTypeDefinition<_portico_counters_v1_ResetCountsRequest, _portico_counters_v1_ResetCountsRequest__Output>
        ResetCountsResponse: MessageTypeDefinition<_portico_counters_v1_ResetCountsResponse, _portico_counters_v1_ResetCountsResponse__Output>
      }
    }
  }
}

