import type { DwellingDocument } from '../../subgraphs/housing/model';
import type {
  AgeBand,
  ContactChannel,
  ContactConsent,
  ContactTimeSlot,
  RequestChannel,
  RequestStatus,
  SatisfactionTheme,
} from '../../subgraphs/tenancy/generated/resolvers';
import type { HouseholdProfile } from '../../subgraphs/tenancy/householdProfile';
import type { HouseholdDocument, SatisfactionSurveyDocument, ServiceRequestDocument } from '../../subgraphs/tenancy/model';
import { type HousingPlan, dwellingIdOf, padded, seedAudit } from './housing';
import { FIRST_NAMES, REQUEST_CATEGORIES, SEED_AUTHOR, SURNAMES } from './names';
import { SeededRandom } from './random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Most dwellings are let; the seed gives a household to some, as a landlord's file would after a partial import. */
const OCCUPIED_SHARE = 0.62;

/** A household for some dwellings; the n-th household seen gets the n-th id. Seniors living alone are often vulnerable. */
export class HouseholdMaker {
  private readonly random = new SeededRandom('households');
  /** A stream of its own, so that the profiles leave the households drawn before them as they were. */
  private readonly profiles = new SeededRandom('householdProfiles');
  private count = 0;
  private readonly entrances: Map<string, string[]>;

  constructor(
    private readonly now: Date,
    plan: HousingPlan,
  ) {
    this.entrances = new Map(plan.buildings.map(({ building }) => [building._id, building.entrances.map((entrance) => entrance.label)]));
  }

  householdOf(dwelling: DwellingDocument): HouseholdDocument | null {
    if (!this.random.chance(OCCUPIED_SHARE)) return null;
    this.count += 1;
    const size = Math.min(
      this.random.weighted([
        [1, 30],
        [2, 25],
        [3, 17],
        [4, 14],
        [5, 8],
        [6, 6],
      ] as const),
      dwelling.rooms + 1,
    );
    const movedIn = new Date(this.now.getTime() - this.random.int(30, 25 * 365) * DAY);
    return {
      _id: `household-${padded(this.count, 7)}`,
      dwellingId: dwelling._id,
      landlordId: dwelling.landlordId,
      districtId: dwelling.districtId,
      since: movedIn.toISOString().slice(0, 10),
      size,
      contactName: `${this.random.pick(['Mme', 'M.'])} ${this.random.pick(SURNAMES)}`,
      // 06 39 98 xx xx: a range the French regulator keeps for fiction.
      phone: `06 39 98 ${padded(this.random.int(0, 99), 2)} ${padded(this.random.int(0, 99), 2)}`,
      vulnerable: this.random.chance(size === 1 ? 0.3 : 0.04),
      ...this.profileOf(size, this.entrances.get(dwelling.buildingId) ?? []),
      version: 1,
      current: true,
      movedOutAt: null,
      audit: seedAudit(movedIn),
    };
  }

  /** A wellbeing-call profile: about one household in six has a member of 70 or more, as in the Mirail's population. */
  private profileOf(size: number, entrances: readonly string[]): Omit<HouseholdProfile, 'contactName' | 'phone' | 'vulnerable'> {
    const random = this.profiles;
    const eldestMemberAgeBand = random.weighted<AgeBand | null>([
      [null, 20],
      ['UNDER_60', 45],
      ['FROM_60_TO_69', 17],
      ['FROM_70_TO_79', 10],
      ['FROM_80_TO_89', 6],
      ['FROM_90', 2],
    ]);
    return {
      contactFirstName: random.pick(FIRST_NAMES),
      eldestMemberAgeBand,
      livesAlone: size === 1,
      contactConsent: random.weighted<ContactConsent>([
        ['NOT_ASKED', 80],
        ['GIVEN', 17],
        ['REFUSED', 3],
      ]),
      preferredChannel: random.chance(0.4) ? random.pick<ContactChannel>(['PHONE', 'PHONE', 'SMS', 'VISIT']) : null,
      preferredTimes: random.chance(0.3) ? [random.pick<ContactTimeSlot>(['MORNING', 'AFTERNOON', 'EVENING'])] : [],
      entrance: entrances.length > 0 ? random.pick(entrances) : null,
    };
  }
}

const CHANNELS: (readonly [RequestChannel, number])[] = [
  ['PHONE', 40],
  ['CARETAKER', 13],
  ['WEB_PORTAL', 15],
  ['MOBILE_APP', 10],
  ['EMAIL', 10],
  ['IN_PERSON', 10],
  ['LETTER', 2],
];

/**
 * Service requests over the year before `now`, each on a timeline (opened, acknowledged, worked on, closed) whose
 * status is wherever `now` falls on it: old requests are mostly resolved, recent or slow ones still open. About
 * three in four are acknowledged within 48 hours.
 */
