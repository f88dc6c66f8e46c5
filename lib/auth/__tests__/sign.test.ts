import { decodeJwt, decodeProtectedHeader } from 'jose';
import { authConfigFromEnv } from '../config';
import { signToken } from '../sign';

describe('signToken', () => {
  const originalNodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = originalNodeEnv;
  });

  it('signs HS256 with the configured issuer, audience and expiry', async () => {
    const config = authConfigFromEnv({ JWT_SECRET: 'sign-test', JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'quartier' });
    const token = await signToken({ role: 'COORDINATOR', sub: 'cyr', districtIds: ['district-1'] }, config, { expiresIn: '2h' });

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: 'cyr',
      role: 'COORDINATOR',
      districtIds: ['district-1'],
      iss: 'https://idp.example',
      aud: 'quartier',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(2 * 60 * 60);
  });

  it('refuses to sign with the development default secret when NODE_ENV=production', async () => {
    const developmentConfig = authConfigFromEnv({});
    process.env.NODE_ENV = 'production';
    await expect(signToken({ role: 'ADMIN', sub: 'ada' }, developmentConfig, { expiresIn: '1h' })).rejects.toThrow(
      /development default secret/,
    );
  });

  it('refuses a lifetime above MAX_TOKEN_LIFETIME, which the services would refuse', async () => {
    const config = authConfigFromEnv({ JWT_SECRET: 'sign-test', MAX_TOKEN_LIFETIME: '12h' });
    await expect(signToken({ role: 'ADMIN', sub: 'ada' }, config, { expiresIn: '36500d' })).rejects.toThrow(
      'A token may live at most 12h (MAX_TOKEN_LIFETIME); 36500d is longer.',
    );
    const token = await signToken({ role: 'ADMIN', sub: 'ada' }, config, { expiresIn: '720m' });
    expect((decodeJwt(token).exp ?? 0) - (decodeJwt(token).iat ?? 0)).toBe(12 * 60 * 60);
  });

  it('refuses to sign when keys come from a JWKS', async () => {
    const jwksConfig = authConfigFromEnv({ JWT_JWKS_URL: 'https://idp.example/jwks.json' });
    await expect(signToken({ role: 'ADMIN', sub: 'ada' }, jwksConfig, { expiresIn: '1h' })).rejects.toThrow(/identity provider/);
  });
});
