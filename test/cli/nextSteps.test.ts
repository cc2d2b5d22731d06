import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../cli/scaffold/nextSteps.js';
import type { RestSpec } from '../../cli/scaffold/ScaffoldSpec.js';
import { subgraphNames } from '../../cli/scaffold/subgraphNames.js';

// dev.e2e.ts adds subgraphs while `portico dev` runs, so it sees the steps for a running dev;
// these are the steps without one.
const widgets: RestSpec = { kind: 'rest', names: subgraphNames('widgets'), port: 4005, baseUrl: 'http://localhost:8080/widgets', entity: 'Widget' };

describe('nextSteps', () => {
  it('without a running dev, says how to start the stack with the service reachable, and queries the default gateway', () => {
    const lines = nextSteps(widgets);
    expect(lines).toContain('The widgets subgraph is ready (port 4005). Next:');
    expect(lines).toContain('  1. Start everything with your service reachable: WIDGETS_SERVICE_URL=http://localhost:8080/widgets npm start');
    expect(lines).toContain('  2. Query it through the gateway at http://localhost:4000/graphql, e.g. { widget(id: "1") { id name } }');
    expect(lines.join('\n')).not.toContain('portico dev');
  });

  it('with a running dev, says dev starts the subgraph and points at its gateway', () => {
    const lines = nextSteps(widgets, { pid: 4242, gatewayUrl: 'http://localhost:41234/graphql' });
    expect(lines[2]).toMatch(
      /^ {2}1\. portico dev \(process 4242\) is running here: it starts widgets within seconds, reaching your service at http:\/\/localhost:8080\/widgets/,
    );
    expect(lines[3]).toBe('  2. Query it through the gateway at http://localhost:41234/graphql, e.g. { widget(id: "1") { id name } }');
  });
});
