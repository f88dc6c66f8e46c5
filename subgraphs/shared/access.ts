import type { GraphQLError } from 'graphql';
import type { Caller } from '../../lib/auth/caller';
import type { Directory } from './directory';
import { badInput, forbidden, notFound } from './errors';

/** Who takes part in a neighbourhood action, which decides who may manage it and see its cost shares. */
export interface ActionParties {
  districtId: string;
  /** The lead organiser: the landlord that proposed the action. */
  proposedByLandlordId: string;
  organiserIds: readonly string[];
  partnerIds: readonly string[];
}

/** A record whose existence is not everyone's to know, and who may know it: see `Access.known`. */
export type KnowableRecord =
  /** Households and service requests: their landlord's staff and admins. */
  | { kind: 'private'; landlordId: string }
  /** A district and what lies in it (estates, buildings, dwellings, actions, agreements): its cooperation's members. */
  | { kind: 'inDistrict'; districtId: string }
  /** A landlord: admins, its own staff, and the members of a cooperation where it has buildings. */
  | { kind: 'landlord'; landlordId: string }
  /** A partner: the members of the districts it serves, and the partner itself. */
  | { kind: 'partner'; partnerId: string; districtIds: readonly string[] }
  /** A household's need referred to a partner: the household's landlord's staff, admins, and that partner. */
  | { kind: 'referred'; landlordId: string; partnerId: string };

/** The partners that sit on a district's comité de pilotage beside its landlords and coordinators. */
const PUBLIC_AUTHORITY_KINDS: ReadonlySet<string> = new Set(['STATE', 'MUNICIPALITY']);

/** How each kind of record is known: what `Access.known` and `Access.require` are told about a record. */
export const privateRecord = (record: { landlordId: string }): KnowableRecord => ({ kind: 'private', landlordId: record.landlordId });
export const recordInDistrict = (record: { districtId: string }): KnowableRecord => ({ kind: 'inDistrict', districtId: record.districtId });
export const districtRecord = (district: { _id: string }): KnowableRecord => ({ kind: 'inDistrict', districtId: district._id });
export const landlordRecord = (landlord: { _id: string }): KnowableRecord => ({ kind: 'landlord', landlordId: landlord._id });
export const referredRecord = (record: { landlordId: string; partnerId: string }): KnowableRecord => ({
  kind: 'referred',
  landlordId: record.landlordId,
  partnerId: record.partnerId,
});
export const partnerRecord = (partner: { _id: string; districtIds: readonly string[] }): KnowableRecord => ({
  kind: 'partner',
  partnerId: partner._id,
  districtIds: partner.districtIds,
});

/**
 * The sharing rule of the cooperation, written once and asked by every resolver (see domain.md,
 * "What may be shared"): shared data is readable by members of the district's cooperation; private data
 * (households, individual requests, rents) by the owning landlord's staff and admins only.
 *
 * It starts with the existence rule: a record the caller may not know exists answers exactly as a missing one
 * (null from a lookup or an entity reference, NOT_FOUND from a mutation naming it), so that "not yours" never tells
 * "it exists". FORBIDDEN is only for records the caller may know of, and never depends on whether anything private
 * behind them exists.
 */
export class Access {
  private visibleDistricts?: Promise<ReadonlySet<string> | 'ALL'>;

  constructor(
    readonly caller: Caller,
    private readonly directory: Directory,
  ) {}

  get isAdmin(): boolean {
    return this.caller.role === 'ADMIN';
  }

  /** The districts whose shared data the caller reads: its landlord's, its partner's, the ones it coordinates. */
  districtScope(): Promise<ReadonlySet<string> | 'ALL'> {
    this.visibleDistricts ??= this.resolveDistrictScope();
    return this.visibleDistricts;
  }

  private async resolveDistrictScope(): Promise<ReadonlySet<string> | 'ALL'> {
    const caller = this.caller;
    switch (caller.role) {
      case 'ADMIN':
        return 'ALL';
      case 'COORDINATOR':
        return new Set(caller.districtIds);
      case 'LANDLORD_STAFF':
        return new Set(await this.directory.districtsOfLandlord(caller.landlordId));
      case 'PARTNER':
        return new Set(await this.directory.districtsOfPartner(caller.partnerId));
    }
  }

