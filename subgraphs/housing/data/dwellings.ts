import DataLoader from 'dataloader';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { type SaveAudit, type SaveOutcome, saveChangedRecords } from '../../shared/changes';
import { type RequestLoaders, loaderKey, pageByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import type { Connection, PageArgs } from '../../shared/pagination';
import { Records } from '../../shared/records';
import type { DwellingDocument } from '../model';

export function dwellingsCollection(db: Db): Collection<DwellingDocument> {
  return db.collection<DwellingDocument>(COLLECTIONS.dwellings);
}

/** Index per query: the landlord's reference for identity; pages and counts per building; stock per district. */
export async function ensureDwellingIndexes(db: Db): Promise<void> {
  await dwellingsCollection(db).createIndexes([
    { key: { landlordId: 1, reference: 1 }, name: 'landlord_reference_unique', unique: true },
    { key: { buildingId: 1, _id: 1 }, name: 'building_page' },
    { key: { districtId: 1 }, name: 'district_stock' },
  ]);
}

/** The dwelling fields a landlord sets; identity and audit are the data module's. */
export type DwellingFields = Omit<DwellingDocument, '_id' | 'audit'>;

/** What an import knows of a dwelling: RPLS files carry no rent, so an import keeps the stored one. */
export type ImportedDwelling = Omit<DwellingFields, 'rentCents'>;

export class DwellingsData extends Records<DwellingDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(dwellingsCollection(db), loaders);
  }

  pageOfBuilding(buildingId: string, args: PageArgs): Promise<Connection<DwellingDocument>> {
    return this.loaders
      .get(loaderKey('dwellingsOfBuilding', args), () => pageByFieldLoader(this.collection, 'buildingId', args))
      .load(buildingId);
  }

  /** Dwelling count per building: one `$group` for all buildings asked. */
  countInBuilding(buildingId: string): Promise<number> {
    return this.loaders
      .get(
        'dwellingCount',
        () =>
          new DataLoader<string, number>(async (buildingIds) => {
            const counts = await this.collection
              .aggregate<{ _id: string; count: number }>([
                { $match: { buildingId: { $in: [...buildingIds] } } },
                { $group: { _id: '$buildingId', count: { $sum: 1 } } },
              ])
              .toArray();
            const byBuilding = new Map(counts.map((entry) => [entry._id, entry.count]));
            return buildingIds.map((id) => byBuilding.get(id) ?? 0);
          }),
      )
      .load(buildingId);
  }

  /** The building each of these references of the landlord is registered in, for those it uses. */
  async buildingsOfReferences(landlordId: string, references: readonly string[]): Promise<Map<string, string>> {
    if (references.length === 0) return new Map();
    const stored = await this.collection
      .find({ landlordId, reference: { $in: [...references] } }, { projection: { reference: 1, buildingId: 1 } })
      .toArray();
    return new Map(stored.map((dwelling) => [dwelling.reference, dwelling.buildingId]));
  }

  /**
   * Adds or updates dwellings by the landlord's reference in one ordered bulk write, then reads them back.
   * Callers validate every dwelling first, so a refused input writes nothing. A dwelling never changes building:
   * one moved into another building since the caller checked makes the upsert collide with it, a CONFLICT.
   */
  async upsertByReference(dwellings: readonly DwellingFields[], audit: { at: Date; by: string }): Promise<DwellingDocument[]> {
    if (dwellings.length === 0) return [];
    const operations: AnyBulkWriteOperation<DwellingDocument>[] = dwellings.map((fields) => ({
      updateOne: {
        filter: { landlordId: fields.landlordId, reference: fields.reference, buildingId: fields.buildingId },
        update: {
          $set: { ...fields, 'audit.updatedAt': audit.at, 'audit.updatedBy': audit.by },
          $setOnInsert: { _id: dwellingId(fields.landlordId, fields.reference), 'audit.createdAt': audit.at, 'audit.createdBy': audit.by },
        },
        upsert: true,
      },
    }));
    await this.collection.bulkWrite(operations, { ordered: true });
    const stored = await this.collection
      .find({ landlordId: dwellings[0]!.landlordId, reference: { $in: dwellings.map((dwelling) => dwelling.reference) } })
      .toArray();
    const byReference = new Map(stored.map((dwelling) => [dwelling.reference, dwelling]));
    return dwellings.map((dwelling) => byReference.get(dwelling.reference)!);
  }

  /**
   * Creates or updates one landlord's dwellings by reference, writing only what differs from the stored
   * records: importing the same file again changes nothing, not even the audit trail.
   */
  async importByReference(dwellings: readonly ImportedDwelling[], audit: SaveAudit): Promise<SaveOutcome<DwellingDocument>> {
    if (dwellings.length === 0) return { records: [], created: 0, updated: 0, unchanged: 0 };
    const landlordId = dwellings[0]!.landlordId;
    const stored = await this.collection
      .find({ landlordId, reference: { $in: dwellings.map((dwelling) => dwelling.reference) } })
      .toArray();
    const byReference = new Map(stored.map((dwelling) => [dwelling.reference, dwelling]));
    const planned = dwellings.map((fields) => {
      const existing = byReference.get(fields.reference) ?? null;
      const next: DwellingDocument = existing
        ? { ...existing, ...fields }
        : {
            _id: dwellingId(landlordId, fields.reference),
            ...fields,
            rentCents: null,
            audit: { createdAt: audit.at, createdBy: audit.by, updatedAt: audit.at, updatedBy: audit.by },
          };
      return { stored: existing, next };
    });
    return saveChangedRecords(this.collection, planned, audit);
  }
}

/** A dwelling's id derives from its identity, so that registering or importing it again finds the same record. */
export function dwellingId(landlordId: string, reference: string): string {
  return `${landlordId}:${reference}`;
}
