import type { Caller } from '../../lib/auth/caller';
import type { Directory } from './directory';
import { badInput, forbidden } from './errors';

/**
 * The sharing rule of the cooperation, written once and asked by every resolver (see domain.md,
 * "What may be shared"): shared data is readable by members of the district's cooperation; private data
 * (households, individual requests, rents) by the owning landlord's staff and admins only.
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

  async canSeeDistrict(districtId: string): Promise<boolean> {
    const scope = await this.districtScope();
    return scope === 'ALL' || scope.has(districtId);
  }

  async assertCanSeeDistrict(districtId: string): Promise<void> {
    if (!(await this.canSeeDistrict(districtId))) throw forbidden('This district is outside your cooperation.');
  }

  /** Keeps the items of districts the caller may see: lists filter, they never fail. */
  async filterVisible<T>(items: readonly T[], districtIdsOf: (item: T) => readonly string[]): Promise<T[]> {
    const scope = await this.districtScope();
    if (scope === 'ALL') return [...items];
    return items.filter((item) => districtIdsOf(item).some((id) => scope.has(id)));
  }

  /** Private data of a landlord: its own staff and admins. */
  ownsDataOf(landlordId: string): boolean {
    return this.isAdmin || (this.caller.role === 'LANDLORD_STAFF' && this.caller.landlordId === landlordId);
  }

  assertOwnsDataOf(landlordId: string): void {
    if (!this.ownsDataOf(landlordId)) throw forbidden("This is private to the landlord it belongs to.");
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

  /** The partner the caller speaks for, if it is a partner. */
  get partnerId(): string | undefined {
    return this.caller.role === 'PARTNER' ? this.caller.partnerId : undefined;
  }
}
