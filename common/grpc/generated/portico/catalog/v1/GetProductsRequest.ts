// Original file: schema/protos/catalog.proto


export interface GetProductsRequest {
  'upcs'?: (string)[];
}

export interface GetProductsRequest__Output {
  'upcs': (string)[];
}
