import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';
import { noRequirement, type AuthorizationRules, type Requirement } from './AuthorizationRules.js';

/** The specs whose directives Portico enforces, by the name their @link gives them by default. */
export const enforcedSecuritySpecs = {
  'https://specs.apollo.dev/authenticated/': 'authenticated',
  'https://specs.apollo.dev/requiresScopes/': 'requiresScopes',
  'https://specs.apollo.dev/policy/': 'policy',
} as const;

/**
 * Reads `@authenticated`, `@requiresScopes` and `@policy` from a supergraph, under whatever name
 * its `@link(as:)` gives them, into requirements per type and per field. Takes the supergraph's
 * definitions as parsed once (see `SupergraphSnapshot`).
 */
export function readAuthorizationRules(document: DocumentNode): AuthorizationRules {
  const names = directiveNames(document);
  const types = new Map<string, Requirement>();
  const fields = new Map<string, Requirement>();
  const policyNames = new Set<string>();

  const requirementOf = (directives: readonly ConstDirectiveNode[] | undefined): Requirement => {
    let requirement = noRequirement;
    for (const directive of directives ?? []) {
      const spec = names.get(directive.name.value);
      if (spec === undefined) continue;
      if (requirement === noRequirement) requirement = { authenticated: false, scopes: [], policies: [] };
      if (spec === 'authenticated') requirement.authenticated = true;
      const argument = directive.arguments?.[0]?.value;
      if (spec === 'requiresScopes' && argument) requirement.scopes.push(nameSets(argument));
      if (spec === 'policy' && argument) {
        const sets = nameSets(argument);
        requirement.policies.push(sets);
        for (const name of sets.flat()) policyNames.add(name);
      }
    }
    return requirement;
  };

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeName = definition.name.value;
    const own = requirementOf(definition.directives);
    if (own !== noRequirement) types.set(typeName, own);
    for (const field of definition.fields ?? []) {
      const requirement = requirementOf(field.directives);
      if (requirement !== noRequirement) fields.set(`${typeName}.${field.name.value}`, requirement);
    }
  }
  return { types, fields, policyNames };
}

// Directive name → spec, from the schema's @link declarations (honouring `as:`).
function directiveNames(document: DocumentNode): Map<string, (typeof enforcedSecuritySpecs)[keyof typeof enforcedSecuritySpecs]> {
  const names = new Map<string, (typeof enforcedSecuritySpecs)[keyof typeof enforcedSecuritySpecs]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const argument = (name: string) => link.arguments?.find((arg) => arg.name.value === name)?.value;
      const url = argument('url');
      if (url?.kind !== Kind.STRING) continue;
      for (const [prefix, spec] of Object.entries(enforcedSecuritySpecs)) {
        if (!url.value.startsWith(prefix)) continue;
        const alias = argument('as');
        names.set(alias?.kind === Kind.STRING ? alias.value : spec, spec);
      }
    }
  }
  return names;
}

// [[String]] as written in the directive: a list of sets of names.
function nameSets(value: ConstValueNode): string[][] {
  if (value.kind !== Kind.LIST) return [];
  return value.values.map((set) => (set.kind === Kind.LIST ? set.values.flatMap((name) => (name.kind === Kind.STRING ? [name.value] : [])) : []));
}
