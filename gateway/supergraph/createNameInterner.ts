/**
 * Makes every name of a supergraph a one-byte string in V8's string table before Apollo Gateway
 * builds on the SDL, and keeps them there while that supergraph is served.
 *
 * Why: `@apollo/federation-internals` prints schemas and parses them again, and the SDL it
 * prints is a two-byte string (V8 makes a string two-byte when one of its pieces is). Names
 * sliced from it are two-byte, and V8 keeps the first copy of each property name it meets for
 * every object after. One two-byte key in a response makes `JSON.stringify` write the whole
 * answer as two-byte: twice the memory, and a transcoding when it is sent. Names interned here
 * first are the copies every later use shares. That is Node 20's V8; Node 24's and 26's hand
 * out these names one-byte themselves, and there this costs one scan of the SDL per load.
 *
 * It must run before Apollo Gateway sees the SDL, so it cannot read Apollo's parsed schema; it
 * scans the text for name tokens instead of parsing it (Apollo Gateway parses it, once). Words of
 * descriptions and strings are interned too: a few more short strings, held as long as the names.
 */
export function createNameInterner(): (sdl: string) => string {
  // Property keys are interned; the table holds them for as long as the supergraph is served.
  const held: { table?: Record<string, true> } = {};
  return (sdl) => {
    const names: Record<string, true> = Object.create(null);
    for (const [name] of sdl.matchAll(nameToken)) {
      // A fresh one-byte copy: GraphQL names are ASCII, whatever the SDL around them is.
      names[Buffer.from(name, 'latin1').toString('latin1')] = true;
    }
    held.table = names;
    return sdl;
  };
}

// A GraphQL name (spec: Name), wherever it stands.
const nameToken = /[_A-Za-z][_0-9A-Za-z]*/g;
