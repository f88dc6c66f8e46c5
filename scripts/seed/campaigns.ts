import { addDays, callAfterAttempt, dayOf } from '../../subgraphs/tenancy/campaignCalendar';
import { callListReasons, callPriority, householdProfile } from '../../subgraphs/tenancy/householdProfile';
import type { CallNeed } from '../../subgraphs/tenancy/generated/resolvers';
import type {
  CallAttemptModel,
  CampaignCallDocument,
  CampaignDocument,
  HouseholdDocument,
  ReferralDocument,
} from '../../subgraphs/tenancy/model';
import { padded, seedAudit } from './housing';
import { DEMO_DISTRICT, SEED_AUTHOR } from './names';
import { SeededRandom } from './random';

const HOUR = 3_600_000;

export const DEMO_CAMPAIGN_ID = 'campaign-canicule-grand-mirail';

/** What the demo's campaign is opened with: a canicule in Grand Mirail, three days in, for two weeks. */
export function demoCampaignOpening(now: Date): Pick<CampaignDocument, 'reason' | 'title' | 'startsOn' | 'endsOn'> {
  return {
    reason: 'CANICULE',
    title: 'Plan canicule : appels de convivialité',
    startsOn: addDays(dayOf(now), -3),
    endsOn: addDays(dayOf(now), 11),
  };
}

/**
 * The demo's plan canicule in Grand Mirail: opened by the district's coordinator for its landlords, three days in,
 * each landlord's call list half worked through (reached, no answer, the odd wrong number or refusal), needs as the
 * 2020 campaigns found them (groceries and paperwork first), and grocery needs of consenting tenants referred to the
 * régie de quartier, some of them done.
 */
export class DemoCampaign {
  private readonly random = new SeededRandom('campaign');
  readonly calls: CampaignCallDocument[] = [];
  readonly referrals: ReferralDocument[] = [];
  readonly campaign: CampaignDocument;
  private readonly today: string;

  constructor(
    landlordIds: readonly string[],
    private readonly regieId: string,
    private readonly now: Date,
  ) {
    this.today = dayOf(now);
    const { startsOn, ...opened } = demoCampaignOpening(now);
    this.campaign = {
      _id: DEMO_CAMPAIGN_ID,
      districtId: DEMO_DISTRICT._id,
      startsOn,
      ...opened,
      openedByLandlordId: null,
      landlordIds: [...landlordIds],
      clientMutationId: null,
      purgedAt: null,
      archivedFigures: null,
      version: 1,
      audit: {
        createdAt: new Date(`${startsOn}T07:00:00Z`),
        createdBy: 'coordinator-grand-mirail',
        updatedAt: now,
        updatedBy: SEED_AUTHOR,
      },
    };
  }

  /** Lists a household of the district when it is eligible, and draws how its calls went so far. */
  add(household: HouseholdDocument): void {
    if (household.districtId !== DEMO_DISTRICT._id) return;
    const profile = householdProfile(household);
    const listedFor = callListReasons(profile);
    if (listedFor.length === 0) return;
    const id = `call-${padded(this.calls.length + 1, 6)}`;
    const attempts = this.attemptsOf();
    const after = callAfterAttempt(attempts);
    const reached = after.status === 'REACHED';
    const needs = reached ? this.needsOf() : [];
    const consent = reached ? (this.random.chance(0.8) ? 'GIVEN' : 'REFUSED') : 'NOT_ASKED';
    const lastAttempt = attempts.at(-1);
    this.calls.push({
      _id: id,
      campaignId: DEMO_CAMPAIGN_ID,
      landlordId: household.landlordId,
      districtId: household.districtId,
      householdId: household._id,
      listedFor,
      status: after.status,
      attempts,
      needs,
      referralConsent: consent,
      nextAttemptOn: attempts.length === 0 ? this.campaign.startsOn : after.nextAttemptOn,
      lastCalledBy: lastAttempt?.calledBy ?? null,
      claimedBy: null,
      claimExpiresAt: null,
      priority: callPriority(profile),
      version: 1 + attempts.length,
      audit: seedAudit(lastAttempt?.attemptedAt ?? this.campaign.audit.createdAt),
    });
    if (consent === 'GIVEN' && needs.includes('GROCERIES')) this.referGroceries(this.calls.at(-1)!, lastAttempt!.attemptedAt);
  }

  /** Half the list is worked through: one to three attempts, a day apart, the last one within the campaign so far. */
  private attemptsOf(): CallAttemptModel[] {
    if (!this.random.chance(0.55)) return [];
    const caller = `agent-${this.random.int(1, 4)}`;
    const attempts: CallAttemptModel[] = [];
    for (let day = -3; day < 0; day += 1) {
      const outcome = this.random.weighted([
        ['REACHED', 62],
        ['NO_ANSWER', 30],
        ['WRONG_NUMBER', 3],
        ['REFUSED', 2],
        ['ALREADY_FOLLOWED', 3],
      ] as const);
      attempts.push({
        attemptedAt: new Date(this.now.getTime() + day * 24 * HOUR + this.random.int(9, 17) * HOUR),
        outcome,
        calledBy: caller,
      });
      if (outcome !== 'NO_ANSWER' || this.random.chance(0.4)) break;
    }
    return attempts;
  }

  /** About one household reached in ten expresses a need (88 of 1,600 in 2020, more in a heat wave). */
  private needsOf(): CallNeed[] {
    if (!this.random.chance(0.12)) return [];
    const needs = new Set<CallNeed>([
      this.random.weighted<CallNeed>([
        ['GROCERIES', 40],
        ['PAPERWORK', 20],
        ['MEDICINES', 15],
        ['SOCIAL_CONTACT', 15],
        ['DIGITAL_HELP', 8],
        ['URGENT_HEALTH', 2],
      ]),
    ]);
    if (this.random.chance(0.3)) needs.add(this.random.pick<CallNeed>(['SOCIAL_CONTACT', 'GROCERIES', 'PAPERWORK']));
    return [...needs];
  }

  private referGroceries(call: CampaignCallDocument, reachedAt: Date): void {
    const referredAt = new Date(reachedAt.getTime() + HOUR);
    const done = this.random.chance(0.5);
    this.referrals.push({
      _id: `referral-${padded(this.referrals.length + 1, 5)}`,
      campaignId: DEMO_CAMPAIGN_ID,
      callId: call._id,
      landlordId: call.landlordId,
      districtId: call.districtId,
      householdId: call.householdId,
      partnerId: this.regieId,
      need: 'GROCERIES',
      status: done ? 'DONE' : 'PENDING',
      standing: true,
      referredAt,
      outcomeAt: done ? new Date(referredAt.getTime() + 20 * HOUR) : null,
      version: done ? 2 : 1,
      audit: seedAudit(referredAt),
    });
  }
}