  /** Whether the caller may know that `record` exists. */
  async mayKnow(record: KnowableRecord): Promise<boolean> {
    switch (record.kind) {
      case 'private':
        return this.ownsDataOf(record.landlordId);
      case 'inDistrict':
        return this.canSeeDistrict(record.districtId);
      case 'landlord':
        return this.canSeeLandlord(record.landlordId);
      case 'partner':
        return this.canSeePartner({ _id: record.partnerId, districtIds: record.districtIds });
      case 'referred':
        return this.ownsDataOf(record.landlordId) || this.partnerId === record.partnerId;
    }
  }

  /** `record` when the caller may know it exists (`describe` says what it is), else null: the answer for no record. */
  async known<T>(record: T | null | undefined, describe: (record: T) => KnowableRecord): Promise<T | null> {
    if (record === null || record === undefined) return null;
    return (await this.mayKnow(describe(record))) ? record : null;
  }

  /** `record`, named by `id` in a write, when the caller may know it exists; else NOT_FOUND, as for a missing one. */
  async require<T>(record: T | null | undefined, describe: (record: T) => KnowableRecord, typeName: string, id: string): Promise<T> {
    const found = await this.known(record, describe);
    if (found === null) throw notFound(typeName, id);
    return found;
  }

  async canSeeDistrict(districtId: string): Promise<boolean> {
    const scope = await this.districtScope();
    return scope === 'ALL' || scope.has(districtId);
  }

  /** Keeps the items of districts the caller may see: lists filter, they never fail. */
  async filterVisible<T>(items: readonly T[], districtIdsOf: (item: T) => readonly string[]): Promise<T[]> {
    const scope = await this.districtScope();
    if (scope === 'ALL') return [...items];
    return items.filter((item) => districtIdsOf(item).some((id) => scope.has(id)));
  }

  /**
   * A landlord: admins, its own staff, and those whose scope includes a district where it has buildings. The
   * `landlords` list holds the same landlords, so that a lookup and the list never disagree.
   */
  async canSeeLandlord(landlordId: string): Promise<boolean> {
    if (this.isAdmin || this.speaksForOneOf([landlordId])) return true;
    const districtIds = await this.directory.districtsOfLandlord(landlordId);
    return (await this.filterVisible(districtIds, (id) => [id])).length > 0;
  }

  /** Private data of a landlord: its own staff and admins. */
  ownsDataOf(landlordId: string): boolean {
    return this.isAdmin || (this.caller.role === 'LANDLORD_STAFF' && this.caller.landlordId === landlordId);
  }

  assertOwnsDataOf(landlordId: string): void {
    if (!this.ownsDataOf(landlordId)) throw forbidden('This is private to the landlord it belongs to.');
  }

  /** The landlord a write is made for: staff act for their own landlord; admins must name one. */
  actingLandlord(requestedLandlordId: string | null | undefined): string {
    const caller = this.caller;
    if (caller.role === 'LANDLORD_STAFF') {
      if (requestedLandlordId && requestedLandlordId !== caller.landlordId) {
        throw forbidden('Landlord staff act for their own landlord only.');
      }
      return caller.landlordId;
    }
    if (caller.role === 'ADMIN') {
      if (!requestedLandlordId) throw badInput('landlordId is required when an admin acts for a landlord.', 'landlordId');
      return requestedLandlordId;
    }
    throw forbidden('Only landlord staff can do this.');
  }

  /** District coordination (scheduling, completing, cancelling actions; partners and agreements): its coordinators and admins. */
  coordinates(districtId: string): boolean {
    return this.isAdmin || (this.caller.role === 'COORDINATOR' && this.caller.districtIds.includes(districtId));
  }

  assertCoordinates(districtId: string): void {
    if (!this.coordinates(districtId)) throw forbidden("Only the district's coordinators can do this.");
  }

  assertAdmin(): void {
    if (!this.isAdmin) throw forbidden('Only an admin can do this.');
  }

  /** A partner's record: shared with the districts it serves, and always readable by the partner itself. */
  async canSeePartner(partner: { _id: string; districtIds: readonly string[] }): Promise<boolean> {
    if (this.partnerId === partner._id) return true;
    return (await this.filterVisible([partner], (visible) => visible.districtIds)).length > 0;
  }

  /**
   * A write refused to the landlord it is made for: FORBIDDEN for its staff; for an admin, who may write for any
   * landlord, a mistake in the landlordId it named.
   */
  landlordRefusal(staffMessage: string, adminMessage: string): GraphQLError {
    return this.isAdmin ? badInput(adminMessage, 'landlordId') : forbidden(staffMessage);
  }

