import type { Collection, Db } from 'mongodb';
import type { RequestLoaders } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { Records } from '../../shared/records';
import type { LandlordDocument } from '../model';

export function landlordsCollection(db: Db): Collection<LandlordDocument> {
  return db.collection<LandlordDocument>(COLLECTIONS.landlords);
}

export async function ensureLandlordIndexes(db: Db): Promise<void> {
  await landlordsCollection(db).createIndexes([
    { key: { siren: 1 }, name: 'siren_unique', unique: true, partialFilterExpression: { siren: { $type: 'string' } } },
  ]);
}

export class LandlordsData extends Records<LandlordDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(landlordsCollection(db), loaders);
  }

  /** Every landlord, or those of `ids`, by name. */
  list(ids?: readonly string[]): Promise<LandlordDocument[]> {
    return this.collection.find(ids ? { _id: { $in: [...ids] } } : {}, { sort: { name: 1 } }).toArray();
  }

  register(landlord: LandlordDocument): Promise<LandlordDocument> {
    return this.insert(landlord, `A landlord with SIREN ${landlord.siren} is already registered.`);
  }
}
