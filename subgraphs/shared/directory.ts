import DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import { byIdLoader, groupedByFieldLoader } from './loaders';
import { COLLECTIONS } from './mongo';

export interface BuildingFacts {
  _id: string;
  landlordId: string;
  districtId: string;
}
export interface DwellingFacts {
  _id: string;
  buildingId: string;
  landlordId: string;
  districtId: string;
}
export interface PartnerFacts {
  _id: string;
  /** As stored: a PartnerKind of the partners subgraph. */
  kind: string;
  districtIds: string[];
  /** The services it offers (the partners subgraph's PartnerService values). */
  services: string[];
}
/** A building's street address, as stored by housing. */
export interface StreetAddress {
  number: string | null;
  repetition: string | null;
  streetType: string | null;
  streetName: string;
}
/** Where a building is, as a partner visiting a tenant needs it. */
export interface BuildingAddress {
  _id: string;
  address: StreetAddress;
}

/** The address on one line, e.g. '12 bis allée de Bellefontaine'. */
export function addressLabel(address: StreetAddress): string {
  return [address.number, address.repetition, address.streetType, address.streetName].filter(Boolean).join(' ');
}
export interface ExistingRecord {
  _id: string;
}
export interface NamedRecord {
  _id: string;
  name: string;
}

/**
 * The facts one subgraph needs about records another subgraph owns (who owns a building, which districts a
 * partner serves), read from the owner's collection with the smallest projection. Per request, batched.
 */
export class Directory {
  readonly landlords: DataLoader<string, NamedRecord | null>;
  readonly districts: DataLoader<string, ExistingRecord | null>;
  readonly buildings: DataLoader<string, BuildingFacts | null>;
  readonly dwellings: DataLoader<string, DwellingFacts | null>;
  readonly partners: DataLoader<string, PartnerFacts | null>;
  readonly buildingAddresses: DataLoader<string, BuildingAddress | null>;
  private readonly landlordDistricts: DataLoader<string, string[]>;
  private readonly districtBuildings: DataLoader<string, BuildingFacts[]>;
  private readonly districtLandlords: DataLoader<string, Map<string, number>>;
  private readonly revisions: DataLoader<string, { _id: string; token: string } | null>;

  constructor(private readonly db: Db) {
    this.revisions = byIdLoader(db.collection<{ _id: string; token: string }>(COLLECTIONS.graphRevisions), { token: 1 });
    this.landlords = byIdLoader(db.collection<NamedRecord>(COLLECTIONS.landlords), { _id: 1, name: 1 });
    this.districts = byIdLoader(db.collection<ExistingRecord>(COLLECTIONS.districts), { _id: 1 });
    this.buildings = byIdLoader(db.collection<BuildingFacts>(COLLECTIONS.buildings), { landlordId: 1, districtId: 1 });
    this.dwellings = byIdLoader(db.collection<DwellingFacts>(COLLECTIONS.dwellings), {
      buildingId: 1,
      landlordId: 1,
      districtId: 1,
    });
    this.partners = byIdLoader(db.collection<PartnerFacts>(COLLECTIONS.partners), { kind: 1, districtIds: 1, services: 1 });
    this.buildingAddresses = byIdLoader(db.collection<BuildingAddress>(COLLECTIONS.buildings), { address: 1 });
    this.districtBuildings = groupedByFieldLoader(db.collection<BuildingFacts>(COLLECTIONS.buildings), 'districtId', {
      projection: { landlordId: 1, districtId: 1 },
    });
    this.landlordDistricts = new DataLoader(async (landlordIds) => {
      const pairs = await this.db
        .collection(COLLECTIONS.buildings)
        .aggregate<{ _id: string; districtIds: string[] }>([
          { $match: { landlordId: { $in: [...landlordIds] } } },
          { $group: { _id: '$landlordId', districtIds: { $addToSet: '$districtId' } } },
        ])
        .toArray();
      const byLandlord = new Map(pairs.map((pair) => [pair._id, pair.districtIds]));
      return landlordIds.map((id) => byLandlord.get(id) ?? []);
    });
    this.districtLandlords = new DataLoader(async (districtIds) => {
      const match = { $match: { districtId: { $in: [...districtIds] } } };
      const group = { $group: { _id: { districtId: '$districtId', landlordId: '$landlordId' }, count: { $sum: 1 } } };
      const [buildings, dwellings] = await Promise.all(
        [COLLECTIONS.buildings, COLLECTIONS.dwellings].map((name) =>
          this.db.collection(name).aggregate<{ _id: { districtId: string; landlordId: string }; count: number }>([match, group]).toArray(),
        ),
      );
      const byDistrict = new Map(districtIds.map((id) => [id, new Map<string, number>()]));
      for (const { _id } of buildings!) byDistrict.get(_id.districtId)?.set(_id.landlordId, 0);
      for (const { _id, count } of dwellings!) byDistrict.get(_id.districtId)?.set(_id.landlordId, count);
      return districtIds.map((id) => byDistrict.get(id)!);
    });
  }

  /** The landlords with buildings in the district, each with its number of dwellings there. */
  landlordsOfDistrict(districtId: string): Promise<Map<string, number>> {
    return this.districtLandlords.load(districtId);
  }

  /** Districts where the landlord owns buildings. */
  districtsOfLandlord(landlordId: string): Promise<string[]> {
    return this.landlordDistricts.load(landlordId);
  }

  /** The buildings of a district, with their landlords. */
  buildingsOfDistrict(districtId: string): Promise<BuildingFacts[]> {
    return this.districtBuildings.load(districtId);
  }

  /**
   * A subgraph's revision (graphRevisions.ts), new after each of its writes; null before the first. Read once per
   * request: what the request reads after it holds every write revised before it.
   */
  async revisionOf(subgraph: string): Promise<string | null> {
    return (await this.revisions.load(subgraph))?.token ?? null;
  }

  async districtsOfPartner(partnerId: string): Promise<string[]> {
    return (await this.partners.load(partnerId))?.districtIds ?? [];
  }
}

/** An entity another subgraph owns, as this subgraph knows it: its key alone. */
export interface EntityReference {
  id: string;
}

export function reference(id: string): EntityReference {
  return { id };
}
