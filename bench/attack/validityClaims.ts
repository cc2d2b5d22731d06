/** How long the attackers' tokens are valid: what an identity provider issues, and longer than any run. */
const lifetimeSeconds = 3600;

/**
 * `iat` now and `exp` an hour on, as an identity provider issues them: the gateway refuses tokens
 * without `exp` (`authentication.requireExpiry`), so a token without one would measure that check,
 * not the attack.
 */
export function validityClaims(): { iat: number; exp: number } {
  const now = Math.floor(Date.now() / 1000);
  return { iat: now, exp: now + lifetimeSeconds };
}
