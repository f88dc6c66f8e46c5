import { GraphQLError } from 'graphql';
import type { JWTPayload } from 'jose';

/** The roles of the public contract ("Who may do what"). */
export type Role = 'ADMIN' | 'LANDLORD_STAFF' | 'COORDINATOR' | 'PARTNER';

export const ROLES: readonly Role[] = ['ADMIN', 'LANDLORD_STAFF', 'COORDINATOR', 'PARTNER'];

/** Who is calling, as verified from the bearer token. Every subgraph builds its decisions on this alone. */
export type Caller =
  | { role: 'ADMIN'; sub: string }
  | { role: 'LANDLORD_STAFF'; sub: string; landlordId: string }
  | { role: 'COORDINATOR'; sub: string; districtIds: readonly string[] }
  | { role: 'PARTNER'; sub: string; partnerId: string };

/** The contract's UNAUTHENTICATED error; `message` is shown to the caller, so it must not reveal internals. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * Builds the Caller from a verified token's claims. Claim names are the Caller's field names
 * (`sub`, `role`, `landlordId`, `districtIds`, `partnerId`), so signing writes a Caller as is.
 * Claims another role would use are ignored rather than trusted.
 */
export function callerFromClaims(claims: JWTPayload): Caller {
  const sub = claims.sub;
  if (!isNonEmptyString(sub)) throw incomplete('it does not say who you are (sub)');
  const role = claims.role;
  if (!isRole(role)) throw unauthenticated('Your token has no role, or a role this service does not know.');

  switch (role) {
    case 'ADMIN':
      return { role, sub };
    case 'LANDLORD_STAFF': {
      const landlordId = claims.landlordId;
      if (!isNonEmptyString(landlordId)) throw incomplete('LANDLORD_STAFF needs a landlordId');
      return { role, sub, landlordId };
    }
    case 'COORDINATOR': {
      const districtIds = claims.districtIds;
      if (!Array.isArray(districtIds) || districtIds.length === 0 || !districtIds.every(isNonEmptyString)) {
        throw incomplete('COORDINATOR needs districtIds, a non-empty list of district ids');
      }
      return { role, sub, districtIds: [...districtIds] };
    }
    case 'PARTNER': {
      const partnerId = claims.partnerId;
      if (!isNonEmptyString(partnerId)) throw incomplete('PARTNER needs a partnerId');
      return { role, sub, partnerId };
    }
  }
}

function incomplete(what: string) {
  return unauthenticated(`Your token is incomplete: ${what}.`);
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
