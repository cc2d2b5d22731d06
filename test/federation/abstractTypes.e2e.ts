import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { librarySubgraphs } from './library/librarySubgraphs.js';
import { startParity, type Parity } from './support/startParity.js';

let library: Parity;

beforeAll(async () => {
  library = await startParity(librarySubgraphs);
});

afterAll(async () => {
  await library?.close();
});

describe('interfaces, unions and @interfaceObject across subgraphs: Portico answers as Apollo Gateway does', () => {
  it('an interface list with fragments on each concrete type', async () => {
    const body = await library.expectSame({ query: '{ media { __typename id title ... on Book { pages } ... on Movie { minutes } } }' });
    expect((body.data?.media as { __typename: string }[]).map((item) => item.__typename)).toEqual(['Book', 'Movie', 'Book', 'Book', 'Movie', 'Book', 'Movie']);
  });

  it('@interfaceObject fields on every implementation of an entity interface', async () => {
    const body = await library.expectSame({ query: '{ media { id title averageRating stars } }' });
    expect((body.data?.media as unknown[])[0]).toEqual({ id: 'b1', title: 'The Federated Graph', averageRating: 14 / 3, stars: [5, 4, 5] });
  });

  it('a root field of the @interfaceObject subgraph: __typename and concrete fields come from the owner', async () => {
    const body = await library.expectSame({
      query: '{ topRated(first: 4) { __typename id averageRating title ... on Book { pages author { name } } ... on Movie { minutes } } }',
    });
    expect((body.data?.topRated as { id: string }[]).map((item) => item.id)).toEqual(['b1', 'b2', 'm1', 'm2']);
  });

  it('a union over entities of two other subgraphs, with fields from three', async () => {
    const body = await library.expectSame({
      query: `{ search(term: "graph") {
        __typename
        ... on Book { id title author { name books { title } } }
        ... on Movie { title minutes averageRating }
        ... on Person { name books { title averageRating } }
      } }`,
    });
    expect((body.data?.search as { __typename: string }[]).map((item) => item.__typename)).toEqual(['Book', 'Movie', 'Book', 'Movie', 'Person']);
  });

  it('fragments on interfaces inside a union, and a union with __typename only', async () => {
    await library.expectSame({
      query: `{
        typed: search(term: "the") { __typename }
        mixed: search(term: "e") { ... on Node { id } ... on Media { title averageRating } ...Named }
      }
      fragment Named on Person { name }`,
    });
  });

  it('an interface implemented by entities of different subgraphs, with ids of nothing', async () => {
    const body = await library.expectSame({
      query:
        '{ nodes(ids: ["a2", "b3", "zz", "m2"]) { __typename id ... on Person { name } ... on Book { title pages author { id } } ... on Media { averageRating } } }',
    });
    expect((body.data?.nodes as unknown[])[2]).toBeNull();
  });

  it('one interface value: fragments that do not apply, and @interfaceObject fields of a book reached through people', async () => {
    await library.expectSame({
      query: `{
        movie: mediaItem(id: "m2") { __typename ... on Movie { minutes } ... on Book { pages } averageRating }
        nothing: mediaItem(id: "x") { title }
        books { title author { name books { id averageRating stars } } }
      }`,
    });
  });

  it('nested named fragments on interfaces and concrete types', async () => {
    await library.expectSame({
      query: `
        query Nested { media { ...MediaCard } topRated(first: 2) { ...MediaCard } }
        fragment MediaCard on Media { __typename title ...Rated ... on Book { ...BookCard } }
        fragment Rated on Media { averageRating }
        fragment BookCard on Book { pages author { ... on Node { id } name } }
      `,
    });
  });
});
