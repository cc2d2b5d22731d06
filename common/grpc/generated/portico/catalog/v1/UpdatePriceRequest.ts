// Original file: schema/protos/catalog.proto


export interface UpdatePriceRequest {
  'upc'?: (string);
  'price'?: (number);
}

export interface UpdatePriceRequest__Output {
  'upc': (string);
  'price': (number);
}
