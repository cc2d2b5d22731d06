// Original file: schema/protos/counters.proto


export interface ResetCountsRequest {
}

export interface ResetCountsRequest__Output {
}
