// A real OpenID Connect provider (the oidc-provider package) for the web app's end-to-end sign-in test, run as its own
// process because the package is ESM-only. Settings come from the environment; it prints one line of JSON
// ({ issuer }) once it listens. Its development interactions (a login form taking any password) sign people in
// as the account named by the login; accounts and their role claims come from OIDC_ACCOUNTS.
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const { OIDC_PORT, OIDC_CLIENT_ID, OIDC_REDIRECT_URI, OIDC_AUDIENCE, OIDC_ACCOUNTS } = process.env;
const accounts = JSON.parse(OIDC_ACCOUNTS ?? '{}');
const issuer = `http://127.0.0.1:${OIDC_PORT}`;
const API_SCOPE = 'graph';

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      token_endpoint_auth_method: 'none',
      redirect_uris: [OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true, methods: ['S256'] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // The web app (a public client) calls the token endpoint from its own origin.
  clientBasedCORS: (_ctx, origin, client) => client.redirectUris.some((uri) => new URL(uri).origin === origin),
  scopes: ['openid', 'profile', API_SCOPE],
  features: {
    devInteractions: { enabled: true },
    // Access tokens for the graph: JWTs signed with the provider's keys, for the graph's audience.
    resourceIndicators: {
      enabled: true,
      defaultResource: () => OIDC_AUDIENCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: API_SCOPE,
        audience: OIDC_AUDIENCE,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 3600,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  findAccount: (_ctx, id) => (accounts[id] ? { accountId: id, claims: () => ({ sub: id }) } : undefined),
  // The graph's role claims in the access token, as a deployment maps them from its directory.
  extraTokenClaims: (_ctx, token) => (token.kind === 'AccessToken' ? accounts[token.accountId] : undefined),
});

const server = provider.listen(Number(OIDC_PORT), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
