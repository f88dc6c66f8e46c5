import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { RequestLoaders } from '../shared/loaders';
import { callDataPurgeOn, dayOf } from './campaignCalendar';
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

/** Runs the purge now and every `intervalMs`; returns what stops it. */
export function schedulePurge(db: Db, settings: { retentionMonths: number; purgeIntervalMs: number }, logger: Logger): () => void {
  const run = () => {
    purgeEndedCampaigns(db, new Date(), settings.retentionMonths)
      .then((outcome) => {
        if (outcome.campaigns > 0) logger.info(outcome, 'campaign call data purged');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'campaign purge failed; it runs again at the next interval'));
  };
  run();
  const timer = setInterval(run, settings.purgeIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
