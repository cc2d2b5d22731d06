/**
 * The loopback address the hostile targets list in `rateLimit.trustedProxies`: a request sent
 * from it names its client in `x-forwarded-for`, whatever text that is.
 */
export const TRUSTED_PROXY = '127.0.0.9';
