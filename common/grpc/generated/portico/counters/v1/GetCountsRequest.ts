// Original file: schema/protos/counters.proto


export interface GetCountsRequest {
}

export interface GetCountsRequest__Output {
}
