/** In stock, out of stock, or unknown (the inventory service did not answer: the field is null). */
export function StockLabel({ inStock }: { inStock: boolean | null }) {
  if (inStock === null) return <span className="muted">Unknown</span>;
  return inStock ? <span className="stock-in">In stock</span> : <span className="stock-out">Out of stock</span>;
}
