import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AuthConfigError } from './config';

/**
 * The gateway signs every request it sends a subgraph, and a subgraph serves only signed requests: called
 * directly, past the gateway, it answers nothing but 401. As Hive Gateway's upstream HMAC signature, an
 * HMAC-SHA256 with a secret the gateway and the subgraphs share; unlike it, over the exact bytes of the body,
 * the caller's Authorization header and a timestamp, in a header, so that a subgraph checks it before parsing
 * anything, a captured request is accepted only for a short while, and never with another caller's token.
 */
export const SUBGRAPH_SIGNATURE_HEADER = 'x-subgraph-signature';

/**
 * Signs and verifies outside production when SUBGRAPH_SIGNING_SECRET is unset, so that a gateway and subgraphs
 * started by hand (or by the tests) agree. Public on purpose: never accepted in production.
 */
export const DEVELOPMENT_SUBGRAPH_SIGNING_SECRET = 'quartier-commun-development-subgraph-signing-secret-not-for-production';

/** An HMAC-SHA256 key should be at least as long as the hash. */
const MINIMUM_PRODUCTION_SECRET_BYTES = 32;

/**
 * How far the signing time may be from the subgraph's clock, either way. The gateway signs just before sending
 * and each retry is signed afresh; 60 s covers clocks a little apart without keeping a captured request usable.
 */
export const MAX_SIGNATURE_AGE_SECONDS = 60;

export interface SubgraphSigning {
  secret: Buffer;
  isDevelopmentDefault: boolean;
}

/** A request a subgraph refuses: no signature, a malformed or stale one, or one that does not match the body. */
export class SignatureRefusedError extends Error {
  override readonly name = 'SignatureRefusedError';
}

/** The signature header as read: when it was signed and the MAC, not checked against any body yet. */
export interface RequestSignature {
  signedAt: number;
  mac: Buffer;
}

/** Reads SUBGRAPH_SIGNING_SECRET and NODE_ENV; throws AuthConfigError when the secret is unusable in production. */
export function subgraphSigningFromEnv(env: NodeJS.ProcessEnv = process.env): SubgraphSigning {
  const secret = env.SUBGRAPH_SIGNING_SECRET;
  const production = env.NODE_ENV === 'production';
  if (secret === undefined || secret.trim() === '') {
    if (production) {
      throw new AuthConfigError(
        'Set SUBGRAPH_SIGNING_SECRET (the same private value for the gateway and every subgraph) when NODE_ENV=production.',
      );
    }
    return { secret: Buffer.from(DEVELOPMENT_SUBGRAPH_SIGNING_SECRET), isDevelopmentDefault: true };
  }
  const bytes = Buffer.from(secret);
  if (production && (secret === DEVELOPMENT_SUBGRAPH_SIGNING_SECRET || bytes.length < MINIMUM_PRODUCTION_SECRET_BYTES)) {
    throw new AuthConfigError(
      `SUBGRAPH_SIGNING_SECRET must be a private random value of at least ${MINIMUM_PRODUCTION_SECRET_BYTES} bytes when NODE_ENV=production.`,
    );
  }
  return { secret: bytes, isDevelopmentDefault: false };
}

/** What a signature covers: the exact body bytes and the Authorization header sent with them (none: absent). */
export interface SignedRequest {
  body: string | Buffer;
  authorization: string | undefined;
}

/**
 * The header value for `request` signed at `now`: `t=<unix seconds>,v1=<base64url HMAC-SHA256 of
 * "<t>.<hex SHA-256 of the Authorization header>." and the body>`.
 */
export function signatureFor(signing: SubgraphSigning, request: SignedRequest, now: number = Date.now()): string {
  const signedAt = Math.floor(now / 1000);
  return `t=${signedAt},v1=${mac(signing, signedAt, request).toString('base64url')}`;
}

const SIGNATURE = /^t=(\d{1,12}),v1=([A-Za-z0-9_-]{43})$/;

/** Checks what can be checked before the body is read: a well-formed signature, signed recently enough. */
export function readSignature(header: string | string[] | undefined, now: number = Date.now()): RequestSignature {
  if (header === undefined) throw new SignatureRefusedError('This service answers only requests signed by the gateway.');
  const match = typeof header === 'string' ? SIGNATURE.exec(header.trim()) : null;
  if (!match) throw new SignatureRefusedError('The request signature is malformed.');
  const signedAt = Number(match[1]);
  if (Math.abs(now / 1000 - signedAt) > MAX_SIGNATURE_AGE_SECONDS) {
    throw new SignatureRefusedError('The request signature is too old, or from the future.');
  }
  return { signedAt, mac: Buffer.from(match[2] as string, 'base64url') };
}

/** Checks that the signature was made with our secret over exactly this body and Authorization header. */
export function verifySignedRequest(signing: SubgraphSigning, signature: RequestSignature, request: SignedRequest): void {
  const expected = mac(signing, signature.signedAt, request);
  // Constant time: how much of a forged MAC matched must not show in how long the refusal takes.
  if (signature.mac.length !== expected.length || !timingSafeEqual(signature.mac, expected)) {
    throw new SignatureRefusedError('The request signature does not match its body and credentials.');
  }
}

function mac(signing: SubgraphSigning, signedAt: number, { body, authorization }: SignedRequest): Buffer {
  // The header is hashed so that no value of it can be read as part of the body, or the other way round.
  const credentials = createHash('sha256')
    .update(authorization ?? '')
    .digest('hex');
  return createHmac('sha256', signing.secret).update(`${signedAt}.${credentials}.`).update(body).digest();
}
