/** One process `portico dev` runs. */
export interface DevService {
  /** Label on its log lines; the same name as its docker-compose service. */
  name: string;
  tier: 'backend' | 'subgraph' | 'gateway';
  /** The TypeScript entry file, relative to the repository root; `portico dev` runs what the build compiles it to. */
  entry: string;
  defaultPort: number;
  /** What it needs to find the services below it, from their actual ports. */
  env(portOf: (service: string) => number): Record<string, string>;
  /** Where a person reaches it. */
  url(port: number): string;
}

const http = (port: number) => `http://localhost:${port}`;
const grpc = (port: number) => `localhost:${port}`;
const graphql = (port: number) => `http://localhost:${port}/graphql`;

/** The demo stack, lowest tier first: the order it starts in and the reverse of the order it stops in. */
export const devServices: DevService[] = [
  { name: 'users-service', tier: 'backend', entry: 'backends/users/index.ts', defaultPort: 5001, env: () => ({}), url: http },
  { name: 'reviews-service', tier: 'backend', entry: 'backends/reviews/index.ts', defaultPort: 5002, env: () => ({}), url: http },
  { name: 'catalog-service', tier: 'backend', entry: 'backends/catalog/index.ts', defaultPort: 50051, env: () => ({}), url: grpc },
  { name: 'inventory-service', tier: 'backend', entry: 'backends/inventory/index.ts', defaultPort: 50052, env: () => ({}), url: grpc },
  {
    name: 'accounts',
    tier: 'subgraph',
    entry: 'subgraphs/accounts/index.ts',
    defaultPort: 4001,
    env: (portOf) => ({ USERS_SERVICE_URL: http(portOf('users-service')) }),
    url: graphql,
  },
  {
    name: 'products',
    tier: 'subgraph',
    entry: 'subgraphs/products/index.ts',
    defaultPort: 4002,
    env: (portOf) => ({ CATALOG_SERVICE_ADDRESS: grpc(portOf('catalog-service')) }),
    url: graphql,
  },
  {
    name: 'inventory',
    tier: 'subgraph',
    entry: 'subgraphs/inventory/index.ts',
    defaultPort: 4003,
    env: (portOf) => ({ INVENTORY_SERVICE_ADDRESS: grpc(portOf('inventory-service')) }),
    url: graphql,
  },
  {
    name: 'reviews',
    tier: 'subgraph',
    entry: 'subgraphs/reviews/index.ts',
    defaultPort: 4004,
    env: (portOf) => ({ REVIEWS_SERVICE_URL: http(portOf('reviews-service')) }),
    url: graphql,
  },
];
