import { describe, expect, it } from 'vitest';
import { AuthenticationFailure } from '../../../gateway/auth/AuthenticationFailure.js';
import { checkIdentityFits } from '../../../gateway/auth/checkIdentityFits.js';
import { subgraphHeaderLimits } from '../../../common/http/subgraphHeaderLimits.js';
import type { Viewer } from '../../../gateway/GatewayContext.js';

const viewer = (subject: string, claims: Record<string, unknown> = {}): Viewer => ({ subject, scopes: ['a:read'], claims: { sub: subject, ...claims } });
const plain = { forwardClaims: [], forwardToken: false };
const refusal = (check: () => void) => {
  try {
    check();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('checkIdentityFits', () => {
  it('lets through an identity under the budget, a 2,000-character non-ASCII subject included', () => {
    expect(() => checkIdentityFits(viewer('7'), plain, undefined)).not.toThrow();
    // 12,000 bytes escaped: near the budget, under it.
    expect(() => checkIdentityFits(viewer('中'.repeat(2000)), plain, undefined)).not.toThrow();
  });

  it('refuses a subject whose escaped form is over the budget, with a message that shows no claim', () => {
    const error = refusal(() => checkIdentityFits(viewer('中'.repeat(2700)), plain, undefined));
    expect(error).toBeInstanceOf(AuthenticationFailure);
    expect((error as AuthenticationFailure).kind).toBe('invalid_token');
    expect((error as Error).message).toMatch(
      /^the token's claims are too large to forward to the subgraphs \(\d+ bytes once encoded, over the 12288 allowed\)/,
    );
    expect((error as Error).message).not.toContain('中');
  });

  it('counts forwarded claims, and only those', () => {
    const large = viewer('7', { profile: 'x'.repeat(subgraphHeaderLimits.identityBytes) });
    expect(() => checkIdentityFits(large, plain, undefined)).not.toThrow();
    const error = refusal(() => checkIdentityFits(large, { forwardClaims: ['profile'], forwardToken: false }, undefined));
    expect(error).toBeInstanceOf(AuthenticationFailure);
    expect((error as Error).message).not.toContain('profile');
  });

  it('counts the authorization header when the token is forwarded, and only then', () => {
    const authorization = `Bearer ${'a'.repeat(9000)}`;
    const subject = 'é'.repeat(600); // 3,600 bytes escaped: with the token, over the budget
    expect(() => checkIdentityFits(viewer(subject), plain, authorization)).not.toThrow();
    expect(() => checkIdentityFits(viewer(subject), { forwardClaims: [], forwardToken: true }, undefined)).not.toThrow();
    expect(refusal(() => checkIdentityFits(viewer(subject), { forwardClaims: [], forwardToken: true }, authorization))).toBeInstanceOf(AuthenticationFailure);
  });
});