export function* plannedRequests(plan: HousingPlan, count: number, now: Date): Generator<ServiceRequestDocument> {
  const random = new SeededRandom('requests');
  const pickBuilding = weightedPicker(plan.buildings, (planned) => planned.dwellingCount + 1, random);
  for (let index = 0; index < count; index += 1) {
    const planned = pickBuilding();
    const { building } = planned;
    const kind = random.weighted(REQUEST_CATEGORIES.map((entry) => [entry, entry.weight] as const));
    const openedAt = new Date(now.getTime() - Math.floor(random.next() * 365 * DAY));
    const acknowledgementHours = random.weighted([
      [random.between(0.5, 40), 76],
      [random.between(49, 240), 20],
      [random.between(240, 1000), 4],
    ] as const);
    // A rejection comes soon after reading; a resolution takes the category's typical time, give or take, and
    // one in seven drags on (a part to order, an insurer to wait for): the backlog every landlord has.
    const rejected = random.chance(0.07);
    const slowdown = random.chance(1 / 7) ? random.between(5, 25) : random.between(0.3, 2.2);
    const handlingHours = rejected ? random.between(1, 48) : kind.resolutionHours * slowdown;
    const at = (time: number) => (time <= now.getTime() ? new Date(time) : null);
    const acknowledgedAt = at(openedAt.getTime() + acknowledgementHours * HOUR);
    const closedAt = acknowledgedAt ? at(acknowledgedAt.getTime() + handlingHours * HOUR) : null;
    // Acknowledged, a request waits for a contractor or a caretaker before work starts.
    const workStartedAt =
      acknowledgedAt && !rejected ? at(acknowledgedAt.getTime() + handlingHours * HOUR * random.between(0.1, 0.6)) : null;
    // Each step is one versioned change: acknowledged, in progress, then resolved or rejected.
    const steps: RequestStatus[] = ['OPEN'];
    if (acknowledgedAt) steps.push('ACKNOWLEDGED');
    if (workStartedAt) steps.push('IN_PROGRESS');
    if (closedAt) steps.push(rejected ? 'REJECTED' : 'RESOLVED');
    const lastChange = closedAt ?? workStartedAt ?? acknowledgedAt ?? openedAt;
    yield {
      _id: `request-${padded(index + 1, 7)}`,
      buildingId: building._id,
      dwellingId: kind.inDwelling && planned.dwellingCount > 0 ? dwellingIdOf(planned, random.int(0, planned.dwellingCount - 1)) : null,
      landlordId: building.landlordId,
      districtId: building.districtId,
      category: kind.category,
      channel: random.weighted(CHANNELS),
      status: steps[steps.length - 1]!,
      openedAt,
      acknowledgedAt,
      closedAt,
      description: random.chance(0.8) ? kind.description : null,
      clientMutationId: null,
      version: steps.length,
      audit: { createdAt: openedAt, createdBy: SEED_AUTHOR, updatedAt: lastChange, updatedBy: SEED_AUTHOR },
    };
  }
}

/** Picks items in proportion to their weight: a cumulative table and a binary search, for large seeds. */
function weightedPicker<T>(items: readonly T[], weightOf: (item: T) => number, random: SeededRandom): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) cumulative.push((total += weightOf(item)));
  return () => {
    const draw = random.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! > draw) high = middle;
      else low = middle + 1;
    }
    return items[low]!;
  };
}

const THEMES: SatisfactionTheme[] = [
  'OVERALL',
  'COMMON_AREAS_CLEANLINESS',
  'REQUEST_HANDLING',
  'DWELLING_QUALITY',
  'NEIGHBOURHOOD_LIFE',
  'INFORMATION',
];

/**
 * Last year's triennial survey of every landlord in every district where it has buildings: each respondent
 * answers every theme, so a survey has one number of respondents (about one household in ten, as telephone
 * surveys reach), and each theme its own share of satisfied answers.
 */
export function plannedSurveys(plan: HousingPlan, now: Date): SatisfactionSurveyDocument[] {
  const random = new SeededRandom('surveys');
  const year = now.getUTCFullYear() - 1;
  const surveyedAt = new Date(Date.UTC(year, 10, 15));
  return plan.districts.flatMap((district) =>
    (plan.landlordsOfDistrict.get(district._id) ?? []).map((landlordId): SatisfactionSurveyDocument => {
      const respondents = random.int(90, 160);
      return {
        _id: `survey-${landlordId}-${district._id}-${year}`,
        landlordId,
        districtId: district._id,
        year,
        themes: THEMES.map((theme) => ({ theme, respondents, satisfied: Math.round(respondents * random.between(0.5, 0.88)) })),
        audit: seedAudit(surveyedAt),
      };
    }),
  );
}
