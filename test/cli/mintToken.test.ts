import jwt, { type JwtPayload } from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { mintToken } from '../../cli/token/mintToken.js';
import { createTokenVerifier } from '../../gateway/auth/createTokenVerifier.js';

const secret = 'test-jwt-secret-0123456789abcdef';

describe('mintToken (portico token)', () => {
  it('mints a token that expires, which a gateway with the default requireExpiry and a max age accepts', async () => {
    const token = mintToken({ subject: '7', scopes: ['a', 'b'], claims: { role: 'staff' }, secret, expiresInSeconds: 600 });
    const payload = jwt.decode(token) as JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(600);
    const verify = createTokenVerifier({
      mode: 'optional',
      algorithms: ['HS256'],
      secret,
      publicKeyFile: null,
      jwks: null,
      issuer: [],
      audience: [],
      clockToleranceSeconds: 5,
      requireExpiry: true,
      maxTokenAgeSeconds: 3600,
      requiredClaims: [],
      cookie: null,
      forwardToken: false,
      forwardClaims: [],
    });
    expect(await verify(token)).toMatchObject({ subject: '7', scopes: ['a', 'b'], claims: { role: 'staff' } });
  });
});
