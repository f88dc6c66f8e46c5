import type { Collection, Db, Filter } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { auditUpdate } from '../../shared/audit';
import { type RequestLoaders, groupedByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { newestFirstPage } from '../../shared/newestFirstPage';
import type { Connection, PageArgs } from '../../shared/pagination';
import { VersionedRecords } from '../../shared/versionedRecords';
import type { ReferralStatus } from '../generated/resolvers';
import type { ReferralDocument } from '../model';

export function referralsCollection(db: Db): Collection<ReferralDocument> {
  return db.collection<ReferralDocument>(COLLECTIONS.referrals);
}

/**
 * A need of a call goes to one partner at a time (the unique index over the referrals still standing); a call's
 * referrals; a partner's and a landlord's pages, newest first.
 */
export async function ensureReferralIndexes(db: Db): Promise<void> {
  await referralsCollection(db).createIndexes([
    {
      key: { callId: 1, need: 1 },
      name: 'call_need_standing_unique',
      unique: true,
      partialFilterExpression: { standing: true },
    },
    { key: { partnerId: 1, referredAt: -1, _id: -1 }, name: 'partner_page' },
    { key: { landlordId: 1, referredAt: -1, _id: -1 }, name: 'landlord_page' },
    { key: { campaignId: 1 }, name: 'campaign' },
  ]);
}

/** Whose referrals a page lists: a partner's, a landlord's, or all (admins). */
export type ReferralOwner = { partnerId: string } | { landlordId: string } | 'ALL';

export interface ReferralPageArgs extends PageArgs {
  campaignId?: string | null;
  status?: ReferralStatus | null;
}

/** Referrals a partner may still act on or has acted on: a need goes to one partner at a time. */
export const STANDING_REFERRAL_STATUSES: readonly ReferralStatus[] = ['PENDING', 'DONE'];

export class ReferralsData extends VersionedRecords<ReferralDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(referralsCollection(db), loaders, 'Referral');
  }

  /** The referrals of a call, oldest first: one find for every call asked. */
  ofCall(callId: string): Promise<ReferralDocument[]> {
    return this.loaders
      .get('referralsOfCall', () => groupedByFieldLoader(this.collection, 'callId', { sort: { referredAt: 1 } }))
      .load(callId);
  }

  ofCampaign(campaignId: string): Promise<ReferralDocument[]> {
    return this.loaders
      .get('referralsOfCampaign', () =>
        groupedByFieldLoader(this.collection, 'campaignId', { projection: { landlordId: 1, campaignId: 1, status: 1 } }),
      )
      .load(campaignId);
  }

  /** A page of referrals, newest first. */
  page(owner: ReferralOwner, { first, after, campaignId, status }: ReferralPageArgs): Promise<Connection<ReferralDocument>> {
    const filter: Filter<ReferralDocument> = {
      ...(owner === 'ALL' ? {} : owner),
      ...(campaignId ? { campaignId } : {}),
      ...(status ? { status } : {}),
    };
    return newestFirstPage(this.collection, filter, 'referredAt', { first, after });
  }

  /** The tenant withdrew consent: the call's referrals without an outcome have nothing left for their partner to do. */
  async withdrawPendingOfCall(callId: string, caller: Caller): Promise<void> {
    await this.collection.updateMany(
      { callId, status: 'PENDING' },
      { $set: { status: 'WITHDRAWN', standing: false, ...auditUpdate(caller) }, $inc: { version: 1 } },
    );
  }

  async deleteOfCampaign(campaignId: string): Promise<number> {
    return (await this.collection.deleteMany({ campaignId })).deletedCount;
  }
}
