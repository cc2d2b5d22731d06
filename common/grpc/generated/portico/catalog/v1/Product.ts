// Original file: schema/protos/catalog.proto


export interface Product {
  'upc'?: (string);
  'name'?: (string);
  /**
   * Price in cents.
   */
  'price'?: (number);
  /**
   * Shipping weight in grams.
   */
  'weight'?: (number);
}

export interface Product__Output {
  'upc': (string);
  'name': (string);
  /**
   * Price in cents.
   */
  'price': (number);
  /**
   * Shipping weight in grams.
   */
  'weight': (number);
}
