import { ProductListPage } from './products/ProductListPage';
import { ProductPage } from './products/ProductPage';
import { useRoute } from './routing/useRoute';
import { AccountBar } from './session/AccountBar';
import { SignInPage } from './session/SignInPage';

export function App() {
  const route = useRoute();
  return (
    <>
      <header className="site-header">
        <nav aria-label="Main">
          <a href="#/products" className="brand">
            Portico shop
          </a>
          <AccountBar />
        </nav>
      </header>
      <main>
        {route.page === 'products' && <ProductListPage />}
        {route.page === 'product' && <ProductPage key={route.upc} upc={route.upc} />}
        {route.page === 'sign-in' && <SignInPage />}
        {route.page === 'not-found' && (
          <p role="alert">
            There is no such page. <a href="#/products">See the products</a>.
          </p>
        )}
      </main>
    </>
  );
}
