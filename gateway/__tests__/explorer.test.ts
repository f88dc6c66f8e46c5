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
  it('is served on GET / (via /graphql) to a browser, without a token', async () => {
    const response = await explorerPage('/');
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

  it('sends operations to /graphql and offers an Authorization header to fill in', async () => {
    const html = await (await explorerPage('/graphql')).text();
    expect(html).toContain('"endpoint":"/graphql"');
    expect(html).toContain('"isHeadersEditorEnabled":true');
    expect(html).toContain('Authorization');
  });

  it('is not served to a client that asks for JSON', async () => {
    const response = await fetch(setup.gateway.url, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
  });
});
