import { addMonths, callAfterAttempt, callDataPurgeOn, campaignSettingsFromEnv, campaignStatus } from '../campaignCalendar';
import type { CallAttemptModel } from '../model';

const attempt = (at: string, outcome: CallAttemptModel['outcome']): CallAttemptModel => ({
  attemptedAt: new Date(at),
  outcome,
  calledBy: 'agent',
});

describe('the retry schedule', () => {
  it('brings a household not answering back the next day, and gives up after the third attempt', () => {
    const first = [attempt('2026-07-01T18:30:00Z', 'NO_ANSWER')];
    expect(callAfterAttempt(first)).toEqual({ status: 'TO_CALL', nextAttemptOn: '2026-07-02' });
    const second = [...first, attempt('2026-07-02T23:59:00Z', 'NO_ANSWER')];
    expect(callAfterAttempt(second)).toEqual({ status: 'TO_CALL', nextAttemptOn: '2026-07-03' });
    expect(callAfterAttempt([...second, attempt('2026-07-03T09:00:00Z', 'NO_ANSWER')])).toEqual({
      status: 'UNREACHABLE',
      nextAttemptOn: null,
    });
  });

  it('ends the call with any other outcome', () => {
    for (const outcome of ['REACHED', 'WRONG_NUMBER', 'REFUSED', 'ALREADY_FOLLOWED'] as const) {
      expect(callAfterAttempt([attempt('2026-07-01T10:00:00Z', 'NO_ANSWER'), attempt('2026-07-02T10:00:00Z', outcome)])).toEqual({
        status: outcome,
        nextAttemptOn: null,
      });
    }
  });
});

describe('campaign days', () => {
  it('is active from its first day to its last, included, then ended, purged once purged', () => {
    const campaign = { startsOn: '2026-07-01', endsOn: '2026-07-14', purgedAt: null };
    expect(campaignStatus(campaign, new Date('2026-06-30T23:59:59Z'))).toBe('PLANNED');
    expect(campaignStatus(campaign, new Date('2026-07-01T00:00:00Z'))).toBe('ACTIVE');
    expect(campaignStatus(campaign, new Date('2026-07-14T23:59:59Z'))).toBe('ACTIVE');
    expect(campaignStatus(campaign, new Date('2026-07-15T00:00:00Z'))).toBe('ENDED');
    expect(campaignStatus({ ...campaign, purgedAt: new Date() }, new Date('2026-07-15T00:00:00Z'))).toBe('PURGED');
  });

  it('purges call data the day after the retention from its last day, months ending short clamped', () => {
    expect(callDataPurgeOn({ endsOn: '2026-07-14' }, 3)).toBe('2026-10-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(callDataPurgeOn({ endsOn: '2026-07-14' }, 0)).toBe('2026-07-15');
  });

  it('reads its settings, refusing unusable ones', () => {
    expect(campaignSettingsFromEnv({})).toEqual({ claimLeaseMs: 15 * 60_000, retentionMonths: 3, purgeIntervalMs: 3_600_000 });
    expect(campaignSettingsFromEnv({ CAMPAIGN_CALL_DATA_RETENTION_MONTHS: '6', CALL_CLAIM_LEASE_MINUTES: '5' })).toMatchObject({
      retentionMonths: 6,
      claimLeaseMs: 300_000,
    });
    expect(() => campaignSettingsFromEnv({ CALL_CLAIM_LEASE_MINUTES: '0' })).toThrow(/CALL_CLAIM_LEASE_MINUTES/);
    expect(() => campaignSettingsFromEnv({ CAMPAIGN_CALL_DATA_RETENTION_MONTHS: 'three' })).toThrow(/CAMPAIGN_CALL_DATA_RETENTION_MONTHS/);
  });
});
