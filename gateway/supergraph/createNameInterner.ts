import { parse, visit } from 'graphql';

/**
 * Makes every name of a supergraph a one-byte string in V8's string table before Apollo Gateway
 * builds on the SDL, and keeps them there while that supergraph is served.
 *
 * Why: `@apollo/federation-internals` prints schemas and parses them again, and the SDL it
 * prints is a two-byte string (V8 makes a string two-byte when one of its pieces is). Names
 * sliced from it are two-byte, and V8 keeps the first copy of each property name it meets for
 * every object after. One two-byte key in a response makes `JSON.stringify` write the whole
 * answer as two-byte: twice the memory, and a transcoding when it is sent. Names interned here
 * first are the copies every later use shares.
 */
export function createNameInterner(): (sdl: string) => string {
  // Property keys are interned; the table holds them for as long as the supergraph is served.
  const held: { table?: Record<string, true> } = {};
  return (sdl) => {
    const names: Record<string, true> = Object.create(null);
    try {
      visit(parse(sdl, { noLocation: true }), {
        Name(node) {
          // A fresh one-byte copy: GraphQL names are ASCII, whatever the SDL around them is.
          names[Buffer.from(node.value, 'latin1').toString('latin1')] = true;
        },
      });
    } catch {
      // Not SDL: the gateway's own load says why.
      return sdl;
    }
    held.table = names;
    return sdl;
  };
}
