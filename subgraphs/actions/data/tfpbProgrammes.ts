import type { Collection, Db, Filter } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { auditUpdate, newAuditTrail } from '../../shared/audit';
import { conflict, isDuplicateKeyError } from '../../shared/errors';
import { type RequestLoaders, groupedByFieldLoader, loaderKey } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { newId } from '../../shared/records';
import type { TfpbProgrammeDocument, TfpbScope } from '../model';

export function tfpbProgrammesCollection(db: Db): Collection<TfpbProgrammeDocument> {
  return db.collection<TfpbProgrammeDocument>(COLLECTIONS.tfpbProgrammes);
}

/** One programme per landlord, district and year (unique); a district's table reads all of a year's. */
export async function ensureTfpbProgrammeIndexes(db: Db): Promise<void> {
  await tfpbProgrammesCollection(db).createIndexes([
    { key: { landlordId: 1, districtId: 1, year: 1 }, name: 'landlord_district_year_unique', unique: true },
    { key: { districtId: 1, year: 1 }, name: 'district_year' },
  ]);
}

/** What a change sets on a programme. */
export type ProgrammeChange = Partial<Pick<TfpbProgrammeDocument, 'abatementCents' | 'dwellingCount' | 'entries'>>;

/**
 * A landlord's TFPB programme of a district and year: one document, so that each change (the abatement, a line
 * added, changed or removed) is one write guarded by the version its author read. Before anything is entered the
 * programme exists at version 0, empty.
 */
export class TfpbProgrammesData {
  private readonly collection: Collection<TfpbProgrammeDocument>;

  constructor(
    db: Db,
    private readonly loaders: RequestLoaders,
  ) {
    this.collection = tfpbProgrammesCollection(db);
  }

  /** The programme, or the empty one at version 0. */
  async of(scope: TfpbScope): Promise<TfpbProgrammeDocument> {
    const stored = (await this.ofDistrict(scope.districtId, scope.year)).find((programme) => programme.landlordId === scope.landlordId);
    return stored ?? emptyProgramme(scope);
  }

  /** Every stored programme of a district's year: one query for all districts asked. */
  ofDistrict(districtId: string, year: number): Promise<TfpbProgrammeDocument[]> {
    return this.loaders
      .get(loaderKey('tfpbProgrammesOfDistrict', { year }), () => groupedByFieldLoader(this.collection, 'districtId', { filter: { year } }))
      .load(districtId);
  }

  /**
   * Applies `change` (worked out from the programme as it stands) if the programme is at `expectedVersion`, with
   * ONE write that matches only that version: the first change inserts the programme (a concurrent first change
   * loses on the unique index); every change raises the version. Otherwise CONFLICT, with extensions.currentVersion.
   */
  async change(
    scope: TfpbScope,
    expectedVersion: number,
    changeOf: (current: TfpbProgrammeDocument) => ProgrammeChange,
    caller: Caller,
  ): Promise<TfpbProgrammeDocument> {
    const current = (await this.collection.findOne(scopeFilter(scope))) ?? emptyProgramme(scope);
    if (current.version !== expectedVersion) throw staleVersion(current.version, expectedVersion);
    const set = changeOf(current);
    if (current.version === 0) {
      const created: TfpbProgrammeDocument = { ...current, ...set, _id: newId(), version: 1, audit: newAuditTrail(caller) };
      try {
        await this.collection.insertOne(created);
      } catch (error) {
        if (isDuplicateKeyError(error)) throw staleVersion(1, expectedVersion);
        throw error;
      }
      return created;
    }
    const updated = await this.collection.findOneAndUpdate(
      { _id: current._id, version: expectedVersion },
      { $set: { ...set, ...auditUpdate(caller) }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!updated) {
      // Another change won the race since the programme was read.
      const now = await this.collection.findOne({ _id: current._id });
      throw staleVersion(now?.version ?? expectedVersion + 1, expectedVersion);
    }
    return updated;
  }
}

function scopeFilter({ landlordId, districtId, year }: TfpbScope): Filter<TfpbProgrammeDocument> {
  return { landlordId, districtId, year };
}

function emptyProgramme(scope: TfpbScope): TfpbProgrammeDocument {
  const epoch = new Date(0);
  return {
    _id: '',
    ...scope,
    abatementCents: null,
    dwellingCount: null,
    entries: [],
    version: 0,
    audit: { createdAt: epoch, createdBy: '', updatedAt: epoch, updatedBy: '' },
  };
}

function staleVersion(currentVersion: number, expectedVersion: number) {
  return conflict(
    `The TFPB programme has changed since you read it: it is at version ${currentVersion}, not ${expectedVersion}. Read it again and retry.`,
    { currentVersion },
  );
}
