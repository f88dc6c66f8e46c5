import * as oauth from 'oauth4webapi';
import { OIDC_CALLBACK_PATH } from './oidcPaths';

/** The landlords' identity provider, as GET /auth/config describes it. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
}

const PENDING_KEY = 'quartier-commun.oidc-pending';

const redirectUri = () => `${window.location.origin}${OIDC_CALLBACK_PATH}`;

/** Plain http is only ever accepted for a provider on this machine (development and tests). */
function requestOptions(issuer: URL) {
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  // The library marks this option deprecated only so that it stands out; it is confined to loopback above.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return loopback && issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(config: OidcConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, requestOptions(issuer)));
}

/** Authorization code with PKCE (S256): the verifier and the state stay in this tab until the provider answers. */
export async function startOidcSignIn(config: OidcConfig): Promise<void> {
  const server = await discover(config);
  if (!server.authorization_endpoint) throw new Error('Le fournisseur d’identité ne publie pas de point d’autorisation.');
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ codeVerifier, state }));
  const url = new URL(server.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: config.scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.href);
}

/**
 * Back from the provider: checks the state, exchanges the code (with the PKCE verifier) and validates the ID token;
 * returns the access token, which the graph verifies against the provider's keys (JWT_JWKS_URL).
 */
export async function completeOidcSignIn(config: OidcConfig): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { codeVerifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending) throw new Error('Aucune connexion n’était en cours dans cet onglet ; recommencez.');
  const server = await discover(config);
  const client: oauth.Client = { client_id: config.clientId };
  const parameters = oauth.validateAuthResponse(server, client, new URL(window.location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    oauth.None(),
    parameters,
    redirectUri(),
    pending.codeVerifier,
    requestOptions(new URL(config.issuer)),
  );
  const result = await oauth.processAuthorizationCodeResponse(server, client, response);
  return result.access_token;
}
