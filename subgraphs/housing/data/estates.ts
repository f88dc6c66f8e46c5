import type { Collection, Db } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { newAuditTrail } from '../../shared/audit';
import { type RequestLoaders, groupedByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { newId, Records } from '../../shared/records';
import type { EstateDocument } from '../model';

export function estatesCollection(db: Db): Collection<EstateDocument> {
  return db.collection<EstateDocument>(COLLECTIONS.estates);
}

export async function ensureEstateIndexes(db: Db): Promise<void> {
  await estatesCollection(db).createIndexes([
    { key: { landlordId: 1, districtId: 1, name: 1 }, name: 'landlord_district_name_unique', unique: true },
    { key: { districtId: 1 }, name: 'district' },
  ]);
}

export class EstatesData extends Records<EstateDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(estatesCollection(db), loaders);
  }

  ofDistrict(districtId: string): Promise<EstateDocument[]> {
    return this.loaders
      .get('estatesOfDistrict', () => groupedByFieldLoader(this.collection, 'districtId', { sort: { name: 1 } }))
      .load(districtId);
  }

  /** The landlord's estate of that name in the district, created on first use (atomically: an upsert). */
  async findOrCreate(landlordId: string, districtId: string, name: string, caller: Caller): Promise<EstateDocument> {
    const { createdAt, createdBy, updatedAt, updatedBy } = newAuditTrail(caller);
    const estate = await this.collection.findOneAndUpdate(
      { landlordId, districtId, name },
      { $setOnInsert: { _id: newId(), audit: { createdAt, createdBy, updatedAt, updatedBy } } },
      { upsert: true, returnDocument: 'after' },
    );
    return estate!;
  }
}
