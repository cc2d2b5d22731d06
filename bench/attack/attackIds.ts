/** The attacks of the "under attack" scenario, in the order they run (issue 15's denial-of-service findings). */
export const attackIds = [
  'jwt-header-injection',
  'prototype-pollution',
  'slow-bodies',
  'invented-api-keys',
  'label-explosion',
  'cpu-bombs',
  'refused-flood',
  'breaker-opening',
] as const;

export type AttackId = (typeof attackIds)[number];
