import type { Registries } from './registerSubgraph.js';

/**
 * The port after the highest one a subgraph routes to, skipped past any port another service
 * already uses in docker-compose.yml or `portico dev`.
 */
export function nextSubgraphPort(registries: Registries): number {
  const portsIn = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => Number(match[1]));
  const routed = portsIn(registries.supergraphYaml, /routing_url:\s*\S+:(\d+)\//g);
  const taken = new Set([
    ...routed,
    ...portsIn(registries.dockerComposeYml, /PORT:\s*"?(\d+)"?/g),
    ...portsIn(registries.devServicesTs, /defaultPort:\s*(\d+)/g),
  ]);
  let port = Math.max(4000, ...routed) + 1;
  while (taken.has(port)) port += 1;
  return port;
}
