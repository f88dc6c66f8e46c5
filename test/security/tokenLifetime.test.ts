import { SignJWT } from 'jose';
import { DEVELOPMENT_JWT_SECRET } from '../../lib/auth/config';
import { runScript } from '../support/runScript';
import { type TestGraph, startTestGraph } from '../support/testGraph';

/**
 * A leaked token must not stay usable for long: exp - iat is bounded by MAX_TOKEN_LIFETIME (12 h by default), a token
 * without exp or iat, or issued in the future, is refused, at the gateway and at each subgraph (both verify it), and
 * `npm run token` will not sign what the services would refuse.
 */

const HOUR = 3_600;
const DAY = 24 * HOUR;
const now = () => Math.floor(Date.now() / 1000);

/** An admin token with the lifetime claims given (a claim left undefined is left out), signed as the tests' graph expects. */
function adminToken({ iat, exp }: { iat?: number; exp?: number }): Promise<string> {
  const token = new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('lifetime-test');
  if (iat !== undefined) token.setIssuedAt(iat);
  if (exp !== undefined) token.setExpirationTime(exp);
  return token.sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
}

const TARGETS = ['gateway', 'housing', 'tenancy', 'actions', 'partners'] as const;

describe('security: token lifetime', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph();
  });

  afterAll(async () => {
    await graph.close();
  });

  async function codesAt(target: (typeof TARGETS)[number], token: string): Promise<(string | undefined)[]> {
    const response = await graph.request('query { __typename }', {
      caller: null,
      headers: { authorization: `Bearer ${token}` },
      url: target === 'gateway' ? undefined : graph.subgraphUrls[target],
    });
    return (response.errors ?? []).map((error) => error.extensions?.code);
  }

  describe.each(TARGETS)('at %s', (target) => {
    it('refuses a 100-year token', async () => {
      expect(await codesAt(target, await adminToken({ iat: now(), exp: now() + 36_500 * DAY }))).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a token issued ten years in the future', async () => {
      const issued = now() + 3_650 * DAY;
      expect(await codesAt(target, await adminToken({ iat: issued, exp: issued + HOUR }))).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a token without iat, or without exp', async () => {
      expect(await codesAt(target, await adminToken({ exp: now() + HOUR }))).toEqual(['UNAUTHENTICATED']);
      expect(await codesAt(target, await adminToken({ iat: now() }))).toEqual(['UNAUTHENTICATED']);
    });

    it('accepts a 12-hour token, and refuses one a minute longer', async () => {
      expect(await codesAt(target, await adminToken({ iat: now(), exp: now() + 12 * HOUR }))).toEqual([]);
      expect(await codesAt(target, await adminToken({ iat: now(), exp: now() + 12 * HOUR + 60 }))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('npm run token', () => {
    const env = {
      NODE_ENV: 'development',
      JWT_SECRET: 'lifetime-test-secret',
      JWT_ISSUER: '',
      JWT_AUDIENCE: '',
      JWT_JWKS_URL: '',
      MAX_TOKEN_LIFETIME: '',
    };

    it('refuses --expires 36500d with a clear message and a non-zero exit, printing no token; signs --expires 12h', async () => {
      const refused = await runScript('scripts/token.ts', ['--role', 'ADMIN', '--expires', '36500d'], env);
      expect(refused.status).not.toBe(0);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('A token may live at most 12h (MAX_TOKEN_LIFETIME); 36500d is longer.');
      const signed = await runScript('scripts/token.ts', ['--role', 'ADMIN', '--expires', '12h'], env);
      expect(signed.status).toBe(0);
      expect(signed.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    });
  });
});
