import { type KeyObject, createSecretKey } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { nonEmpty } from '../config/envVariables';
import { DEFAULT_MAX_TOKEN_LIFETIME, durationSeconds } from './tokenLifetime';

/**
 * Signs and verifies tokens outside production when JWT_SECRET is unset, so `npm start` and
 * `npm run token` work out of the box. Public on purpose: it must never protect real data.
 */
export const DEVELOPMENT_JWT_SECRET = 'quartier-commun-development-secret-not-for-production';

/** HS256 needs a key at least as long as its hash (RFC 7518 §3.2). */
const MINIMUM_PRODUCTION_SECRET_BYTES = 32;

/**
 * Where signature keys come from: a shared secret (local use) or the identity provider's JWKS. The secret is a key
 * object made once: given bytes, jose would make one for every token it verifies.
 */
export type TokenKeySource =
  { kind: 'secret'; secret: KeyObject; isDevelopmentDefault: boolean } | { kind: 'jwks'; url: URL; getKey: JWTVerifyGetKey };

/** The only algorithm used with JWT_SECRET: a shared secret can only make HMAC signatures. */
export const SECRET_ALGORITHM = 'HS256';

/** Asymmetric algorithms accepted from an identity provider's JWKS; `none` and HMAC never are. */
export const JWKS_ALGORITHMS: readonly string[] = ['RS256', 'ES256', 'PS256', 'EdDSA'];

export interface AuthConfig {
  keySource: TokenKeySource;
  /** Enforced on every token when set. */
  issuer?: string;
  /** Enforced on every token when set. */
  audience?: string;
  /** The longest `exp - iat` accepted, and signed (MAX_TOKEN_LIFETIME). */
  maxTokenLifetimeSeconds: number;
}

/** A misconfiguration found at startup; the message tells the operator what to set. */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
}

/** Reads JWT_SECRET, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, MAX_TOKEN_LIFETIME and NODE_ENV; throws AuthConfigError when unusable. */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const secret = nonEmpty(env.JWT_SECRET);
  const jwksUrl = nonEmpty(env.JWT_JWKS_URL);
  const production = env.NODE_ENV === 'production';
  if (secret !== undefined && jwksUrl !== undefined) {
    throw new AuthConfigError('Set either JWT_SECRET or JWT_JWKS_URL, not both.');
  }

  const issuer = nonEmpty(env.JWT_ISSUER);
  const audience = nonEmpty(env.JWT_AUDIENCE);
  return {
    keySource: jwksUrl !== undefined ? jwksKeySource(jwksUrl) : secretKeySource(secret, production),
    ...(issuer !== undefined && { issuer }),
    ...(audience !== undefined && { audience }),
    maxTokenLifetimeSeconds: maxTokenLifetime(nonEmpty(env.MAX_TOKEN_LIFETIME) ?? DEFAULT_MAX_TOKEN_LIFETIME),
  };
}

function maxTokenLifetime(text: string): number {
  const seconds = durationSeconds(text.trim());
  if (seconds === undefined) throw new AuthConfigError(`MAX_TOKEN_LIFETIME "${text}" is not a duration like 30m, 12h or 1d.`);
  return seconds;
}

function secretKeySource(secret: string | undefined, production: boolean): TokenKeySource {
  if (secret === undefined) {
    if (production) {
      throw new AuthConfigError(
        'No token verification configured: set JWT_SECRET (HS256) or JWT_JWKS_URL (identity provider) when NODE_ENV=production.',
      );
    }
    return { kind: 'secret', secret: createSecretKey(encode(DEVELOPMENT_JWT_SECRET)), isDevelopmentDefault: true };
  }
  const bytes = encode(secret);
  if (production && (secret === DEVELOPMENT_JWT_SECRET || bytes.length < MINIMUM_PRODUCTION_SECRET_BYTES)) {
    throw new AuthConfigError(
      `JWT_SECRET must be a private random value of at least ${MINIMUM_PRODUCTION_SECRET_BYTES} bytes when NODE_ENV=production.`,
    );
  }
  return { kind: 'secret', secret: createSecretKey(bytes), isDevelopmentDefault: false };
}

function jwksKeySource(jwksUrl: string): TokenKeySource {
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    throw new AuthConfigError(`JWT_JWKS_URL is not a valid URL: ${jwksUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AuthConfigError(`JWT_JWKS_URL must be an http(s) URL: ${jwksUrl}`);
  }
  // The key set is fetched lazily on first use, then cached and refreshed by jose on unknown key ids.
  return { kind: 'jwks', url, getKey: createRemoteJWKSet(url) };
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
