import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { authConfigFromEnv, type AuthConfig } from '../config';
import { verifyBearer } from '../verify';
import { expectUnauthenticated } from './expectUnauthenticated';

/** An identity provider in miniature: one key pair per algorithm, public halves served as a JWKS. */
const ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

const privateKeys = new Map<Algorithm, KeyLike>();
let server: Server;
let config: AuthConfig;

beforeAll(async () => {
  const keys = [];
  for (const alg of ALGORITHMS) {
    const { publicKey, privateKey } = await generateKeyPair(alg);
    privateKeys.set(alg, privateKey);
    keys.push({ ...(await exportJWK(publicKey)), kid: alg, alg, use: 'sig' });
  }
  const body = JSON.stringify({ keys });
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  config = authConfigFromEnv({
    NODE_ENV: 'production',
    JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    JWT_ISSUER: 'https://idp.example',
    JWT_AUDIENCE: 'quartier',
  });
});

afterAll(() => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))));

function signWith(
  key: KeyLike | Uint8Array,
  alg: string,
  kid: string,
  lifetime: { iat?: number; exp: string | number } = { exp: '5m' },
): Promise<string> {
  const token = new SignJWT({ role: 'PARTNER', partnerId: 'partner-1' })
    .setProtectedHeader({ alg, kid })
    .setSubject('regie-nord')
    .setIssuer('https://idp.example')
    .setAudience('quartier')
    .setExpirationTime(lifetime.exp);
  if (!('iat' in lifetime)) token.setIssuedAt();
  else if (lifetime.iat !== undefined) token.setIssuedAt(lifetime.iat);
  return token.sign(key);
}

function privateKey(alg: Algorithm): KeyLike {
  const key = privateKeys.get(alg);
  if (key === undefined) throw new Error(`no test key for ${alg}`);
  return key;
}

describe('verifyBearer with a JWKS', () => {
  it.each(ALGORITHMS)('accepts a token signed with a published %s key', async (alg) => {
    const token = await signWith(privateKey(alg), alg, alg);
    await expect(verifyBearer(`Bearer ${token}`, config)).resolves.toEqual({
      role: 'PARTNER',
      sub: 'regie-nord',
      partnerId: 'partner-1',
    });
  });

  it('holds the identity provider to the same lifetime bounds: no iat, over MAX_TOKEN_LIFETIME, iat in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const key = privateKey('ES256');
    await expectUnauthenticated(
      verifyBearer(`Bearer ${await signWith(key, 'ES256', 'ES256', { iat: undefined, exp: '5m' })}`, config),
      /issue time/,
    );
    await expectUnauthenticated(verifyBearer(`Bearer ${await signWith(key, 'ES256', 'ES256', { exp: '36500d' })}`, config), /lives longer/);
    const future = await signWith(key, 'ES256', 'ES256', { iat: now + 3650 * 86_400, exp: now + 3650 * 86_400 + 60 });
    await expectUnauthenticated(verifyBearer(`Bearer ${future}`, config), /issued in the future/);
  });

  it('refuses a token signed by a key the JWKS does not publish, even under a published kid', async () => {
    const { privateKey: foreignKey } = await generateKeyPair('RS256');
    const token = await signWith(foreignKey, 'RS256', 'RS256');
    await expectUnauthenticated(verifyBearer(`Bearer ${token}`, config), /could not be verified/);
  });

  it('refuses a token whose kid is not in the JWKS', async () => {
    const { privateKey: foreignKey } = await generateKeyPair('ES256');
    const token = await signWith(foreignKey, 'ES256', 'unknown-key');
    await expectUnauthenticated(verifyBearer(`Bearer ${token}`, config), /could not be verified/);
  });

  it('refuses an HS256 token, so a public key cannot be used as an HMAC secret', async () => {
    const token = await signWith(new TextEncoder().encode('guessable'), 'HS256', 'RS256');
    await expectUnauthenticated(verifyBearer(`Bearer ${token}`, config), /could not be verified/);
  });
});
