// What CPU fairness (rateLimit.perAddress.cpuShare) costs a request: its accounting, two `ready`
// and two `unready` per request (at the gate, around its subgraph calls, at its release), each
// reading the loop's busy time. `node --import tsx bench/attack/loopSharesCost.ts`
import { performance } from 'node:perf_hooks';
import { createLoopShares } from '../../gateway/traffic/createLoopShares.js';

const shares = createLoopShares({ halfLifeMs: 1000, busyNow: () => performance.eventLoopUtilization().active });
const addresses = Array.from({ length: 16 }, (_, i) => `10.0.0.${i}`);
const requests = 1_000_000;
for (let round = 0; round < 3; round += 1) {
  const started = performance.now();
  for (let i = 0; i < requests; i += 1) {
    const address = addresses[i & 15]!;
    shares.ready(address);
    shares.unready(address);
    shares.ready(address);
    shares.unready(address);
  }
  console.log(`accounting per request: ${(((performance.now() - started) * 1e6) / requests).toFixed(0)} ns`);
}
const started = performance.now();
for (let i = 0; i < requests; i += 1) performance.eventLoopUtilization();
console.log(`one eventLoopUtilization() read: ${(((performance.now() - started) * 1e6) / requests).toFixed(0)} ns`);
