/** The demo shop's records, as the backends store and serve them. */

export interface User {
  id: string;
  username: string;
  name: string;
  email: string;
}

export interface Product {
  upc: string;
  name: string;
  /** Price in cents. */
  price: number;
  /** Shipping weight in grams. */
  weight: number;
}

export interface StockLevel {
  upc: string;
  inStock: boolean;
  warehouse: string;
  quantity: number;
}

export interface Review {
  id: string;
  body: string;
  /** 1 to 5. */
  rating: number;
  authorId: string;
  productUpc: string;
}

export interface DemoData {
  users: User[];
  products: Product[];
  /** One stock level per product, in the same order. */
  stock: StockLevel[];
  reviews: Review[];
}
