// Original file: schema/protos/inventory.proto


export interface WatchStockRequest {
  'upcs'?: (string)[];
}

export interface WatchStockRequest__Output {
  'upcs': (string)[];
}
