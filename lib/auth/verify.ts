import { errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { recordCaller } from '../http/requestScope';
import { callerFromClaims, unauthenticated, type Caller } from './caller';
import { JWKS_ALGORITHMS, SECRET_ALGORITHM, type AuthConfig } from './config';
import { lifetimeRefusal } from './tokenLifetime';

const BEARER = /^Bearer +([A-Za-z0-9_.~+/-]+=*) *$/i;

/**
 * Verifies an `Authorization: Bearer <jwt>` header and returns who is calling.
 * Every failure is an UNAUTHENTICATED GraphQLError whose message a person can act on.
 */
export async function verifyBearer(authorizationHeader: string | undefined, config: AuthConfig): Promise<Caller> {
  if (authorizationHeader === undefined || authorizationHeader.trim() === '') {
    throw unauthenticated('Authentication required: send an "Authorization: Bearer <token>" header.');
  }
  const token = BEARER.exec(authorizationHeader)?.[1];
  if (token === undefined) {
    throw unauthenticated('The Authorization header must read "Bearer <token>".');
  }
  return callerFromClaims(await verifiedClaims(token, config));
}

/**
 * Who sent `request`, from its bearer token (see verifyBearer). The caller is also recorded in the request scope,
 * where error formatting reads it: what an error may reveal depends on who asked (lib/errors).
 */
export async function authenticateRequest(request: IncomingMessage, config: AuthConfig): Promise<Caller> {
  const caller = await verifyBearer(request.headers.authorization, config);
  recordCaller(caller);
  return caller;
}

async function verifiedClaims(token: string, config: AuthConfig): Promise<JWTPayload> {
  const { keySource } = config;
  const options: JWTVerifyOptions = {
    algorithms: keySource.kind === 'secret' ? [SECRET_ALGORITHM] : [...JWKS_ALGORITHMS],
    // A token without an expiry would be valid forever once leaked; without its issue time, its lifetime is unknown.
    requiredClaims: ['exp', 'iat'],
    ...(config.issuer !== undefined && { issuer: config.issuer }),
    ...(config.audience !== undefined && { audience: config.audience }),
  };
  let payload: JWTPayload;
  try {
    ({ payload } =
      keySource.kind === 'secret' ? await jwtVerify(token, keySource.secret, options) : await jwtVerify(token, keySource.getKey, options));
  } catch (error) {
    throw rejection(error);
  }
  // Whoever signed it, with JWT_SECRET or at the identity provider, a token lives no longer than MAX_TOKEN_LIFETIME.
  const refusal = lifetimeRefusal(
    payload as Required<Pick<JWTPayload, 'exp' | 'iat'>>,
    config.maxTokenLifetimeSeconds,
    Math.floor(Date.now() / 1000),
  );
  if (refusal !== null) throw unauthenticated(refusal);
  return payload;
}

/** Says what the caller can fix (expiry, wrong service) and nothing about keys, algorithms or stack. */
function rejection(error: unknown): GraphQLError {
  if (error instanceof errors.JWTExpired) {
    return unauthenticated('Your token has expired; get a new one.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return unauthenticated('Your token is not valid yet.');
      case 'iss':
      case 'aud':
        return unauthenticated('Your token was not issued for this service.');
      case 'exp':
        return unauthenticated('Your token has no valid expiry time; get a new one.');
      case 'iat':
        return unauthenticated('Your token has no valid issue time (iat); get a new one.');
    }
  }
  return unauthenticated('Your token could not be verified.');
}
