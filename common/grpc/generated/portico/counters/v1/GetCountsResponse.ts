// Original file: schema/protos/counters.proto


export interface GetCountsResponse {
  'counts'?: ({[key: string]: number});
}

export interface GetCountsResponse__Output {
  'counts': ({[key: string]: number});
}
