import type { Db } from 'mongodb';
import type { Caller } from '../../lib/auth/caller';
import type { BackgroundTask } from '../shared/backgroundTasks';
import { RequestLoaders } from '../shared/loaders';
import { type CampaignSettings, callDataPurgeOn, dayOf } from './campaignCalendar';
import { countCampaign } from './campaignProgress';
import { CampaignCallsData } from './data/campaignCalls';
import { CampaignsData } from './data/campaigns';
import { ReferralsData } from './data/referrals';

/**
 * The purge of campaign call data (GDPR storage limitation): once a campaign's last day is `retentionMonths` behind,
 * its calls (attempts, needs, consent), referrals and claims are deleted; the campaign keeps its aggregate figures.
 */

export interface PurgeOutcome {
  campaigns: number;
  calls: number;
  referrals: number;
}

/** Purges every campaign due at `now`: whose callDataPurgeOn is today or earlier. */
export async function purgeEndedCampaigns(db: Db, now: Date, retentionMonths: number): Promise<PurgeOutcome> {
  const loaders = new RequestLoaders();
  const campaigns = new CampaignsData(db, loaders);
  const calls = new CampaignCallsData(db, loaders);
  const referrals = new ReferralsData(db, loaders);
  const outcome: PurgeOutcome = { campaigns: 0, calls: 0, referrals: 0 };
  const today = dayOf(now);
  for (const campaign of await campaigns.endedBefore(today)) {
    if (callDataPurgeOn(campaign, retentionMonths) > today) continue;
    // Figures first, kept by a later run: a purge cut short leaves them and some call data, which the next run deletes.
    if (!campaign.archivedFigures) {
      const figures = countCampaign(campaign.landlordIds, await calls.ofCampaign(campaign._id), await referrals.ofCampaign(campaign._id));
      await campaigns.archiveFigures(campaign._id, figures);
    }
    outcome.calls += await calls.deleteOfCampaign(campaign._id);
    outcome.referrals += await referrals.deleteOfCampaign(campaign._id);
    await campaigns.markPurged(campaign._id, now);
    outcome.campaigns += 1;
  }
  return outcome;
}

/** Who the calendar's own changes are recorded as made by. */
const CAMPAIGN_CALENDAR: Caller = { role: 'ADMIN', sub: 'system:campaign-calendar' };

/**
 * Makes the calls still to make of every campaign whose last day is behind `now` NOT_REACHED_IN_TIME, as
 * `endCampaign` does: for the campaigns that end with their period, and for one whose `endCampaign` stopped between
 * ending the campaign and closing its calls. How many calls it closed.
 */
export async function closeEndedCampaignCalls(db: Db, now: Date): Promise<number> {
  const loaders = new RequestLoaders();
  const calls = new CampaignCallsData(db, loaders);
  let closed = 0;
  for (const campaign of await new CampaignsData(db, loaders).endedBefore(dayOf(now)))
    closed += await calls.closeUnreached(campaign._id, CAMPAIGN_CALENDAR);
  return closed;
}

/**
 * The campaigns' calendar as the serving subgraph runs it, as it starts serving, then every `purgeIntervalMs`:
 * the calls of ended campaigns closed, then the call data due purged.
 */
export function campaignPurgeTask(settings: Pick<CampaignSettings, 'retentionMonths' | 'purgeIntervalMs'>): BackgroundTask {
  return {
    name: 'campaign calls closing and call data purge',
    runAtStart: true,
    everyMs: settings.purgeIntervalMs,
    run: async (db, logger) => {
      const now = new Date();
      const closed = await closeEndedCampaignCalls(db, now);
      if (closed > 0) logger.info({ calls: closed }, 'calls of ended campaigns closed as not reached in time');
      const outcome = await purgeEndedCampaigns(db, now, settings.retentionMonths);
      if (outcome.campaigns > 0) logger.info(outcome, 'campaign call data purged');
    },
  };
}
