/** The roles of the public contract ("Who may do what"). */
export type Role = 'ADMIN' | 'LANDLORD_STAFF' | 'COORDINATOR' | 'PARTNER';

export const ROLES: readonly Role[] = ['ADMIN', 'LANDLORD_STAFF', 'COORDINATOR', 'PARTNER'];

/** Who is calling, as verified from the bearer token. Every subgraph builds its decisions on this alone. */
export type Caller =
  | { role: 'ADMIN'; sub: string }
  | { role: 'LANDLORD_STAFF'; sub: string; landlordId: string }
  | { role: 'COORDINATOR'; sub: string; districtIds: readonly string[] }
  | { role: 'PARTNER'; sub: string; partnerId: string };
