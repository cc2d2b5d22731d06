// Original file: schema/protos/inventory.proto


export interface StockLevel {
  'upc'?: (string);
  'inStock'?: (boolean);
  'warehouse'?: (string);
  'quantity'?: (number);
}

export interface StockLevel__Output {
  'upc': (string);
  'inStock': (boolean);
  'warehouse': (string);
  'quantity': (number);
}
