import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// gateway/operation/ is the one place that picks fragments out of a document (fragmentsOf) and
// evaluates @skip/@include (isIncluded, on the coerced variables). Each stage once did both its
// own way, and two of them disagreeing (raw against defaulted variables) let authorization pass
// a field that execution then selected. This fails when a gateway file does either itself.
const module = 'gateway/operation/';
// Generated code: the explorer's browser bundle (GraphiQL's own), not the gateway's request path.
const generated = 'gateway/explorer/generated/';

const bypasses: { what: string; pattern: RegExp }[] = [
  { what: 'evaluates @skip/@include by name (use isIncluded)', pattern: /['"`](skip|include)['"`]/ },
  {
    what: "uses graphql-js's directive evaluation (use isIncluded)",
    pattern: /\bgetDirectiveValues\b|\bGraphQL(Skip|Include)Directive\b|\bshouldIncludeNode\b/,
  },
  { what: 'picks fragment definitions out of a document (use fragmentsOf)', pattern: /Kind\.FRAGMENT_DEFINITION|['"`]FragmentDefinition['"`]|\bgetFragment\b/ },
  { what: 'keeps its own map of fragment definitions (use fragmentsOf)', pattern: /(new Map|Record)<[^>]*FragmentDefinitionNode/ },
];

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

function offences(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, index) => {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('*') || trimmed.startsWith('//') || trimmed.startsWith('/*')) return [];
    return bypasses.filter(({ pattern }) => pattern.test(line)).map(({ what }) => `${file}:${index + 1} ${what}: ${line.trim()}`);
  });
}

describe('the operation module', () => {
  it('is the only gateway code that evaluates @skip/@include or builds a fragment map', () => {
    const files = sources('gateway').filter((file) => !file.startsWith(module) && !file.startsWith(generated));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => offences(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('does both itself', () => {
    expect(offences('gateway/operation/isIncluded.ts', readFileSync('gateway/operation/isIncluded.ts', 'utf8'))).not.toEqual([]);
    expect(offences('gateway/operation/fragmentsOf.ts', readFileSync('gateway/operation/fragmentsOf.ts', 'utf8'))).not.toEqual([]);
  });

  // The ways the walkers did it before there was a module: each must still be caught.
  it.each([
    "      if (name !== 'skip' && name !== 'include') continue;",
    '      const directives = getDirectiveValues(GraphQLSkipDirective, node, variables);',
    '    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);',
    "        const fragment = document.definitions.find((d) => d.kind === 'FragmentDefinition' && d.name.value === name);",
    '  const fragments = new Map<string, FragmentDefinitionNode>();',
    '  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);',
  ])('catches %s', (line) => {
    expect(offences('gateway/example.ts', line)).toHaveLength(1);
  });
});
