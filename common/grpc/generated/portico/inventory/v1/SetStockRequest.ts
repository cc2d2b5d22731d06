// Original file: schema/protos/inventory.proto


export interface SetStockRequest {
  'upc'?: (string);
  'quantity'?: (number);
}

export interface SetStockRequest__Output {
  'upc': (string);
  'quantity': (number);
}
