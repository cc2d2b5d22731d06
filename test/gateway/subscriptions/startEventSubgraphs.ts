import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/http';
// Aliased: a call named use… reads to the linter as a React hook.
import { useServer as serveGraphQLWs } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createEventQueue, type EventQueue } from '../../../gateway/subscriptions/createEventQueue.js';

/**
 * Two in-process subgraphs for subscription tests (fakes at the edge: the `events` helper's real
 * ones come later). `reviews` has `Subscription.reviewAdded`, served over graphql-transport-ws
 * (graphql-ws's useServer) and GraphQL over SSE (graphql-sse's handler) on its one URL, and
 * answers queries over plain POST; `products` resolves `Product.name` and fails for upc "broken".
 */
export const reviewsTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable", "@authenticated"])
  type Query { latestReviewId: ID }
  type Review { id: ID! body: String product: Product note: String @authenticated }
  type Product @key(fields: "upc", resolvable: false) { upc: String! }
  type Subscription { reviewAdded(productUpc: String): Review }
`);

export const productsTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { product(upc: String!): Product }
  type Product @key(fields: "upc") { upc: String! name: String }
`);

export interface ReviewEvent {
  id: string;
  body: string;
  productUpc: string;
}

export interface EventSubgraph {
  name: string;
  url: string;
  typeDefs: DocumentNode;
  stop(): Promise<void>;
}

export interface ReviewsSubgraph extends EventSubgraph {
  /** Sends a review to every open `reviewAdded` subscription (of its product, when it names one). */
  publish(review: ReviewEvent): void;
  /** Subscriptions opened, over any transport, since start. */
  subscriptionsOpened(): number;
  /** Subscriptions open now (those for one product's reviews, when it names one; `null`: for every product). */
  subscriptionsOpen(upc?: string | null): number;
  /** The headers of every WebSocket upgrade and SSE POST. */
  upgrades: IncomingHttpHeaders[];
  ssePosts: IncomingHttpHeaders[];
  /** Drops every WebSocket connection, as a crashing subgraph would. */
  dropConnections(): void;
}

export async function startReviewsSubgraph(typeDefs: DocumentNode = reviewsTypeDefs): Promise<ReviewsSubgraph> {
  const subscribers = new Set<{ upc: string | undefined; queue: EventQueue<ReviewEvent> }>();
  let opened = 0;
  const schema = buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: { latestReviewId: () => null },
      Review: { product: (review: ReviewEvent) => ({ upc: review.productUpc }), note: () => 'for signed-in callers' },
      Subscription: {
        reviewAdded: {
          subscribe: (_: unknown, args: { productUpc?: string | null }) => {
            opened += 1;
            const subscriber = { upc: args.productUpc ?? undefined, queue: createEventQueue<ReviewEvent>(100_000, () => subscribers.delete(subscriber)) };
            subscribers.add(subscriber);
            return mapped(subscriber.queue);
          },
        },
      },
    } as never,
  });
  const upgrades: IncomingHttpHeaders[] = [];
  const ssePosts: IncomingHttpHeaders[] = [];
  const sse = createHandler({ schema });
  const server = createServer((req, res) => {
    if ((req.headers.accept ?? '').includes('text/event-stream')) {
      ssePosts.push(req.headers);
      void sse(req, res);
      return;
    }
    void answerPost(schema, req, res);
  });
  const wss = new WebSocketServer({ server, path: '/graphql' });
  wss.on('headers', (_headers, req) => upgrades.push(req.headers));
  serveGraphQLWs({ schema }, wss);
  const url = await listenOn(server);
  return {
    name: 'reviews',
    url,
    typeDefs,
    upgrades,
    ssePosts,
    publish(review) {
      for (const subscriber of subscribers) if (subscriber.upc === undefined || subscriber.upc === review.productUpc) subscriber.queue.push(review);
    },
    subscriptionsOpened: () => opened,
    subscriptionsOpen: (upc) => (upc === undefined ? subscribers.size : [...subscribers].filter((subscriber) => subscriber.upc === (upc ?? undefined)).length),
    dropConnections() {
      for (const client of wss.clients) client.terminate();
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The products subgraph: `Product.name`, an error for upc "broken". */
export async function startProductsSubgraph(): Promise<EventSubgraph & { entityRequests: () => number }> {
  let entityRequests = 0;
  const schema = buildSubgraphSchema({
    typeDefs: productsTypeDefs,
    resolvers: {
      Query: { product: (_: unknown, { upc }: { upc: string }) => ({ upc }) },
      Product: {
        __resolveReference: (reference: { upc: string }) => {
          entityRequests += 1;
          return reference;
        },
        name: ({ upc }: { upc: string }) => {
          if (upc === 'broken') throw new Error('the catalog has no name for this product');
          return `Product ${upc}`;
        },
      },
    } as never,
  });
  const server = createServer((req, res) => void answerPost(schema, req, res));
  const url = await listenOn(server);
  return {
    name: 'products',
    url,
    typeDefs: productsTypeDefs,
    entityRequests: () => entityRequests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function mapped(queue: EventQueue<ReviewEvent>): AsyncIterableIterator<{ reviewAdded: ReviewEvent }> {
  return {
    async next() {
      const next = await queue.next();
      return next.done ? next : { value: { reviewAdded: next.value }, done: false };
    },
    return: () => queue.return(),
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncIterableIterator<{ reviewAdded: ReviewEvent }>;
}

async function answerPost(schema: GraphQLSchema, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { query?: string; variables?: Record<string, unknown>; operationName?: string };
  const result = await graphql({ schema, source: body.query ?? '', variableValues: body.variables ?? null, operationName: body.operationName ?? null });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(result));
}

async function listenOn(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}
