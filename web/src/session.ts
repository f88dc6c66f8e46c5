/** Who is signed in, as the token says (the graph verifies it; the app only reads it to shape the screens). */
export type Role = 'ADMIN' | 'LANDLORD_STAFF' | 'COORDINATOR' | 'PARTNER';

export interface Session {
  token: string;
  role: Role;
  sub: string;
  name?: string;
  landlordId?: string;
  districtIds?: string[];
  partnerId?: string;
  expiresAt: number;
}

const STORAGE_KEY = 'quartier-commun.session';

/** The claims of a JWT, without checking its signature (the graph does that on every request). */
export function sessionFromToken(token: string): Session {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('Jeton illisible.');
  const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  const claims = JSON.parse(json) as Record<string, unknown>;
  const string = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const role = string(claims.role) as Role | undefined;
  if (role === undefined) throw new Error('Ce jeton ne donne aucun rôle.');
  return {
    token,
    role,
    sub: string(claims.sub) ?? '',
    name: string(claims.name),
    landlordId: string(claims.landlordId),
    districtIds: Array.isArray(claims.districtIds) ? claims.districtIds.filter((id): id is string => typeof id === 'string') : undefined,
    partnerId: string(claims.partnerId),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY,
  };
}

/** Kept for the tab's life only: closing the tab signs out. */
export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return undefined;
  try {
    const session = sessionFromToken(token);
    return session.expiresAt > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

export function storeSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, session.token);
  else sessionStorage.removeItem(STORAGE_KEY);
}
