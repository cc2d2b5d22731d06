// Original file: schema/protos/counters.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetCountsRequest as _portico_counters_v1_GetCountsRequest, GetCountsRequest__Output as _portico_counters_v1_GetCountsRequest__Output } from '../../../portico/counters/v1/GetCountsRequest.js';
import type { GetCountsResponse as _portico_counters_v1_GetCountsResponse, GetCountsResponse__Output as _portico_counters_v1_GetCountsResponse__Output } from '../../../portico/counters/v1/GetCountsResponse.js';
import type { ResetCountsRequest as _portico_counters_v1_ResetCountsRequest, ResetCountsRequest__Output as _portico_counters_v1_ResetCountsRequest__Output } from '../../../portico/counters/v1/ResetCountsRequest.js';
import type { ResetCountsResponse as _portico_counters_v1_ResetCountsResponse, ResetCountsResponse__Output as _portico_counters_v1_ResetCountsResponse__Output } from '../../../portico/counters/v1/ResetCountsResponse.js';

/**
 * Every demo gRPC backend also serves this, so tests can prove batching by counting calls.
 */
export interface CallCountersClient extends grpc.Client {
  /**
   * Calls received per method since start or the last reset, keyed by the method's name.
   */
  GetCounts(argument: _portico_counters_v1_GetCountsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_counters_v1_GetCountsResponse__Output>): grpc.ClientUnaryCall;
  GetCounts(argument: _portico_counters_v1_GetCountsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_counters_v1_GetCountsResponse__Output>): grpc.ClientUnaryCall;
  GetCounts(argument: _portico_counters_v1_GetCountsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_counters_v1_GetCountsResponse__Output>): grpc.ClientUnaryCall;
  GetCounts(argument: _portico_counters_v1_GetCountsRequest, callback: grpc.requestCallback<_portico_counters_v1_GetCountsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Calls received per method since start or the last reset, keyed by the method's name.
   */
  getCounts(argument: _portico_counters_v1_GetCountsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_counters_v1_GetCountsResponse__Output>): grpc.ClientUnaryCall;
  getCounts(argument: _portico_counters_v1_GetCountsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_counters_v1_GetCountsResponse__Output>): grpc.ClientUnaryCall;
  getCounts(argument: _portico_counters_v1_GetCountsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_counters_v1_GetCountsResponse__Output>): grpc.ClientUnaryCall;
  getCounts(argument: _portico_counters_v1_GetCountsRequest, callback: grpc.requestCallback<_portico_counters_v1_GetCountsResponse__Output>): grpc.ClientUnaryCall;
  
  ResetCounts(argument: _portico_counters_v1_ResetCountsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_counters_v1_ResetCountsResponse__Output>): grpc.ClientUnaryCall;
  ResetCounts(argument: _portico_counters_v1_ResetCountsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_counters_v1_ResetCountsResponse__Output>): grpc.ClientUnaryCall;
  ResetCounts(argument: _portico_counters_v1_ResetCountsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_counters_v1_ResetCountsResponse__Output>): grpc.ClientUnaryCall;
  ResetCounts(argument: _portico_counters_v1_ResetCountsRequest, callback: grpc.requestCallback<_portico_counters_v1_ResetCountsResponse__Output>): grpc.ClientUnaryCall;
  resetCounts(argument: _portico_counters_v1_ResetCountsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_counters_v1_ResetCountsResponse__Output>): grpc.ClientUnaryCall;
  resetCounts(argument: _portico_counters_v1_ResetCountsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_counters_v1_ResetCountsResponse__Output>): grpc.ClientUnaryCall;
  resetCounts(argument: _portico_counters_v1_ResetCountsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_counters_v1_ResetCountsResponse__Output>): grpc.ClientUnaryCall;
  resetCounts(argument: _portico_counters_v1_ResetCountsRequest, callback: grpc.requestCallback<_portico_counters_v1_ResetCountsResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Every demo gRPC backend also serves this, so tests can prove batching by counting calls.
 */
export interface CallCountersHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Calls received per method since start or the last reset, keyed by the method's name.
   */
  GetCounts: grpc.handleUnaryCall<_portico_counters_v1_GetCountsRequest__Output, _portico_counters_v1_GetCountsResponse>;
  
  ResetCounts: grpc.handleUnaryCall<_portico_counters_v1_ResetCountsRequest__Output, _portico_counters_v1_ResetCountsResponse>;
  
}

export interface CallCountersDefinition extends grpc.ServiceDefinition {
  GetCounts: MethodDefinition<_portico_counters_v1_GetCountsRequest, _portico_counters_v1_GetCountsResponse, _portico_counters_v1_GetCountsRequest__Output, _portico_counters_v1_GetCountsResponse__Output>
  ResetCounts: MethodDefinition<_portico_counters_v1_ResetCountsRequest, _portico_counters_v1_ResetCountsResponse, _portico_counters_v1_ResetCountsRequest__Output, _portico_counters_v1_ResetCountsResponse__Output>
}
