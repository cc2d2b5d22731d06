/**
 * Portico config for scenarios whose operations nest lists several levels deep (users → reviews
 * → author → friends → reviews): their estimated cost passes the default `demandControl.maxCost`
 * (5,000) and, over a file's worth of operations, the per-client cost budget (50,000 a minute).
 * Portico would refuse them (COST_LIMIT_EXCEEDED, RATE_LIMITED) before planning, where vanilla
 * Apollo Gateway has no such limits. Both are raised, not switched off: cost analysis still
 * runs on every operation. Demand control has its own tests (test/traffic/).
 */
export const generousCostLimits = {
  demandControl: { maxCost: 10_000_000 },
  rateLimit: { cost: { budget: 1_000_000_000 } },
};
