import { SignJWT } from 'jose';
import type { Caller } from './caller';
import { SECRET_ALGORITHM, type AuthConfig } from './config';

export interface SignOptions {
  /** A jose time span such as "30m", "8h" or "7d". */
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

  const { sub, ...roleClaims } = claims;
  const token = new SignJWT({ ...roleClaims })
    .setProtectedHeader({ alg: SECRET_ALGORITHM, typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (config.issuer !== undefined) token.setIssuer(config.issuer);
  if (config.audience !== undefined) token.setAudience(config.audience);
  return token.sign(keySource.secret);
}
