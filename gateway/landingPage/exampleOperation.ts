import type { GatewayMode } from '../config/GatewayConfig.js';
import { getNamedType, isLeafType, isObjectType, isNonNullType, type GraphQLField, type GraphQLSchema } from 'graphql';

// Where a token goes, said where a person looks first: above the operation they are about to
// run, in the words of the explorer at hand. Short lines: the editor is half a window wide.
const tokenHints = {
  sandbox: `# Portico. Press Run to try this query.
# To call as a signed-in user, mint a development token:
#   npx portico token --sub 7 --scope users:read-pii
# and send it as the header  Authorization: Bearer <token>
# (connection settings → shared headers, or the Headers tab below).
`,
  graphiql: `# Portico. Press ▶ (Ctrl-Enter) to run it.
# To call as a signed-in user, mint a token:
#   npx portico token --sub 7
# (add --scope users:read-pii for emails)
# and set it in the Headers tab below:
#   "Authorization": "Bearer <token>"
`,
};

// In production, `portico token`'s development secret is refused: tokens come from the identity provider.
const productionHint = `# Portico. Run it with the ▶ button.
# To call as a signed-in user, send a token
# from your identity provider in the Headers
# tab:  "Authorization": "Bearer <token>"
`;

/** The explorer an example is written for: Apollo's Sandbox, or the bundled GraphiQL. */
export type ExampleExplorer = keyof typeof tokenHints;

/**
 * The operation the landing page opens with: the token hint, then the first query field that
 * needs no argument, with its leaf fields; in production, the hint says where tokens come from instead. Just the hint when the supergraph has no such field.
 * Takes the supergraph schema (not the API schema: the directives that guard a field are in it).
 */
export function exampleOperation(schema: GraphQLSchema, explorer: ExampleExplorer = 'sandbox', mode: GatewayMode = 'development'): string {
  const tokenHint = mode === 'production' ? productionHint : tokenHints[explorer];
  const field = Object.values(schema.getQueryType()?.getFields() ?? {}).find(
    (candidate) => isOpen(candidate) && candidate.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined),
  );
  if (!field) return tokenHint;
  const type = getNamedType(field.type);
  const leaves = isObjectType(type)
    ? Object.values(type.getFields())
        .filter((inner) => isOpen(inner) && isLeafType(getNamedType(inner.type)) && inner.args.length === 0)
        .map((inner) => inner.name)
    : [];
  if (isObjectType(type) && leaves.length === 0) return tokenHint;
  const selection = leaves.length > 0 ? ` {\n    ${leaves.join('\n    ')}\n  }` : '';
  return `${tokenHint}query Example {\n  ${field.name}${selection}\n}\n`;
}

// Directives that would make the example fail for an anonymous caller, or hide the field.
const guards = new Set(['authenticated', 'requiresScopes', 'policy', 'inaccessible']);

// Federation's own root fields (_service, _entities) are no example, nor are guarded fields.
function isOpen(field: GraphQLField<unknown, unknown>): boolean {
  return !field.name.startsWith('_') && !(field.astNode?.directives ?? []).some((directive) => guards.has(directive.name.value));
}
