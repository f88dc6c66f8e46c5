import { authConfigFromEnv } from '../../lib/auth/config';
import { verifyBearer } from '../../lib/auth/verify';
import { gatewayConfigFromEnv } from '../config';
import { startGateway } from '../startGateway';
import { startGatewayUnderTest, type GatewayUnderTest } from './gatewayTestSetup';

let setup: GatewayUnderTest;

beforeAll(async () => {
  setup = await startGatewayUnderTest();
});

afterAll(() => setup.close());

/**
 * Ways a page makes the browser fetch something: HTML attributes, CSS, script loaders, workers, sockets
 * and React `src` props. Plain links a person may click (GraphiQL's "docs" anchors) are not loads.
 */
const NETWORK_LOADS: RegExp[] = [
  /\b(?:src|href|action|poster|srcset)\s*=\s*\\?["']?\s*(?:https?:)?\/\//i,
  /url\(\s*\\?["']?\s*(?:https?:)?\/\//i,
  /@import\s+(?:url\()?\s*\\?["']?\s*(?:https?:)?\/\//i,
  /\b(?:import|importScripts|fetch)\(\s*\\?["'`](?:https?:)?\/\//i,
  /new\s+(?:Worker|SharedWorker|WebSocket|EventSource)\(\s*\\?["'`](?:https?:|wss?:)?\/\//i,
  /\bsrc\s*:\s*\\?["'`](?:https?:)?\/\//i,
];

async function explorerPage(path: string): Promise<Response> {
  return fetch(new URL(path, setup.gateway.url), { headers: { accept: 'text/html' } });
}

describe('explorer landing page', () => {
  // GET / is the web app's (test/web); the explorer lives on the GraphQL path itself.
  it('is served on GET /graphql to a browser, without a token', async () => {
    const response = await explorerPage('/graphql');
    expect(response.status).toBe(200);
    expect(response.url).toBe(setup.gateway.url);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Quartier Commun</title>');
    expect(html).toContain('renderYogaGraphiQL');
  });

  it('loads nothing from another origin, so it works offline', async () => {
    const html = await (await explorerPage('/graphql')).text();
    for (const pattern of NETWORK_LOADS) expect(html).not.toMatch(pattern);
  });

  it('sends operations to /graphql and says how to get a token', async () => {
    const html = await (await explorerPage('/graphql')).text();
    expect(html).toContain('"endpoint":"/graphql"');
    expect(html).toContain('"isHeadersEditorEnabled":true');
    expect(html).toContain('npm run -s token -- --role ADMIN');
    expect(html).not.toContain('<token>');
  });

  it('with the development secret, fills in a token that makes its first request (the schema) succeed', async () => {
    const html = await (await explorerPage('/graphql')).text();
    const token = /Bearer ([\w-]+\.[\w-]+\.[\w-]+)/.exec(html)?.[1];
    expect(token).toBeDefined();
    await expect(verifyBearer(`Bearer ${token}`, authConfigFromEnv({ NODE_ENV: 'test' }))).resolves.toMatchObject({ role: 'ADMIN' });

    const response = await fetch(setup.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(await response.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it.each([
    ['a real signing secret', { NODE_ENV: 'test', JWT_SECRET: 'a-private-secret-of-at-least-32-bytes!!' }],
    ['production', { NODE_ENV: 'production', JWT_SECRET: 'a-private-secret-of-at-least-32-bytes!!' }],
  ])('with %s, hands out no token and starts with empty headers', async (_label, env) => {
    const gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl: setup.subgraph.supergraphSdl,
      subgraphUrls: { echo: setup.subgraph.service.url },
      auth: authConfigFromEnv(env),
      config: gatewayConfigFromEnv(env),
    });
    try {
      const html = await (await fetch(gateway.url, { headers: { accept: 'text/html' } })).text();
      expect(html).not.toMatch(/Bearer [\w-]+\./);
      expect(html).toContain('"headers":"{}"');
    } finally {
      await gateway.close();
    }
  });

  it('is not served to a client that asks for JSON', async () => {
    const response = await fetch(setup.gateway.url, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
  });
});
