import DataLoader from 'dataloader';
import type { Collection, Db, Filter } from 'mongodb';
import { type SaveAudit, type SaveOutcome, saveChangedRecords } from '../../shared/changes';
import { conflict } from '../../shared/errors';
import { type RequestLoaders, groupedByFieldLoader, loaderKey, pageByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import type { Connection, PageArgs } from '../../shared/pagination';
import { newId, Records } from '../../shared/records';
import type { AddressModel, BuildingDocument } from '../model';

export function buildingsCollection(db: Db): Collection<BuildingDocument> {
  return db.collection<BuildingDocument>(COLLECTIONS.buildings);
}

/** Index per query: the address key for identity; district and landlord pages walk `_id` within each. */
export async function ensureBuildingIndexes(db: Db): Promise<void> {
  await buildingsCollection(db).createIndexes([
    { key: { landlordId: 1, addressKey: 1 }, name: 'landlord_address_unique', unique: true },
    { key: { districtId: 1, _id: 1 }, name: 'district_page' },
    { key: { landlordId: 1, districtId: 1, _id: 1 }, name: 'landlord_district_page' },
    { key: { estateId: 1 }, name: 'estate' },
  ]);
}

const DUPLICATE_ADDRESS = 'This landlord already has a building at this address.';

/** What an import knows of a building; its estate, lift and entrances stay as registered. */
export type ImportedBuilding = Pick<
  BuildingDocument,
  'landlordId' | 'districtId' | 'address' | 'addressKey' | 'location' | 'constructionYear'
>;

/** The address as identity: case, accents, punctuation and spacing do not make two buildings. */
export function addressKey(address: AddressModel): string {
  const parts = [address.communeCode, address.number, address.repetition, address.streetType, address.streetName];
  return parts
    .map((part) =>
      (part ?? '')
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim(),
    )
    .join('|');
}

export class BuildingsData extends Records<BuildingDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(buildingsCollection(db), loaders);
  }

  /** A page of a district's buildings, optionally of one landlord: one aggregate for all districts asked. */
  pageOfDistrict(districtId: string, args: PageArgs, landlordId?: string | null): Promise<Connection<BuildingDocument>> {
    const filter: Filter<BuildingDocument> = landlordId ? { landlordId } : {};
    return this.loaders
      .get(loaderKey('buildingsOfDistrict', { ...args, landlordId }), () => pageByFieldLoader(this.collection, 'districtId', args, filter))
      .load(districtId);
  }

  /** A page of a landlord's buildings within `districtIds` (the districts the caller may see). */
  pageOfLandlord(landlordId: string, args: PageArgs, districtIds: readonly string[] | 'ALL'): Promise<Connection<BuildingDocument>> {
    const filter: Filter<BuildingDocument> = districtIds === 'ALL' ? {} : { districtId: { $in: [...districtIds] } };
    return this.loaders
      .get(loaderKey('buildingsOfLandlord', { ...args, districtIds }), () => pageByFieldLoader(this.collection, 'landlordId', args, filter))
      .load(landlordId);
  }

  ofEstate(estateId: string): Promise<BuildingDocument[]> {
    return this.loaders
      .get('buildingsOfEstate', () => groupedByFieldLoader(this.collection, 'estateId', { sort: { _id: 1 } }))
      .load(estateId);
  }

  /** The landlords owning buildings in a district: one `$group` for all districts asked. */
  landlordIdsOfDistrict(districtId: string): Promise<string[]> {
    return this.loaders
      .get(
        'landlordIdsOfDistrict',
        () =>
          new DataLoader<string, string[]>(async (districtIds) => {
            const groups = await this.collection
              .aggregate<{ _id: string; landlordIds: string[] }>([
                { $match: { districtId: { $in: [...districtIds] } } },
                { $group: { _id: '$districtId', landlordIds: { $addToSet: '$landlordId' } } },
              ])
              .toArray();
            const byDistrict = new Map(groups.map((group) => [group._id, group.landlordIds.sort()]));
            return districtIds.map((id) => byDistrict.get(id) ?? []);
          }),
      )
      .load(districtId);
  }

  /** Refuses, as the unique index would, an address where the landlord already has a building. */
  async assertAddressFree(landlordId: string, addressKey: string): Promise<void> {
    if (await this.collection.findOne({ landlordId, addressKey }, { projection: { _id: 1 } })) throw conflict(DUPLICATE_ADDRESS);
  }

  register(building: BuildingDocument): Promise<BuildingDocument> {
    return this.insert(building, DUPLICATE_ADDRESS);
  }

  /** A landlord's buildings at these address keys: one find, served by the unique index. */
  atAddresses(landlordId: string, addressKeys: readonly string[]): Promise<BuildingDocument[]> {
    return this.collection.find({ landlordId, addressKey: { $in: [...addressKeys] } }).toArray();
  }

  /**
   * Creates or updates one landlord's buildings by address key, writing only what differs from the stored
   * records: importing the same file again changes nothing, not even the audit trail.
   */
  async importByAddress(buildings: readonly ImportedBuilding[], audit: SaveAudit): Promise<SaveOutcome<BuildingDocument>> {
    if (buildings.length === 0) return { records: [], created: 0, updated: 0, unchanged: 0 };
    const stored = await this.atAddresses(
      buildings[0]!.landlordId,
      buildings.map((building) => building.addressKey),
    );
    const byAddress = new Map(stored.map((building) => [building.addressKey, building]));
    const planned = buildings.map((fields) => {
      const existing = byAddress.get(fields.addressKey) ?? null;
      // A registered building's address is shared (its label is what partners know it by): an import finds
      // it by key, whatever the file's spelling, and only fills in a postcode it lacked.
      const next: BuildingDocument = existing
        ? { ...existing, ...fields, address: { ...existing.address, postcode: existing.address.postcode ?? fields.address.postcode } }
        : {
            _id: newId(),
            ...fields,
            estateId: null,
            hasLift: null,
            entrances: [],
            audit: { createdAt: audit.at, createdBy: audit.by, updatedAt: audit.at, updatedBy: audit.by },
          };
      return { stored: existing, next };
    });
    return saveChangedRecords(this.collection, planned, audit);
  }
}
