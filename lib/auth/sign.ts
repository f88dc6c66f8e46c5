import { SignJWT } from 'jose';
import type { Caller } from './caller';
import { SECRET_ALGORITHM, type AuthConfig } from './config';
import { durationSeconds, formatDuration } from './tokenLifetime';

export interface SignOptions {
  /** A duration such as "30m", "8h" or "7d", at most the configured MAX_TOKEN_LIFETIME. */
  expiresIn: string;
}

/**
 * Signs a token for `claims` with JWT_SECRET (HS256), for local use and tests; real deployments
 * get their tokens from the identity provider behind JWT_JWKS_URL.
 */
export async function signToken(claims: Caller, config: AuthConfig, { expiresIn }: SignOptions): Promise<string> {
  const { keySource } = config;
  if (keySource.kind !== 'secret') {
    throw new Error('Tokens can only be signed with JWT_SECRET; with JWT_JWKS_URL the identity provider issues them.');
  }
  // Checked at signing time too, in case the config was built before NODE_ENV was set.
  if (keySource.isDevelopmentDefault && process.env.NODE_ENV === 'production') {
    throw new Error('Refusing to sign with the development default secret when NODE_ENV=production; set JWT_SECRET.');
  }

  const lifetimeSeconds = durationSeconds(expiresIn);
  if (lifetimeSeconds === undefined) throw new Error(`"${expiresIn}" is not a token lifetime like 30m, 8h or 7d.`);
  // The services refuse such a token: better to say so now than to hand out one that fails on first use.
  if (lifetimeSeconds > config.maxTokenLifetimeSeconds) {
    throw new Error(
      `A token may live at most ${formatDuration(config.maxTokenLifetimeSeconds)} (MAX_TOKEN_LIFETIME); ${expiresIn} is longer.`,
    );
  }

  const { sub, ...roleClaims } = claims;
  const issuedAt = Math.floor(Date.now() / 1000);
  const token = new SignJWT({ ...roleClaims })
    .setProtectedHeader({ alg: SECRET_ALGORITHM, typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetimeSeconds);
  if (config.issuer !== undefined) token.setIssuer(config.issuer);
  if (config.audience !== undefined) token.setAudience(config.audience);
  return token.sign(keySource.secret);
}
