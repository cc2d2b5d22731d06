import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../../gateway/config/GatewayConfig.js';
import { loadGatewayConfig } from '../../../gateway/config/loadGatewayConfig.js';
import { createNodeServer } from '../../../gateway/http/createNodeServer.js';

const defaults = loadGatewayConfig({ env: {} });
const server: GatewayConfig['server'] = {
  ...defaults.server,
  headersTimeoutMs: 1000,
  bodyTimeoutMs: 2000,
  admission: { ...defaults.server.admission, queueTimeoutMs: 4000 },
};
const rateLimit = (maxInFlight: number): GatewayConfig['rateLimit'] => ({
  ...defaults.rateLimit,
  enabled: true,
  perAddress: { ...defaults.rateLimit.perAddress, maxInFlight },
});

describe('createNodeServer', () => {
  it("gives a request its headers' and body's time, and with the per-address gate on its longest wait there too, before Node's bare 408", () => {
    // The gate holds a request after its headers and before its body is read: a request let
    // through at the end of its wait still has its whole body time, and the coded answers
    // (the gate's 503, the body timer's 408) come before Node's.
    expect(createNodeServer(server).requestTimeout).toBe(3000);
    expect(createNodeServer(server, rateLimit(0)).requestTimeout).toBe(3000);
    expect(createNodeServer(server, rateLimit(2)).requestTimeout).toBe(7000);
    expect(createNodeServer(server, { ...rateLimit(2), enabled: false }).requestTimeout).toBe(3000);
  });
});
