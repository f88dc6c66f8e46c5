import { ConfigError, wholeNumber } from '../../lib/config/envVariables';
import type { CallStatus, CampaignStatus } from './generated/resolvers';
import type { CallAttemptModel, CampaignDocument } from './model';

/**
 * The time rules of wellbeing-call campaigns: days are UTC calendar days ('YYYY-MM-DD', compared as strings), a
 * campaign is active from its first day to its last included, a household gets at most three attempts a day apart,
 * and its call data is purged some months after the campaign ends.
 */

const DAY_MS = 86_400_000;

/** A household not reached after this many attempts is UNREACHABLE. */
export const MAX_CALL_ATTEMPTS = 3;

export interface CampaignSettings {
  /** How long a claim keeps other callers off a household. */
  claimLeaseMs: number;
  /** Months after a campaign's last day when its call data is purged. */
  retentionMonths: number;
  /** How often the tenancy subgraph looks for campaigns to purge. */
  purgeIntervalMs: number;
}

/** CALL_CLAIM_LEASE_MINUTES (15), CAMPAIGN_CALL_DATA_RETENTION_MONTHS (3), CAMPAIGN_PURGE_INTERVAL_MINUTES (60). */
export function campaignSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CampaignSettings {
  const leaseMinutes = wholeNumber(env, 'CALL_CLAIM_LEASE_MINUTES', 15, 1);
  if (leaseMinutes > 24 * 60) throw new ConfigError('CALL_CLAIM_LEASE_MINUTES must be at most 1440 (a day).');
  return {
    claimLeaseMs: leaseMinutes * 60_000,
    retentionMonths: wholeNumber(env, 'CAMPAIGN_CALL_DATA_RETENTION_MONTHS', 3, 0),
    purgeIntervalMs: wholeNumber(env, 'CAMPAIGN_PURGE_INTERVAL_MINUTES', 60, 1) * 60_000,
  };
}

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** The same day `months` later, or the month's last day when it has fewer days (31 May + 3 months: 31 August; 30 November + 3: 28/29 February). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const lastOfTarget = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return dayOf(new Date(Date.UTC(year, month - 1 + months, Math.min(date, lastOfTarget))));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The first day the campaign's call data may be purged. */
export function callDataPurgeOn(campaign: Pick<CampaignDocument, 'endsOn'>, retentionMonths: number): string {
  return addDays(addMonths(campaign.endsOn, retentionMonths), 1);
}

export function campaignStatus(campaign: Pick<CampaignDocument, 'startsOn' | 'endsOn' | 'purgedAt'>, now: Date): CampaignStatus {
  if (campaign.purgedAt) return 'PURGED';
  const today = dayOf(now);
  if (today < campaign.startsOn) return 'PLANNED';
  return today <= campaign.endsOn ? 'ACTIVE' : 'ENDED';
}

/** What a call becomes after an attempt: its status, and the day its next attempt is due (null once it is over). */
export interface CallAfterAttempt {
  status: CallStatus;
  nextAttemptOn: string | null;
}

/**
 * The retry schedule: NO_ANSWER brings the household back the next day, until the third attempt without an answer
 * makes it UNREACHABLE; any other outcome ends the call with that outcome.
 */
export function callAfterAttempt(attempts: readonly CallAttemptModel[]): CallAfterAttempt {
  const last = attempts.at(-1);
  if (!last) return { status: 'TO_CALL', nextAttemptOn: null };
  if (last.outcome !== 'NO_ANSWER') return { status: last.outcome, nextAttemptOn: null };
  if (attempts.length >= MAX_CALL_ATTEMPTS) return { status: 'UNREACHABLE', nextAttemptOn: null };
  return { status: 'TO_CALL', nextAttemptOn: addDays(dayOf(last.attemptedAt), 1) };
}
