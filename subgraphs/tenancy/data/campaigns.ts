import type { Collection, Db } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { auditUpdate } from '../../shared/audit';
import { conflict, notFound } from '../../shared/errors';
import type { RequestLoaders } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { Records } from '../../shared/records';
import type { CampaignDocument, LandlordCampaignCounts } from '../model';

/** Who the audit trail says changed a purged campaign. */
const PURGE_AUTHOR = 'campaign-purge';

export function campaignsCollection(db: Db): Collection<CampaignDocument> {
  return db.collection<CampaignDocument>(COLLECTIONS.campaigns);
}

/** The client's key of an idempotent open (unique per district, only when given); a district's campaigns by start. */
export async function ensureCampaignIndexes(db: Db): Promise<void> {
  await campaignsCollection(db).createIndexes([
    {
      key: { districtId: 1, clientMutationId: 1 },
      name: 'district_clientMutationId_unique',
      unique: true,
      partialFilterExpression: { clientMutationId: { $type: 'string' } },
    },
    { key: { districtId: 1, startsOn: -1 }, name: 'district_start' },
    { key: { endsOn: 1 }, name: 'end' },
  ]);
}

export class CampaignsData extends Records<CampaignDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(campaignsCollection(db), loaders);
  }

  /** Stores a new campaign; sending its clientMutationId again returns the campaign first opened with it. */
  open(campaign: CampaignDocument): Promise<CampaignDocument> {
    if (!campaign.clientMutationId) return this.insert(campaign, 'This campaign is already recorded.');
    return this.insertOnce(campaign, { districtId: campaign.districtId, clientMutationId: campaign.clientMutationId });
  }

  /** The campaigns of the given districts (every district: 'ALL'), latest start first. */
  ofDistricts(districtIds: readonly string[] | 'ALL'): Promise<CampaignDocument[]> {
    const filter = districtIds === 'ALL' ? {} : { districtId: { $in: [...districtIds] } };
    return this.collection.find(filter, { sort: { startsOn: -1, _id: 1 } }).toArray();
  }

  /** Sets `set` on the campaign at `expectedVersion` and raises its version; CONFLICT when it changed meanwhile. */
  async change(id: string, expectedVersion: number, set: Partial<CampaignDocument>, caller: Caller): Promise<CampaignDocument> {
    const updated = await this.collection.findOneAndUpdate(
      { _id: id, version: expectedVersion },
      { $set: { ...set, ...auditUpdate(caller) }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (updated) {
      this.remember(updated);
      return updated;
    }
    const current = await this.collection.findOne({ _id: id });
    if (!current) throw notFound('Campaign', id);
    throw conflict(`Campaign ${id} has changed since you read it: it is at version ${current.version}, not ${expectedVersion}.`, {
      currentVersion: current.version,
    });
  }

  /** Campaigns whose last day is before `day` and whose call data is not purged yet: the purge's candidates. */
  endedBefore(day: string): Promise<CampaignDocument[]> {
    return this.collection.find({ endsOn: { $lt: day }, purgedAt: null }).toArray();
  }

  /** Keeps the figures a campaign's call data gives, before the purge deletes it. */
  async archiveFigures(id: string, figures: LandlordCampaignCounts[]): Promise<void> {
    await this.collection.updateOne({ _id: id, archivedFigures: null }, { $set: { archivedFigures: figures } });
  }

  async markPurged(id: string, at: Date): Promise<void> {
    await this.collection.updateOne(
      { _id: id },
      { $set: { purgedAt: at, 'audit.updatedAt': at, 'audit.updatedBy': PURGE_AUTHOR }, $inc: { version: 1 } },
    );
  }
}
