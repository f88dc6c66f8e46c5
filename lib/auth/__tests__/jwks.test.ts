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

function signWith(key: KeyLike | Uint8Array, alg: string, kid: string): Promise<string> {
  return new SignJWT({ role: 'PARTNER', partnerId: 'partner-1' })
    .setProtectedHeader({ alg, kid })
    .setSubject('regie-nord')
    .setIssuer('https://idp.example')
    .setAudience('quartier')
    .setExpirationTime('5m')
    .sign(key);
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
