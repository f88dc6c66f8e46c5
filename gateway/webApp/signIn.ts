import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../../lib/auth/caller';
import type { AuthConfig } from '../../lib/auth/config';
import { signToken } from '../../lib/auth/sign';
import { TokenUsageError, tokenRequestFromArgs } from '../../lib/auth/tokenRequest';
import { readBody, sendGraphQLError, sendJson } from '../../lib/http/graphqlHttp';

/** How the web app signs people in: `GET /auth/config` tells it. */
export type SignInConfig = { mode: 'development' } | { mode: 'oidc'; issuer: string; clientId: string; scope: string } | { mode: 'none' };

export const SIGN_IN_CONFIG_PATH = '/auth/config';
export const DEVELOPMENT_TOKEN_PATH = '/auth/dev-token';

/** A development token lasts a working day, like `npm run token`'s default. */
const DEVELOPMENT_TOKEN_LIFETIME = '8h';
const MAX_SIGN_IN_BODY_BYTES = 4 * 1024;

/**
 * The web app's sign-in endpoints. `POST /auth/dev-token` signs a token for any role with the development secret, the
 * way `npm run token` does: it exists only outside production and while tokens are verified with the development
 * default secret; otherwise it is not there (404), like any unknown path.
 */
export function signInRoutes(options: { signIn: SignInConfig; auth: AuthConfig }) {
  const { auth } = options;
  const developmentSigning = auth.keySource.kind === 'secret' && auth.keySource.isDevelopmentDefault;
  const signIn: SignInConfig = options.signIn.mode !== 'development' || developmentSigning ? options.signIn : { mode: 'none' };
  return async (request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> => {
    if (pathname === SIGN_IN_CONFIG_PATH && request.method === 'GET') {
      sendJson(response, 200, signIn, { 'cache-control': 'no-store' });
      return true;
    }
    if (pathname === DEVELOPMENT_TOKEN_PATH && signIn.mode === 'development' && request.method === 'POST') {
      let claims: Caller;
      try {
        claims = callerFromBody(await readBody(request, MAX_SIGN_IN_BODY_BYTES));
      } catch (error) {
        if (!(error instanceof TokenUsageError)) throw error;
        sendGraphQLError(response, 400, error.message, { code: 'BAD_USER_INPUT' });
        return true;
      }
      sendJson(
        response,
        200,
        { token: await signToken(claims, auth, { expiresIn: DEVELOPMENT_TOKEN_LIFETIME }) },
        { 'cache-control': 'no-store' },
      );
      return true;
    }
    return false;
  };
}

/** `{ role, sub?, landlordId?, districtIds?, partnerId? }`, checked as `npm run token` checks its arguments. */
function callerFromBody(body: Buffer | string): Caller {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch {
    throw new TokenUsageError('The body must be JSON.');
  }
  const value = (parsed ?? {}) as Record<string, unknown>;
  const args: string[] = [];
  const option = (name: string, item: unknown) => {
    if (item === undefined) return;
    if (typeof item !== 'string') throw new TokenUsageError(`${name} must be a string.`);
    args.push(`--${name}`, item);
  };
  option('role', value.role);
  option('sub', value.sub);
  option('landlord', value.landlordId);
  option('partner', value.partnerId);
  if (value.districtIds !== undefined) {
    if (!Array.isArray(value.districtIds)) throw new TokenUsageError('districtIds must be a list.');
    for (const id of value.districtIds) option('district', id);
  }
  return tokenRequestFromArgs(args).claims;
}
