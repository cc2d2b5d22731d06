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
    fields['ratelimit-policy'] = policies.map((p) => `${sfString(p.name)};q=${p.limit};w=${p.windowSeconds}${p.byCost ? ';qu="cost"' : ''}`).join(', ');
  }
  if (states.length > 0) {
    fields.ratelimit = states
      .map((s) => `${sfString(s.policy.name)};r=${Math.max(0, Math.floor(s.remaining))};t=${Math.max(0, Math.ceil(s.resetSeconds))}`)
      .join(', ');
  }
  return fields;
}

/**
 * A Structured Fields string (RFC 8941): printable ASCII with `"` and `\` escaped. A rule name is
 * the operator's, but a header is no place to trust that: anything else becomes `?`.
 */
function sfString(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
