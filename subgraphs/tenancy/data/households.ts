import type { Collection, Db } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { auditUpdate } from '../../shared/audit';
import { type RequestLoaders, groupedByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { Records } from '../../shared/records';
import type { HouseholdDocument } from '../model';

export function householdsCollection(db: Db): Collection<HouseholdDocument> {
  return db.collection<HouseholdDocument>(COLLECTIONS.households);
}

/** One current household per dwelling (the index also serves the lookup of it); former ones stay as history. */
export async function ensureHouseholdIndexes(db: Db): Promise<void> {
  await householdsCollection(db).createIndexes([
    { key: { dwellingId: 1 }, name: 'dwelling_current_unique', unique: true, partialFilterExpression: { current: true } },
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
}
