// Original file: schema/protos/catalog.proto


export interface ListTopProductsRequest {
  'first'?: (number);
}

export interface ListTopProductsRequest__Output {
  'first': (number);
}
