import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApolloGateway } from '../../../gateway/supergraph/createApolloGateway.js';
import { createSupergraphManager } from '../../../gateway/supergraph/createSupergraphManager.js';

const before = process.env.APOLLO_TELEMETRY_DISABLED;
afterEach(() => {
  if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
  else process.env.APOLLO_TELEMETRY_DISABLED = before;
});

function build() {
  const logger = pino({ level: 'silent' });
  const manager = createSupergraphManager({ source: 'x', kind: 'file', read: async () => '', initialSdl: '', watch: false, pollIntervalMs: 1000, logger });
  return createApolloGateway(manager, logger);
}

/** What Apollo Gateway disposes of at stop: its telemetry meter provider, when it started one. */
const disposables = (gateway: ReturnType<typeof build>) => (gateway as unknown as { toDispose: unknown[] }).toDispose;

describe('createApolloGateway', () => {
  it('starts no Apollo telemetry, and leaves the environment as it found it', () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    const gateway = build();
    // Fails if Apollo Gateway stops reading APOLLO_TELEMETRY_DISABLED in its constructor.
    expect(disposables(gateway)).toEqual([]);
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBeUndefined();
    expect(Object.hasOwn(process.env, 'APOLLO_TELEMETRY_DISABLED')).toBe(false);
  });

  it("puts back an operator's own value", () => {
    process.env.APOLLO_TELEMETRY_DISABLED = '0';
    expect(disposables(build())).toEqual([]);
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('0');
  });
});
