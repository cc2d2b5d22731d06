// Original file: schema/protos/inventory.proto


export interface GetStockRequest {
  'upcs'?: (string)[];
}

export interface GetStockRequest__Output {
  'upcs': (string)[];
}
