/** One rate-limit rule as a quota policy of the IETF RateLimit header fields. */
export interface QuotaPolicy {
  /** The rule's name: `address`, `default`, `cost` or one of `rateLimit.rules`. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** Charged with estimated cost units rather than one per operation. */
  byCost: boolean;
}

/** Where a client stands against one policy. */
export interface QuotaState {
  policy: QuotaPolicy;
  remaining: number;
  resetSeconds: number;
}

/**
 * The `RateLimit-Policy` and `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers (-10/-11):
 * every policy the request was counted against (`"default";q=600;w=60`, the cost budget with
 * `qu="cost"`), and the remaining quota and seconds to reset of those whose state is known here
 * (`"default";r=598;t=42`). Each item names its rule, so a client never has to guess which limit a
 * number speaks of.
 */
export function rateLimitFields(policies: readonly QuotaPolicy[], states: readonly QuotaState[]): Record<string, string> {
  const fields: Record<string, string> = {};
  if (policies.length > 0) {
    let policy = '';
    for (const p of policies) policy += `${policy === '' ? '' : ', '}${policyItemOf(p)}`;
    fields['ratelimit-policy'] = policy;
  }
  if (states.length > 0) {
    let standing = '';
    for (const s of states) {
      standing += `${standing === '' ? '' : ', '}${nameOf(s.policy)};r=${Math.max(0, Math.floor(s.remaining))};t=${Math.max(0, Math.ceil(s.resetSeconds))}`;
    }
    fields.ratelimit = standing;
  }
  return fields;
}

// A rule's quoted name and its policy item are the same for every answer: worked out once per rule.
const names = new WeakMap<QuotaPolicy, string>();
const policyItems = new WeakMap<QuotaPolicy, string>();

function nameOf(policy: QuotaPolicy): string {
  let name = names.get(policy);
  if (name === undefined) names.set(policy, (name = sfString(policy.name)));
  return name;
}

function policyItemOf(policy: QuotaPolicy): string {
  let item = policyItems.get(policy);
  if (item === undefined) {
    item = `${nameOf(policy)};q=${policy.limit};w=${policy.windowSeconds}${policy.byCost ? ';qu="cost"' : ''}`;
    policyItems.set(policy, item);
  }
  return item;
}

/**
 * A Structured Fields string (RFC 8941): printable ASCII with `"` and `\` escaped. A rule name is
 * the operator's, but a header is no place to trust that: anything else becomes `?`.
 */
function sfString(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
