import type { HeaderRule, HeadersConfig } from '../config/SecurityConfig.js';
import { isReservedHeader } from './isReservedHeader.js';

/** The headers to add to one subgraph's request, from the client request's headers. */
export type HeaderPropagation = (subgraph: string, incoming: Iterable<[string, string]>) => Record<string, string>;

type CompiledRule = (incoming: ReadonlyMap<string, string>, out: Record<string, string>) => void;

/**
 * Header rules as Apollo Router's operators know them: nothing from the client reaches a
 * subgraph unless a rule lets it (`propagate`, optionally renamed, or `matching` a pattern);
 * `set` adds a fixed value. Rules for every subgraph run first, then the subgraph's own.
 */
export function createHeaderPropagation(config: HeadersConfig): HeaderPropagation {
  const all = config.all.map(compile);
  // Each subgraph's whole list, joined once: this runs for every client request and subgraph.
  const perSubgraph = new Map(Object.entries(config.subgraphs).map(([name, rules]) => [name, [...all, ...rules.map(compile)]]));
  return (subgraph, incoming) => {
    const rules = perSubgraph.get(subgraph) ?? all;
    if (rules.length === 0) return {};
    const byName = new Map<string, string>();
    for (const [name, value] of incoming) byName.set(name.toLowerCase(), value);
    // Keyed by the client's header names: no prototype, so `__proto__` or `constructor` is just a name.
    const out = Object.create(null) as Record<string, string>;
    for (const rule of rules) rule(byName, out);
    return out;
  };
}

function compile(rule: HeaderRule): CompiledRule {
  if ('set' in rule) {
    const name = rule.set.toLowerCase();
    return (_incoming, out) => void (out[name] = rule.value);
  }
  if ('matching' in rule) {
    const pattern = new RegExp(rule.matching, 'i');
    // Reserved names never pass, whatever the pattern says.
    return (incoming, out) => {
      for (const [name, value] of incoming) if (pattern.test(name) && !isReservedHeader(name)) out[name] = value;
    };
  }
  const from = rule.propagate.toLowerCase();
  const to = (rule.rename ?? rule.propagate).toLowerCase();
  return (incoming, out) => {
    const value = incoming.get(from);
    if (value !== undefined) out[to] = value;
  };
}
