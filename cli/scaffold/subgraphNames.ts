/** Every spelling of a new subgraph's name that the generated files use. */
export interface SubgraphNames {
  /** As in the supergraph config and docker-compose: `order-history`. */
  name: string;
  /** For variables and functions: `orderHistory`. */
  camel: string;
  /** For types: `OrderHistory`. */
  pascal: string;
  /** For environment variables: `ORDER_HISTORY`. */
  env: string;
}

// The supergraph config's own rule (cli/compose/readSupergraphConfig.ts), minus a trailing dash,
// which would make an awkward identifier.
const validName = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

// Folders under subgraphs/ and compose services that are not subgraphs.
const reserved = new Set(['kit', 'generated', 'gateway']);

/** Spells `name` every way the scaffold needs, or throws a one-line refusal that says why. */
export function subgraphNames(name: string): SubgraphNames {
  if (!validName.test(name) || name.length > 63) {
    throw new Error(
      `"${name}" is not a valid subgraph name: use lowercase letters, digits and single dashes, starting with a letter (e.g. weather or order-history).`,
    );
  }
  if (reserved.has(name)) throw new Error(`"${name}" is reserved; choose another subgraph name.`);
  const words = name.split('-');
  const pascal = words.map(upperFirst).join('');
  return { name, camel: lowerFirst(pascal), pascal, env: words.join('_').toUpperCase() };
}

export function upperFirst(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function lowerFirst(word: string): string {
  return word.charAt(0).toLowerCase() + word.slice(1);
}

/** `widgets` → `widget`, `addresses` → `address`, `news` stays: a starter type name, not grammar. */
export function singular(word: string): string {
  if (/sses$|xes$|ches$|shes$/.test(word)) return word.slice(0, -2);
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}
