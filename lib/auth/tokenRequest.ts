import { parseArgs } from 'node:util';
import { ROLES, type Caller, type Role } from './caller';
import { durationSeconds } from './tokenLifetime';

/** What `npm run token` is asked to sign. */
export interface TokenRequest {
  claims: Caller;
  expiresIn: string;
}

/** A command-line mistake; the CLI prints the message with the usage and exits with code 2. */
export class TokenUsageError extends Error {
  override readonly name = 'TokenUsageError';
}

export const TOKEN_USAGE = `Usage: npm run -s token -- --role ROLE [--landlord ID] [--district ID]... [--partner ID] [--sub NAME] [--expires 8h]
  ROLE is one of ${ROLES.join(', ')}.
  LANDLORD_STAFF needs --landlord, COORDINATOR one or more --district, PARTNER --partner.`;

const DEFAULT_SUB = 'local-developer';
const DEFAULT_EXPIRES_IN = '8h';

/** The option each role's scope comes from, so a scope given to the wrong role is reported, not silently dropped. */
const SCOPE_OPTION: Record<Role, 'landlord' | 'district' | 'partner' | undefined> = {
  ADMIN: undefined,
  LANDLORD_STAFF: 'landlord',
  COORDINATOR: 'district',
  PARTNER: 'partner',
};

/** Turns `npm run token` arguments into the claims to sign; throws TokenUsageError on any mistake. */
export function tokenRequestFromArgs(args: readonly string[]): TokenRequest {
  const { values } = parse(args);
  const role = values.role;
  if (role === undefined) throw new TokenUsageError('--role is required.');
  if (!isRole(role)) throw new TokenUsageError(`Unknown role "${role}"; use one of ${ROLES.join(', ')}.`);

  const scopes = { landlord: values.landlord, district: values.district, partner: values.partner };
  for (const [option, value] of Object.entries(scopes)) {
    if (value !== undefined && option !== SCOPE_OPTION[role]) {
      throw new TokenUsageError(`--${option} does not apply to ${role}.`);
    }
  }

  const sub = nonBlank(values.sub ?? DEFAULT_SUB, '--sub');
  const expiresIn = values.expires ?? DEFAULT_EXPIRES_IN;
  if (durationSeconds(expiresIn) === undefined) {
    throw new TokenUsageError(`--expires "${expiresIn}" is not a duration like 30m, 8h or 7d.`);
  }
  return { claims: claimsFor(role, sub, scopes), expiresIn };
}

function claimsFor(
  role: Role,
  sub: string,
  scopes: { landlord: string | undefined; district: string[] | undefined; partner: string | undefined },
): Caller {
  switch (role) {
    case 'ADMIN':
      return { role, sub };
    case 'LANDLORD_STAFF':
      if (scopes.landlord === undefined) throw new TokenUsageError('LANDLORD_STAFF needs --landlord ID.');
      return { role, sub, landlordId: nonBlank(scopes.landlord, '--landlord') };
    case 'COORDINATOR':
      if (scopes.district === undefined) throw new TokenUsageError('COORDINATOR needs at least one --district ID.');
      return { role, sub, districtIds: [...new Set(scopes.district.map((id) => nonBlank(id, '--district')))] };
    case 'PARTNER':
      if (scopes.partner === undefined) throw new TokenUsageError('PARTNER needs --partner ID.');
      return { role, sub, partnerId: nonBlank(scopes.partner, '--partner') };
  }
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        landlord: { type: 'string' },
        district: { type: 'string', multiple: true },
        partner: { type: 'string' },
        sub: { type: 'string' },
        expires: { type: 'string' },
      },
    });
  } catch (error) {
    // parseArgs explains unknown options, missing values and stray arguments in plain words.
    throw new TokenUsageError(error instanceof Error ? error.message : String(error));
  }
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

function nonBlank(value: string, option: string): string {
  if (value.trim() === '') throw new TokenUsageError(`${option} must not be empty.`);
  return value;
}
