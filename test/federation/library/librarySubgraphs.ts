import { catalogSubgraph } from './catalog.js';
import { peopleSubgraph } from './people.js';
import { ratingsSubgraph } from './ratings.js';
import { searchSubgraph } from './search.js';

/** The four subgraphs of the library scenario: abstract types across subgraphs. */
export const librarySubgraphs = [catalogSubgraph, ratingsSubgraph, peopleSubgraph, searchSubgraph];
