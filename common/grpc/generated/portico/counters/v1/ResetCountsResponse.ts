// Original file: schema/protos/counters.proto


export interface ResetCountsResponse {
}

export interface ResetCountsResponse__Output {
}
