import { authConfigFromEnv } from '../../lib/auth/config';
import { seedDemoData } from '../../scripts/seed/demo';
import { launchChromium, screenshot, type TestBrowser } from '../support/browser';
import { startOidcProvider, type RunningOidcProvider } from '../support/oidcProvider';
import { freePort } from '../support/ports';
import { startTestGraph, type TestGraph } from '../support/testGraph';

/**
 * Production sign-in end to end: the web app, served by a gateway in production mode with the operation safelist on
 * (the app's persisted documents are in it), signs a coordinator in at a real OpenID Connect provider (authorization code with PKCE), and the graph accepts the provider's access token
 * through JWT_JWKS_URL, issuer and audience, reading the role claims the provider put in it.
 */
const CLIENT_ID = 'quartier-commun-web';
const AUDIENCE = 'https://graph.quartier-commun.test';

jest.setTimeout(120_000);

let provider: RunningOidcProvider;
let graph: TestGraph;
let chromium: TestBrowser;
let origin: string;

beforeAll(async () => {
  const issuer = `http://127.0.0.1:${await freePort()}`;
  graph = await startTestGraph({
    // The keys are fetched when the first token arrives, by then the provider listens.
    auth: authConfigFromEnv({ NODE_ENV: 'production', JWT_JWKS_URL: `${issuer}/jwks`, JWT_ISSUER: issuer, JWT_AUDIENCE: AUDIENCE }),
    nodeEnv: 'production',
    gatewayEnv: { OPERATION_SAFELIST: 'on', OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_SCOPE: 'openid profile graph' },
  });
  await seedDemoData(graph.db);
  origin = new URL(graph.gatewayUrl).origin;
  provider = await startOidcProvider({
    port: Number(new URL(issuer).port),
    clientId: CLIENT_ID,
    redirectUri: `${origin}/auth/callback`,
    audience: AUDIENCE,
    accounts: { 'camille.coordination': { role: 'COORDINATOR', districtIds: ['district-grand-mirail'] } },
  });
  expect(provider.issuer).toBe(issuer);
  chromium = await launchChromium();
}, 300_000);

afterAll(async () => {
  // Any of them is missing when beforeAll failed part-way; the others must still be closed.
  const started = [chromium, graph, provider] as ({ close(): Promise<unknown> } | undefined)[];
  for (const resource of started) await resource?.close();
});

test('in production the development sign-in does not exist: no token is signed, and the app is told to use the provider', async () => {
  expect((await fetch(`${origin}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ role: 'ADMIN' }) })).status).toBe(404);
  expect(await fetch(`${origin}/auth/config`).then((response) => response.json())).toEqual({
    mode: 'oidc',
    issuer: provider.issuer,
    clientId: CLIENT_ID,
    scope: 'openid profile graph',
  });
});

test('a coordinator signs in at the identity provider and the graph serves her district with the provider’s token', async () => {
  const context = await chromium.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // The provider's own login page (its development interactions: any password).
  await page.waitForURL((url) => url.origin === provider.issuer);
  await page.locator('input[name="login"]').fill('camille.coordination');
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  // Its consent page, for the graph's scope.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${origin}/quartier`);
  await page.getByTestId('key-figures').waitFor();
  expect(await page.getByTestId('buildings').textContent()).toBe('20');
  expect(await page.getByText('Coordination de quartier (GUSP)').count()).toBe(1);
  await screenshot(page, 'oidc-signed-in');
  await context.close();
});