  /** Proposing and joining actions happen in the landlord's districts: those where it has buildings. */
  async assertLandlordOfDistrict(landlordId: string, districtId: string): Promise<void> {
    if ((await this.directory.districtsOfLandlord(landlordId)).includes(districtId)) return;
    throw this.landlordRefusal(
      'Your landlord has no buildings in this district.',
      `Landlord ${landlordId} has no buildings in district ${districtId}.`,
    );
  }

  /** Staff of one of `landlordIds` (e.g. an action's organisers). */
  private speaksForOneOf(landlordIds: readonly string[]): boolean {
    return this.caller.role === 'LANDLORD_STAFF' && landlordIds.includes(this.caller.landlordId);
  }

  /**
   * Scheduling an action and inviting landlords to co-organise it; reading all its invitations and its cost shares:
   * the district's coordinators and admins, and the staff of its organisers.
   */
  canManageAction(action: Pick<ActionParties, 'districtId' | 'organiserIds'>): boolean {
    return this.coordinates(action.districtId) || this.speaksForOneOf(action.organiserIds);
  }

  assertCanManageAction(action: ActionParties): void {
    if (!this.canManageAction(action)) throw forbidden("Only the action's organisers and the district's coordinators can do this.");
  }

  /** Cancelling an action: the staff of its lead organiser (the others leave instead), the district's coordinators, admins. */
  assertCanCancelAction(action: ActionParties): void {
    if (!this.coordinates(action.districtId) && !this.speaksForOneOf([action.proposedByLandlordId])) {
      throw forbidden("Only the action's lead organiser and the district's coordinators can cancel it.");
    }
  }

  /** An invitation to co-organise an action: those who manage the action, and the invited landlord's staff. */
  canSeeInvitation(action: Pick<ActionParties, 'districtId' | 'organiserIds'>, invitedLandlordId: string): boolean {
    return this.canManageAction(action) || this.speaksForOneOf([invitedLandlordId]);
  }

  /** Recording an action's outcome: those who manage it, and the partners taking part in it. */
  assertCanRecordOutcome(action: ActionParties): void {
    const takesPart = this.partnerId !== undefined && action.partnerIds.includes(this.partnerId);
    if (!takesPart && !this.canManageAction(action)) {
      throw forbidden("Only the action's organisers, partners and the district's coordinators can record its outcome.");
    }
  }

  /** What each organiser of an action pays: the organisers' staff, the district's coordinators and admins. */
  assertCanSeeCostSharesOf(action: Pick<ActionParties, 'districtId' | 'organiserIds'>): void {
    if (!this.canManageAction(action)) throw forbidden("Cost shares are for the action's organisers and the district's coordinators.");
  }

  /** A landlord's reporting in a district (e.g. TFPB): its own staff, the district's coordinators, admins. */
  assertCanSeeReportOf(landlordId: string, districtId: string): void {
    if (!this.ownsDataOf(landlordId) && !this.coordinates(districtId)) {
      throw forbidden("Only the landlord's staff and the district's coordinators can read this report.");
    }
  }

  /**
   * A district's shared reporting (e.g. the TFPB table of the comité de pilotage, each landlord's totals): its
   * coordinators, admins, the staff of its landlords, and the State and the municipality partners that serve it
   * (the comité's other members).
   */
  async assertCanSeeDistrictReport(districtId: string): Promise<void> {
    if (this.coordinates(districtId)) return;
    const caller = this.caller;
    if (caller.role === 'LANDLORD_STAFF' && (await this.directory.districtsOfLandlord(caller.landlordId)).includes(districtId)) return;
    if (caller.role === 'PARTNER') {
      const partner = await this.directory.partners.load(caller.partnerId);
      if (partner && PUBLIC_AUTHORITY_KINDS.has(partner.kind) && partner.districtIds.includes(districtId)) return;
    }
    throw forbidden("Only the district's coordinators, landlords, State and municipality can read this table.");
  }

  /** The partner the caller speaks for, if it is a partner. */
  get partnerId(): string | undefined {
    return this.caller.role === 'PARTNER' ? this.caller.partnerId : undefined;
  }
}

/** The districts a read is limited to: the caller's scope as a list, or every district (admins). */
export type DistrictSelection = readonly string[] | 'ALL';

export async function visibleDistricts(access: Access): Promise<DistrictSelection> {
  const scope = await access.districtScope();
  return scope === 'ALL' ? 'ALL' : [...scope].sort();
}

/** The filter keeping records whose `field` (a plain or an array field) names a selected district. */
export function withinDistricts(field: string, districts: DistrictSelection): Record<string, unknown> {
  return districts === 'ALL' ? {} : { [field]: { $in: [...districts] } };
}
