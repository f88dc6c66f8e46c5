import type { Collection, Db } from 'mongodb';
import type { RequestLoaders } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { Records } from '../../shared/records';
import type { DistrictDocument } from '../model';

export function districtsCollection(db: Db): Collection<DistrictDocument> {
  return db.collection<DistrictDocument>(COLLECTIONS.districts);
}

/** QPV codes identify a district in both generations (QP… of 2015, QN… since 2024). */
export async function ensureDistrictIndexes(db: Db): Promise<void> {
  const uniqueWhenSet = (field: 'qpvCode' | 'legacyQpvCode') => ({
    key: { [field]: 1 },
    name: `${field}_unique`,
    unique: true,
    partialFilterExpression: { [field]: { $type: 'string' } },
  });
  await districtsCollection(db).createIndexes([uniqueWhenSet('qpvCode'), uniqueWhenSet('legacyQpvCode')]);
}

export class DistrictsData extends Records<DistrictDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(districtsCollection(db), loaders);
  }

  /** Every district, or those of `ids`, by name. */
  list(ids?: readonly string[]): Promise<DistrictDocument[]> {
    return this.collection.find(ids ? { _id: { $in: [...ids] } } : {}, { sort: { name: 1 } }).toArray();
  }

  register(district: DistrictDocument): Promise<DistrictDocument> {
    return this.insert(district, 'A district with this QPV code is already registered.');
  }
}
