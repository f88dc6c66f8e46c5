import type { Collection, Db, Filter } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { auditUpdate } from '../../shared/audit';
import { isDuplicateKeyError } from '../../shared/errors';
import { type RequestLoaders, groupedByFieldLoader, loaderKey, pageByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import type { Connection, PageArgs } from '../../shared/pagination';
import { VersionedRecords } from '../../shared/versionedRecords';
import { dayOf } from '../campaignCalendar';
import type { CallStatus } from '../generated/resolvers';
import type { CampaignCallDocument } from '../model';

export function campaignCallsCollection(db: Db): Collection<CampaignCallDocument> {
  return db.collection<CampaignCallDocument>(COLLECTIONS.campaignCalls);
}

/**
 * One call per household and campaign (the unique index makes rebuilding a list add only the new ones); a
 * landlord's list pages by `_id`; claims look for the landlord's due calls in claiming order.
 */
export async function ensureCampaignCallIndexes(db: Db): Promise<void> {
  await campaignCallsCollection(db).createIndexes([
    { key: { campaignId: 1, householdId: 1 }, name: 'campaign_household_unique', unique: true },
    { key: { campaignId: 1, landlordId: 1, _id: 1 }, name: 'campaign_landlord_page' },
    { key: { campaignId: 1, landlordId: 1, status: 1, nextAttemptOn: 1, priority: -1 }, name: 'campaign_due' },
  ]);
}

export interface CallPageArgs extends PageArgs {
  status?: CallStatus | null;
}

/** A claim: who takes a call, when, and how long it is theirs. */
export interface Claim {
  campaignId: string;
  landlordId: string;
  caller: Caller;
  now: Date;
  leaseMs: number;
}

export class CampaignCallsData extends VersionedRecords<CampaignCallDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(campaignCallsCollection(db), loaders, 'CampaignCall');
  }

  /** Adds calls to a list; a household already listed in the campaign keeps its call. Returns how many were added. */
  async addToList(calls: readonly CampaignCallDocument[]): Promise<number> {
    if (calls.length === 0) return 0;
    try {
      const result = await this.collection.insertMany([...calls], { ordered: false });
      return result.insertedCount;
    } catch (error) {
      if (!isDuplicateKeyError(error) && !allDuplicates(error)) throw error;
      return (error as { insertedCount?: number }).insertedCount ?? 0;
    }
  }

  /** The households of a campaign's list, per landlord given: what a refresh must not add again. */
  async listedHouseholds(campaignId: string, landlordId: string): Promise<Set<string>> {
    const listed = await this.collection.find({ campaignId, landlordId }, { projection: { householdId: 1 } }).toArray();
    return new Set(listed.map((call) => call.householdId));
  }

  /** A page of a landlord's list in a campaign, of one status when given. */
  pageOfList(campaignId: string, landlordId: string, { first, after, status }: CallPageArgs): Promise<Connection<CampaignCallDocument>> {
    const filter: Filter<CampaignCallDocument> = { campaignId, ...(status ? { status } : {}) };
    return this.loaders
      .get(loaderKey('callsOfLandlordInCampaign', { campaignId, first, after, status }), () =>
        pageByFieldLoader(this.collection, 'landlordId', { first, after }, filter),
      )
      .load(landlordId);
  }

  /** A landlord's whole list in a campaign (the CSV export), in claiming order. */
  wholeList(campaignId: string, landlordId: string): Promise<CampaignCallDocument[]> {
    return this.collection.find({ campaignId, landlordId }, { sort: { nextAttemptOn: 1, priority: -1, _id: 1 } }).toArray();
  }

  /** The calls of a campaign, for its aggregates and its purge. */
  ofCampaign(campaignId: string): Promise<CampaignCallDocument[]> {
    return this.loaders
      .get('callsOfCampaign', () =>
        groupedByFieldLoader(this.collection, 'campaignId', {
          projection: { landlordId: 1, campaignId: 1, status: 1, needs: 1 },
        }),
      )
      .load(campaignId);
  }

  /**
   * The caller's « à appeler aujourd'hui »: the calls it holds, and those it tried before that are due today or
   * earlier and that nobody else holds.
   */
  queueOf(claim: Omit<Claim, 'leaseMs'>): Promise<CampaignCallDocument[]> {
    const { campaignId, landlordId, caller, now } = claim;
    return this.collection
      .find(
        {
          campaignId,
          landlordId,
          status: 'TO_CALL',
          $or: [
            { claimedBy: caller.sub, claimExpiresAt: { $gt: now } },
            { lastCalledBy: caller.sub, nextAttemptOn: { $lte: dayOf(now) }, $nor: [{ claimExpiresAt: { $gt: now } }] },
          ],
        },
        { sort: { nextAttemptOn: 1, priority: -1, _id: 1 }, limit: 100 },
      )
      .toArray();
  }

  /**
   * Claims the next call due for the caller, each step ONE findOneAndUpdate whose filter only matches a call nobody
   * holds (the database applies it to one document atomically, so two callers never get the same call): the call
   * the caller holds already (its lease renewed), else its own retries due, else any call due today that is not
   * another caller's retry of today. Oldest due first, then by priority.
   */
  async claimNext({ campaignId, landlordId, caller, now, leaseMs }: Claim): Promise<CampaignCallDocument | null> {
    const today = dayOf(now);
    const free = { $nor: [{ claimExpiresAt: { $gt: now } }] };
    const due = { campaignId, landlordId, status: 'TO_CALL' as const, nextAttemptOn: { $lte: today } };
    const candidates: Filter<CampaignCallDocument>[] = [
      { campaignId, landlordId, status: 'TO_CALL', claimedBy: caller.sub, claimExpiresAt: { $gt: now } },
      { ...due, lastCalledBy: caller.sub, ...free },
      { ...due, ...free, $or: [{ lastCalledBy: null }, { nextAttemptOn: { $lt: today } }] },
    ];
    for (const filter of candidates) {
      const claimed = await this.collection.findOneAndUpdate(
        filter,
        {
          $set: { claimedBy: caller.sub, claimExpiresAt: new Date(now.getTime() + leaseMs), ...auditUpdate(caller, now) },
          $inc: { version: 1 },
        },
        { sort: { nextAttemptOn: 1, priority: -1, _id: 1 }, returnDocument: 'after' },
      );
      if (claimed) {
        this.remember(claimed);
        return claimed;
      }
    }
    return null;
  }

  /** Ends a campaign's calls still to make: NOT_REACHED_IN_TIME, nothing held. How many it ended. */
  async closeUnreached(campaignId: string, caller: Caller): Promise<number> {
    const { modifiedCount } = await this.collection.updateMany(
      { campaignId, status: 'TO_CALL' },
      {
        $set: { status: 'NOT_REACHED_IN_TIME', nextAttemptOn: null, claimedBy: null, claimExpiresAt: null, ...auditUpdate(caller) },
        $inc: { version: 1 },
      },
    );
    return modifiedCount;
  }

  async deleteOfCampaign(campaignId: string): Promise<number> {
    return (await this.collection.deleteMany({ campaignId })).deletedCount;
  }
}

/** An unordered insertMany whose only failures are duplicates: the households already listed. */
function allDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((writeError) => isDuplicateKeyError(writeError));
}
