import type { Collection, Db } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { auditUpdate } from '../../shared/audit';
import { type RequestLoaders, groupedByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { conflict, notFound } from '../../shared/errors';
import { Records } from '../../shared/records';
import { type HouseholdProfile, householdVersion } from '../householdProfile';
import type { HouseholdDocument } from '../model';

export function householdsCollection(db: Db): Collection<HouseholdDocument> {
  return db.collection<HouseholdDocument>(COLLECTIONS.households);
}

/** One current household per dwelling (the index also serves the lookup of it); former ones stay as history; call lists read a landlord's current ones in a district. */
export async function ensureHouseholdIndexes(db: Db): Promise<void> {
  await householdsCollection(db).createIndexes([
    { key: { dwellingId: 1 }, name: 'dwelling_current_unique', unique: true, partialFilterExpression: { current: true } },
    { key: { landlordId: 1, districtId: 1, current: 1 }, name: 'landlord_district_current' },
  ]);
}

export class HouseholdsData extends Records<HouseholdDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(householdsCollection(db), loaders);
  }

  /** The household living in the dwelling now: one find for all dwellings asked. */
  async currentOf(dwellingId: string): Promise<HouseholdDocument | null> {
    const current = await this.loaders
      .get('currentHouseholdOfDwelling', () => groupedByFieldLoader(this.collection, 'dwellingId', { filter: { current: true } }))
      .load(dwellingId);
    return current[0] ?? null;
  }

  /**
   * Makes `household` (stored with `current: true`) the dwelling's current one and its predecessor, if any, history.
   * The predecessor moves out first because the unique index admits one current household per dwelling; of two
   * registrations racing, the later one wins or, when both moved the predecessor out first, gets a CONFLICT.
   */
  async moveIn(household: HouseholdDocument, caller: Caller): Promise<HouseholdDocument> {
    const at = household.audit.createdAt;
    await this.collection.updateOne(
      { dwellingId: household.dwellingId, current: true },
      { $set: { current: false, movedOutAt: at, ...auditUpdate(caller, at) } },
    );
    return this.insert(household, 'Another household was registered for this dwelling at the same moment: read it and retry.');
  }

  /**
   * Applies a profile change to the household at `expectedVersion` with one findOneAndUpdate (a household stored
   * before versions existed is at version 1); CONFLICT, with the current version, when it changed meanwhile.
   */
  async changeProfile(
    current: HouseholdDocument,
    change: Partial<HouseholdProfile>,
    expectedVersion: number,
    caller: Caller,
  ): Promise<HouseholdDocument> {
    const atVersion = expectedVersion === 1 ? { $or: [{ version: 1 }, { version: { $exists: false } }] } : { version: expectedVersion };
    const updated = await this.collection.findOneAndUpdate(
      { _id: current._id, ...atVersion },
      { $set: { ...change, version: expectedVersion + 1, ...auditUpdate(caller) } },
      { returnDocument: 'after' },
    );
    if (!updated) {
      const now = await this.collection.findOne({ _id: current._id });
      if (!now) throw notFound('Household', current._id);
      const currentVersion = householdVersion(now);
      throw conflict(
        `Household ${current._id} has changed since you read it: it is at version ${currentVersion}, not ${expectedVersion}.`,
        {
          currentVersion,
        },
      );
    }
    this.remember(updated);
    return updated;
  }

  /** The current households of a landlord in a district: what call lists are built from. */
  currentOfLandlordInDistrict(landlordId: string, districtId: string): Promise<HouseholdDocument[]> {
    return this.collection.find({ landlordId, districtId, current: true }).toArray();
  }
}
