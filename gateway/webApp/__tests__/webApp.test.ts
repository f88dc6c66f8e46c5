import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { authConfigFromEnv } from '../../../lib/auth/config';
import { verifyBearer } from '../../../lib/auth/verify';
import { gatewayConfigFromEnv } from '../../config';
import { signInRoutes, type SignInConfig } from '../signIn';
import { staticWebApp } from '../staticFiles';

/** One server over the two route handlers, as the gateway chains them; anything unanswered is 404. */
async function serve(root: string, signIn: SignInConfig, env: NodeJS.ProcessEnv): Promise<{ server: Server; base: string }> {
  const routes = signInRoutes({ signIn, auth: authConfigFromEnv(env) });
  const files = staticWebApp(root);
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://x').pathname;
    void (async () => {
      if (!((await routes(request, response, pathname)) || files(request, response, pathname))) {
        response.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A raw request, so that the path reaches the server exactly as written (fetch would normalise `..`). */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const request = httpRequest({ hostname, port, path: rawPath, method: 'GET' }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'web-root-'));
  mkdirSync(path.join(root, 'dist', 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(root, 'dist', 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'secret.txt'), 'outside the build');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the web app files', () => {
  it('serves the build, deep links as the app, and nothing outside the build however the path is written', async () => {
    const { server, base } = await serve(path.join(root, 'dist'), { mode: 'none' }, { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    try {
      expect(await rawGet(base, '/assets/index-abc.js')).toEqual({ status: 200, body: 'console.log(1)' });
      expect((await rawGet(base, '/actions')).body).toContain('<title>app</title>');
      for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt']) {
        expect(await rawGet(base, attempt)).not.toMatchObject({ body: 'outside the build' });
      }
      expect((await rawGet(base, '/missing.js')).status).toBe(404);
    } finally {
      server.close();
    }
  });
});

describe('the development sign-in', () => {
  it('signs a token the graph accepts, outside production with the development secret', async () => {
    const env = { NODE_ENV: 'development' };
    const { server, base } = await serve(root, gatewayConfigFromEnv(env).web.signIn, env);
    try {
      const response = await fetch(`${base}/auth/dev-token`, {
        method: 'POST',
        body: JSON.stringify({ role: 'LANDLORD_STAFF', landlordId: 'landlord-tmh', sub: 'ana' }),
      });
      const { token } = (await response.json()) as { token: string };
      await expect(verifyBearer(`Bearer ${token}`, authConfigFromEnv(env))).resolves.toEqual({
        role: 'LANDLORD_STAFF',
        sub: 'ana',
        landlordId: 'landlord-tmh',
      });
      const incomplete = await fetch(`${base}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ role: 'COORDINATOR' }) });
      expect(incomplete.status).toBe(400);
    } finally {
      server.close();
    }
  });

  it.each([
    ['in production', { NODE_ENV: 'production', JWT_SECRET: 'a-private-production-secret-of-40-bytes!!' }],
    ['with a real JWT_SECRET', { NODE_ENV: 'development', JWT_SECRET: 'a-private-production-secret-of-40-bytes!!' }],
    ['when the identity provider is configured', { NODE_ENV: 'development', OIDC_ISSUER: 'https://id.example', OIDC_CLIENT_ID: 'web' }],
  ])('does not exist %s (404)', async (_case, env) => {
    const { server, base } = await serve(root, gatewayConfigFromEnv(env).web.signIn, env);
    try {
      const response = await fetch(`${base}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ role: 'ADMIN' }) });
      expect(response.status).toBe(404);
      expect(((await fetch(`${base}/auth/config`).then((answer) => answer.json())) as SignInConfig).mode).not.toBe('development');
    } finally {
      server.close();
    }
  });

  it('refuses half an identity provider configuration', () => {
    expect(() => gatewayConfigFromEnv({ OIDC_ISSUER: 'https://id.example' })).toThrow('OIDC_CLIENT_ID');
  });
});
