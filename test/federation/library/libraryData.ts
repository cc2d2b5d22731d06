// The library scenario's records: books and movies (media), people, ratings. Ids say their
// type: b… books, m… movies, a… people.

export interface MediaRecord {
  id: string;
  kind: 'Book' | 'Movie';
  title: string;
  /** Pages of a book, minutes of a movie. */
  length: number;
  authorId: string | null;
}

export interface PersonRecord {
  id: string;
  name: string;
}

export const media: MediaRecord[] = [
  { id: 'b1', kind: 'Book', title: 'The Federated Graph', length: 320, authorId: 'a1' },
  { id: 'm1', kind: 'Movie', title: 'Graph Wars', length: 121, authorId: null },
  { id: 'b2', kind: 'Book', title: 'Query Planning', length: 210, authorId: 'a1' },
  { id: 'b3', kind: 'Book', title: 'Entities in Practice', length: 150, authorId: 'a2' },
  { id: 'm2', kind: 'Movie', title: 'The Gateway', length: 98, authorId: 'a3' },
  { id: 'b4', kind: 'Book', title: 'Anonymous Graphs', length: 99, authorId: null },
  { id: 'm3', kind: 'Movie', title: 'Return of the Graph', length: 140, authorId: 'a2' },
];

export const people: PersonRecord[] = [
  { id: 'a1', name: 'Ada Graph' },
  { id: 'a2', name: 'Ed Entity' },
  { id: 'a3', name: 'Gail Gateway' },
];

/** Ratings by media id; unrated media have none. */
export const ratings: Record<string, number[]> = {
  b1: [5, 4, 5],
  m1: [3],
  b2: [4, 4],
  m2: [2, 5, 1, 4],
  m3: [],
};

export const mediaById = new Map(media.map((item) => [item.id, item]));
export const personById = new Map(people.map((person) => [person.id, person]));

/** The concrete GraphQL type of an id, or undefined for an id of nothing. */
export function typeOfId(id: string): 'Book' | 'Movie' | 'Person' | undefined {
  if (personById.has(id)) return 'Person';
  return mediaById.get(id)?.kind;
}
