import type { BenchAttack } from './BenchAttack.js';
import { breakerOpening } from './attacks/breakerOpening.js';
import { cpuBombs } from './attacks/cpuBombs.js';
import { inventedApiKeys } from './attacks/inventedApiKeys.js';
import { jwtHeaderInjection } from './attacks/jwtHeaderInjection.js';
import { labelExplosion } from './attacks/labelExplosion.js';
import { prototypePollution } from './attacks/prototypePollution.js';
import { refusedFlood } from './attacks/refusedFlood.js';
import { slowBodies } from './attacks/slowBodies.js';

/** Issue 15's denial-of-service attacks, in the order the scenario runs them (that of `attackIds`). */
export const benchAttacks: readonly BenchAttack[] = [
  jwtHeaderInjection,
  prototypePollution,
  slowBodies,
  inventedApiKeys,
  labelExplosion,
  cpuBombs,
  refusedFlood,
  breakerOpening,
];
