import { AuthConfigError, DEVELOPMENT_JWT_SECRET, authConfigFromEnv } from '../config';

const PRODUCTION_SECRET = 'a-private-random-value-of-at-least-32-bytes';

describe('authConfigFromEnv', () => {
  it('falls back to the development default secret outside production', () => {
    const { keySource } = authConfigFromEnv({ NODE_ENV: 'development' });
    expect(keySource).toMatchObject({ kind: 'secret', isDevelopmentDefault: true });
    expect(keySource.kind === 'secret' && keySource.secret.export().toString()).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it('uses JWT_SECRET and reads the optional issuer and audience', () => {
    const config = authConfigFromEnv({ JWT_SECRET: 'local', JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'quartier' });
    expect(config.keySource.kind === 'secret' && config.keySource.secret.export().toString()).toBe('local');
    expect(config).toEqual({
      keySource: { kind: 'secret', secret: expect.anything(), isDevelopmentDefault: false },
      issuer: 'https://idp.example',
      audience: 'quartier',
      maxTokenLifetimeSeconds: 12 * 3600,
    });
  });

  it('reads MAX_TOKEN_LIFETIME in the syntax of --expires, 12h by default', () => {
    expect(authConfigFromEnv({ MAX_TOKEN_LIFETIME: '45m' }).maxTokenLifetimeSeconds).toBe(45 * 60);
    expect(authConfigFromEnv({ MAX_TOKEN_LIFETIME: '' }).maxTokenLifetimeSeconds).toBe(12 * 3600);
    expect(() => authConfigFromEnv({ MAX_TOKEN_LIFETIME: '12 hours' })).toThrow(/MAX_TOKEN_LIFETIME "12 hours" is not a duration/);
  });

  it('treats empty variables, as Compose passes them, as unset', () => {
    const config = authConfigFromEnv({ JWT_SECRET: '', JWT_JWKS_URL: ' ', JWT_ISSUER: '', JWT_AUDIENCE: '' });
    expect(config).toEqual({ keySource: expect.objectContaining({ isDevelopmentDefault: true }), maxTokenLifetimeSeconds: 12 * 3600 });
  });

  it('uses the JWKS URL for real deployments', () => {
    const { keySource } = authConfigFromEnv({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks.json' });
    expect(keySource).toMatchObject({ kind: 'jwks', url: new URL('https://idp.example/jwks.json') });
  });

  it.each([
    ['no secret and no JWKS in production', { NODE_ENV: 'production' }, /set JWT_SECRET .* or JWT_JWKS_URL/],
    ['the development default in production', { NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET }, /private random value/],
    ['a short secret in production', { NODE_ENV: 'production', JWT_SECRET: 'short' }, /at least 32 bytes/],
    ['both a secret and a JWKS URL', { JWT_SECRET: PRODUCTION_SECRET, JWT_JWKS_URL: 'https://idp.example/jwks' }, /not both/],
    ['a JWKS URL that is not a URL', { JWT_JWKS_URL: 'idp/jwks' }, /not a valid URL/],
    ['a JWKS URL that is not http(s)', { JWT_JWKS_URL: 'file:///etc/jwks.json' }, /http\(s\) URL/],
  ])('refuses to start with %s', (_case, env, message) => {
    expect(() => authConfigFromEnv(env)).toThrow(AuthConfigError);
    expect(() => authConfigFromEnv(env)).toThrow(message);
  });

  it('accepts a long private secret in production', () => {
    expect(authConfigFromEnv({ NODE_ENV: 'production', JWT_SECRET: PRODUCTION_SECRET }).keySource).toMatchObject({
      kind: 'secret',
      isDevelopmentDefault: false,
    });
  });
});
