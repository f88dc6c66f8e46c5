import { SignJWT, base64url, type JWTPayload } from 'jose';
import type { Caller } from '../caller';
import { authConfigFromEnv } from '../config';
import { signToken } from '../sign';
import { verifyBearer } from '../verify';
import { expectUnauthenticated } from './expectUnauthenticated';

const config = authConfigFromEnv({ JWT_SECRET: 'verify-test-secret' });
const secret = new TextEncoder().encode('verify-test-secret');

/** Signs arbitrary claims with the test secret, bypassing signToken's typing to build bad tokens. */
function signRaw(claims: JWTPayload, expiresIn = '1h'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(secret);
}

const bearer = (token: string) => `Bearer ${token}`;

describe('verifyBearer with a shared secret', () => {
  it.each<Caller>([
    { role: 'ADMIN', sub: 'ada' },
    { role: 'LANDLORD_STAFF', sub: 'lea', landlordId: 'landlord-1' },
    { role: 'COORDINATOR', sub: 'cyr', districtIds: ['district-1', 'district-2'] },
    { role: 'PARTNER', sub: 'paul', partnerId: 'partner-1' },
  ])('returns the caller of a valid $role token', async (caller) => {
    const token = await signToken(caller, config, { expiresIn: '1h' });
    await expect(verifyBearer(bearer(token), config)).resolves.toEqual(caller);
  });

  it('accepts the scheme in any case, as RFC 7235 allows', async () => {
    const token = await signToken({ role: 'ADMIN', sub: 'ada' }, config, { expiresIn: '1h' });
    await expect(verifyBearer(`bearer ${token}`, config)).resolves.toEqual({ role: 'ADMIN', sub: 'ada' });
  });

  it('drops claims that belong to another role', async () => {
    const token = await signRaw({ sub: 'ada', role: 'ADMIN', landlordId: 'landlord-1' });
    await expect(verifyBearer(bearer(token), config)).resolves.toEqual({ role: 'ADMIN', sub: 'ada' });
  });

  it.each([
    ['no header', undefined, /Authentication required/],
    ['an empty header', '', /Authentication required/],
    ['another scheme', 'Basic YWRhOnNlY3JldA==', /must read "Bearer <token>"/],
    ['a bearer without token', 'Bearer ', /must read "Bearer <token>"/],
    ['a token that is not a JWT', 'Bearer not-a-jwt', /could not be verified/],
  ])('rejects %s', async (_case, header, message) => {
    await expectUnauthenticated(verifyBearer(header, config), message);
  });

  it('rejects an expired token', async () => {
    const token = await new SignJWT({ sub: 'ada', role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt('2 hours ago')
      .setExpirationTime('1 hour ago')
      .sign(secret);
    await expectUnauthenticated(verifyBearer(bearer(token), config), /expired/);
  });

  it('rejects a token that is not valid yet', async () => {
    const token = await new SignJWT({ sub: 'ada', role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setNotBefore('1h')
      .setExpirationTime('2h')
      .sign(secret);
    await expectUnauthenticated(verifyBearer(bearer(token), config), /not valid yet/);
  });

  it('rejects a token without an expiry', async () => {
    const token = await new SignJWT({ sub: 'ada', role: 'ADMIN' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(secret);
    await expectUnauthenticated(verifyBearer(bearer(token), config), /no valid expiry/);
  });

  it('rejects a token without an issue time, whose lifetime is unknown', async () => {
    const token = await new SignJWT({ sub: 'ada', role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(secret);
    await expectUnauthenticated(verifyBearer(bearer(token), config), /no valid issue time/);
  });

  describe('lifetime (MAX_TOKEN_LIFETIME, 12h by default)', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const signSpan = (iat: number, exp: number) =>
      new SignJWT({ sub: 'ada', role: 'ADMIN' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(iat).setExpirationTime(exp).sign(secret);

    it('accepts a token living exactly 12h', async () => {
      const token = await signSpan(now(), now() + 12 * 3600);
      await expect(verifyBearer(bearer(token), config)).resolves.toEqual({ role: 'ADMIN', sub: 'ada' });
    });

    it('rejects a token living one second longer', async () => {
      const token = await signSpan(now(), now() + 12 * 3600 + 1);
      await expectUnauthenticated(verifyBearer(bearer(token), config), /lives longer than this service accepts \(at most 12h\)/);
    });

    it('rejects a token issued in the future beyond a minute of clock skew, and accepts one within it', async () => {
      await expectUnauthenticated(verifyBearer(bearer(await signSpan(now() + 120, now() + 3600)), config), /issued in the future/);
      await expect(verifyBearer(bearer(await signSpan(now() + 30, now() + 3600)), config)).resolves.toEqual({ role: 'ADMIN', sub: 'ada' });
    });

    it('follows MAX_TOKEN_LIFETIME', async () => {
      const shortLived = authConfigFromEnv({ JWT_SECRET: 'verify-test-secret', MAX_TOKEN_LIFETIME: '30m' });
      await expectUnauthenticated(verifyBearer(bearer(await signRaw({ sub: 'ada', role: 'ADMIN' }, '1h')), shortLived), /at most 30m/);
      await expect(verifyBearer(bearer(await signRaw({ sub: 'ada', role: 'ADMIN' }, '30m')), shortLived)).resolves.toBeDefined();
    });
  });

  it('rejects a tampered signature', async () => {
    const [header, payload, signature = ''] = (await signRaw({ sub: 'ada', role: 'ADMIN' })).split('.');
    const tampered = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    await expectUnauthenticated(verifyBearer(bearer(`${header}.${payload}.${tampered}`), config), /could not be verified/);
  });

  it('rejects a payload promoted to ADMIN under the original signature', async () => {
    const [header, , signature] = (await signRaw({ sub: 'lea', role: 'LANDLORD_STAFF', landlordId: 'landlord-1' })).split('.');
    const promoted = base64url.encode(JSON.stringify({ sub: 'lea', role: 'ADMIN', exp: Math.floor(Date.now() / 1000) + 3600 }));
    await expectUnauthenticated(verifyBearer(bearer(`${header}.${promoted}.${signature}`), config), /could not be verified/);
  });

  it('rejects a token signed with another secret', async () => {
    const token = await signToken({ role: 'ADMIN', sub: 'ada' }, authConfigFromEnv({ JWT_SECRET: 'another' }), { expiresIn: '1h' });
    await expectUnauthenticated(verifyBearer(bearer(token), config), /could not be verified/);
  });

  it('rejects an unsigned token (alg: none)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify({ sub: 'ada', role: 'ADMIN', exp: Math.floor(Date.now() / 1000) + 3600 }));
    await expectUnauthenticated(verifyBearer(bearer(`${header}.${payload}.`), config), /could not be verified/);
  });

  describe('with an issuer and audience configured', () => {
    const strict = authConfigFromEnv({ JWT_SECRET: 'verify-test-secret', JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'quartier' });

    it('accepts a token from that issuer for that audience', async () => {
      const token = await signToken({ role: 'ADMIN', sub: 'ada' }, strict, { expiresIn: '1h' });
      await expect(verifyBearer(bearer(token), strict)).resolves.toEqual({ role: 'ADMIN', sub: 'ada' });
    });

    it.each([
      ['a wrong issuer', { iss: 'https://elsewhere.example', aud: 'quartier' }],
      ['a wrong audience', { iss: 'https://idp.example', aud: 'another-app' }],
      ['no issuer nor audience', {}],
    ])('rejects %s', async (_case, registered) => {
      const token = await signRaw({ sub: 'ada', role: 'ADMIN', ...registered });
      await expectUnauthenticated(verifyBearer(bearer(token), strict), /not issued for this service/);
    });
  });

  it.each([
    ['no sub', { role: 'ADMIN' }, /who you are \(sub\)/],
    ['no role', { sub: 'ada' }, /no role/],
    ['an unknown role', { sub: 'ada', role: 'SUPERUSER' }, /role this service does not know/],
    ['LANDLORD_STAFF without landlordId', { sub: 'lea', role: 'LANDLORD_STAFF' }, /LANDLORD_STAFF needs a landlordId/],
    ['LANDLORD_STAFF with a blank landlordId', { sub: 'lea', role: 'LANDLORD_STAFF', landlordId: ' ' }, /landlordId/],
    ['COORDINATOR without districtIds', { sub: 'cyr', role: 'COORDINATOR' }, /COORDINATOR needs districtIds/],
    ['COORDINATOR with no district', { sub: 'cyr', role: 'COORDINATOR', districtIds: [] }, /districtIds/],
    ['COORDINATOR with a district id that is not a string', { sub: 'cyr', role: 'COORDINATOR', districtIds: ['d-1', 2] }, /districtIds/],
    ['COORDINATOR with districtIds as one string', { sub: 'cyr', role: 'COORDINATOR', districtIds: 'd-1' }, /districtIds/],
    ['PARTNER without partnerId', { sub: 'paul', role: 'PARTNER' }, /PARTNER needs a partnerId/],
  ])('rejects a token with %s', async (_case, claims, message) => {
    await expectUnauthenticated(verifyBearer(bearer(await signRaw(claims)), config), message);
  });
});
