import type { GraphClient } from '../graphClient';
import { plannedActions } from './actions';
import { demoCampaignOpening } from './campaigns';
import { type SeedCounts, seedCounts } from './counts';
import { planHousing, plannedDwellings } from './housing';
import { DEMO_DISTRICT } from './names';
import { plannedPartners } from './partners';
import { HouseholdMaker, plannedRequests, plannedSurveys } from './tenancy';

/** How many records each kind received. */
export type GraphSeedSummary = Record<
  | 'landlords'
  | 'districts'
  | 'buildings'
  | 'dwellings'
  | 'households'
  | 'serviceRequests'
  | 'satisfactionSurveys'
  | 'partners'
  | 'agreements'
  | 'actions'
  | 'campaigns',
  number
>;

/** Calls in flight at once: enough to keep the services busy, few enough for a laptop. */
const PARALLEL_CALLS = 8;

/**
 * Adds `scale` times the demo world to a running graph through its public mutations, as an admin would: every
 * record is written by the subgraph that owns it, validated and checked against the access rules. The plan is
 * the one the direct loader writes (the same names, addresses, dwellings, requests and actions), but the graph
 * gives the ids, so they are new ones, and what happened since a request was opened (acknowledged, resolved…)
 * happens now rather than at its planned time.
 */
export async function seedThroughGraph(
  graph: GraphClient,
  options: { scale: number; counts?: Partial<SeedCounts>; now?: Date },
): Promise<GraphSeedSummary> {
  const counts = seedCounts(options.scale, options.counts);
  const now = options.now ?? new Date();
  const plan = planHousing(counts, now);
  const ids = new Map<string, string>();
  const idOf = (planned: string) => ids.get(planned) ?? planned;
  const remember = (planned: string, actual: string) => ids.set(planned, actual);
  const summary = {} as GraphSeedSummary;

  summary.landlords = await eachInParallel(plan.landlords, async (landlord) => {
    const { registerLandlord } = await graph.request<{ registerLandlord: { id: string } }>(
      'mutation SeedLandlord($input: RegisterLandlordInput!) { registerLandlord(input: $input) { id } }',
      { input: { name: landlord.name, family: landlord.family, siren: landlord.siren } },
    );
    remember(landlord._id, registerLandlord.id);
  });
  // A QPV code names one district: where the graph has it already (the demo's, after npm start), the seed's goes without.
  const { districts: existing } = await graph.request<{ districts: { qpvCode: string | null; legacyQpvCode: string | null }[] }>(
    'query SeedExistingDistricts { districts { qpvCode legacyQpvCode } }',
  );
  const takenCodes = new Set(existing.flatMap((district) => [district.qpvCode, district.legacyQpvCode]).filter(Boolean));
  const freeCode = (code: string | null) => (code && !takenCodes.has(code) ? code : null);
  summary.districts = await eachInParallel(plan.districts, async (district) => {
    const { registerDistrict } = await graph.request<{ registerDistrict: { id: string } }>(
      'mutation SeedDistrict($input: RegisterDistrictInput!) { registerDistrict(input: $input) { id } }',
      {
        input: {
          name: district.name,
          communeCodes: district.communeCodes,
          qpvCode: freeCode(district.qpvCode),
          legacyQpvCode: freeCode(district.legacyQpvCode),
        },
      },
    );
    remember(district._id, registerDistrict.id);
  });

  const estateNames = new Map(plan.estates.map((estate) => [estate._id, estate.name]));
  // The first building of an estate creates it, alone: two creating the same estate at once would race.
  summary.buildings = 0;
  for (const buildings of groupBy(plan.buildings, (planned) => planned.building.estateId ?? planned.building._id)) {
    summary.buildings += await eachInParallel(buildings.slice(0, 1), registerPlannedBuilding);
    summary.buildings += await eachInParallel(buildings.slice(1), registerPlannedBuilding);
  }
  async function registerPlannedBuilding({ building }: (typeof plan.buildings)[number]): Promise<void> {
    const { address } = building;
    const { registerBuilding } = await graph.request<{ registerBuilding: { id: string } }>(
      'mutation SeedBuilding($input: RegisterBuildingInput!) { registerBuilding(input: $input) { id } }',
      {
        input: {
          landlordId: idOf(building.landlordId),
          districtId: idOf(building.districtId),
          estateName: building.estateId ? estateNames.get(building.estateId) : null,
          address: {
            number: address.number,
            repetition: address.repetition,
            streetType: address.streetType,
            streetName: address.streetName,
            postcode: address.postcode,
            communeCode: address.communeCode,
          },
          location: building.location,
          constructionYear: building.constructionYear,
          hasLift: building.hasLift,
          entrances: building.entrances.map((entrance) => entrance.label),
        },
      },
    );
    remember(building._id, registerBuilding.id);
  }

  const dwellings = [...plannedDwellings(plan)];
  summary.dwellings = 0;
  await eachInParallel(
    groupBy(dwellings, (dwelling) => dwelling.buildingId),
    async (ofBuilding) => {
      const { registerDwellings } = await graph.request<{ registerDwellings: { id: string }[] }>(
        'mutation SeedDwellings($buildingId: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $buildingId, dwellings: $dwellings) { id } }',
        {
          buildingId: idOf(ofBuilding[0]!.buildingId),
          dwellings: ofBuilding.map(({ reference, rooms, surface, floor, financing, energyClass, constructionType, rentCents }) => ({
            reference,
            rooms,
            surface,
            floor,
            financing,
            energyClass,
            constructionType,
            rentCents,
          })),
        },
      );
      registerDwellings.forEach((registered, index) => remember(ofBuilding[index]!._id, registered.id));
      summary.dwellings += registerDwellings.length;
    },
  );

  const households = new HouseholdMaker(now, plan);
  const occupied = dwellings.flatMap((dwelling) => {
    const household = households.householdOf(dwelling);
    return household ? [household] : [];
  });
  summary.households = await eachInParallel(occupied, async (household) => {
    await graph.request('mutation SeedHousehold($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }', {
      input: {
        dwellingId: idOf(household.dwellingId),
        since: household.since,
        size: household.size,
        contactName: household.contactName,
        phone: household.phone,
        vulnerable: household.vulnerable,
        contactFirstName: household.contactFirstName,
        eldestMemberAgeBand: household.eldestMemberAgeBand,
        livesAlone: household.livesAlone,
        contactConsent: household.contactConsent,
        preferredChannel: household.preferredChannel,
        preferredTimes: household.preferredTimes,
        entrance: household.entrance,
      },
    });
  });

  summary.serviceRequests = await eachInParallel([...plannedRequests(plan, counts.requests, now)], async (request) => {
    const { openServiceRequest } = await graph.request<{ openServiceRequest: { id: string; version: number } }>(
      'mutation SeedRequest($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { id version } }',
      {
        input: {
          buildingId: idOf(request.buildingId),
          dwellingId: request.dwellingId ? idOf(request.dwellingId) : null,
          category: request.category,
          channel: request.channel,
          description: request.description,
          openedAt: request.openedAt.toISOString(),
        },
      },
    );
    let version = openServiceRequest.version;
    for (const status of statusSteps(request.status, request.acknowledgedAt !== null)) {
      const { updateServiceRequest } = await graph.request<{ updateServiceRequest: { version: number } }>(
        'mutation SeedRequestStatus($id: ID!, $status: RequestStatus!, $expectedVersion: Int!) { updateServiceRequest(id: $id, status: $status, expectedVersion: $expectedVersion) { version } }',
        { id: openServiceRequest.id, status, expectedVersion: version },
      );
      version = updateServiceRequest.version;
    }
  });

  summary.satisfactionSurveys = await eachInParallel(plannedSurveys(plan, now), async (survey) => {
    await graph.request(
      'mutation SeedSurvey($input: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $input) { year } }',
      {
        input: { landlordId: idOf(survey.landlordId), districtId: idOf(survey.districtId), year: survey.year, scores: survey.themes },
      },
    );
  });

  const { partners, agreements, ofDistrict } = plannedPartners(plan, now);
  summary.partners = await eachInParallel(partners, async (partner) => {
    const { registerPartner } = await graph.request<{ registerPartner: { id: string } }>(
      'mutation SeedPartner($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }',
      {
        input: {
          name: partner.name,
          kind: partner.kind,
          siret: partner.siret,
          cnlrqLabel: partner.cnlrqLabel,
          services: partner.services,
          districtIds: partner.districtIds.map(idOf),
        },
      },
    );
    remember(partner._id, registerPartner.id);
  });
  summary.agreements = await eachInParallel(agreements, async (agreement) => {
    await graph.request('mutation SeedAgreement($input: SignAgreementInput!) { signAgreement(input: $input) { id } }', {
      input: {
        partnerId: idOf(agreement.partnerId),
        districtId: idOf(agreement.districtId),
        landlordIds: agreement.landlordIds.map(idOf),
        kind: agreement.kind,
        services: agreement.services,
        validFrom: agreement.validFrom,
        validTo: agreement.validTo,
      },
    });
  });

  summary.actions = await eachInParallel([...plannedActions(plan, ofDistrict, counts.actions, now)], async (action) => {
    const [proposer, ...joiners] = action.costShares;
    type Answer = { id: string; version: number };
    const { proposeAction } = await graph.request<{ proposeAction: Answer }>(
      'mutation SeedAction($input: ProposeActionInput!) { proposeAction(input: $input) { id version } }',
      {
        input: {
          districtId: idOf(action.districtId),
          title: action.title,
          description: action.description,
          kind: action.kind,
          tfpbAxis: action.tfpbAxis,
          buildingIds: action.buildingIds.map(idOf),
          partnerIds: action.partnerIds.map(idOf),
          landlordId: idOf(action.proposedByLandlordId),
          costShareCents: proposer?.amountCents ?? null,
        },
      },
    );
    const { id } = proposeAction;
    let { version } = proposeAction;
    const step = async (mutation: string, variables: Record<string, unknown>) => {
      const answer = await graph.request<Record<string, Answer>>(mutation, { id, expectedVersion: version, ...variables });
      ({ version } = Object.values(answer)[0]!);
    };
    // Co-organisers join by invitation: invited by the proposer, then accepting with their cost share.
    for (const share of joiners) {
      await step(
        'mutation SeedInvite($id: ID!, $expectedVersion: Int!, $landlordId: ID!) { inviteToAction(id: $id, expectedVersion: $expectedVersion, landlordId: $landlordId) { id version } }',
        { landlordId: idOf(share.landlordId) },
      );
      await step(
        'mutation SeedAccept($id: ID!, $expectedVersion: Int!, $landlordId: ID, $costShareCents: Int) { acceptActionInvitation(id: $id, expectedVersion: $expectedVersion, landlordId: $landlordId, costShareCents: $costShareCents) { id version } }',
        { landlordId: idOf(share.landlordId), costShareCents: share.amountCents },
      );
    }
    if (action.startsAt && action.endsAt && action.status !== 'PROPOSED') {
      await step(
        'mutation SeedSchedule($id: ID!, $expectedVersion: Int!, $startsAt: DateTime!, $endsAt: DateTime!) { scheduleAction(id: $id, expectedVersion: $expectedVersion, startsAt: $startsAt, endsAt: $endsAt) { id version } }',
        { startsAt: action.startsAt.toISOString(), endsAt: action.endsAt.toISOString() },
      );
    }
    if (action.status === 'DONE' && action.outcome) {
      await step(
        'mutation SeedComplete($id: ID!, $expectedVersion: Int!, $outcome: ActionOutcomeInput!) { completeAction(id: $id, expectedVersion: $expectedVersion, outcome: $outcome) { id version } }',
        {
          outcome: {
            participants: action.outcome.participants,
            notes: action.outcome.notes,
            completedAt: action.outcome.completedAt.toISOString(),
          },
        },
      );
    }
    if (action.status === 'CANCELLED') {
      await step(
        'mutation SeedCancel($id: ID!, $expectedVersion: Int!, $reason: String!) { cancelAction(id: $id, expectedVersion: $expectedVersion, reason: $reason) { id version } }',
        { reason: action.cancellationReason ?? 'Cancelled.' },
      );
    }
  });

  // The demo's canicule campaign, opened for every landlord of its district as its coordinator would: the call lists
  // are built by the graph from the households just registered.
  await graph.request('mutation SeedCampaign($input: OpenCampaignInput!) { openCampaign(input: $input) { id } }', {
    input: { districtId: idOf(DEMO_DISTRICT._id), ...demoCampaignOpening(now) },
  });
  summary.campaigns = 1;
  return summary;
}

/** The status changes that lead from OPEN to `status`, as the request lifecycle allows them. */
function statusSteps(status: string, acknowledged: boolean): string[] {
  switch (status) {
    case 'OPEN':
      return [];
    case 'ACKNOWLEDGED':
      return ['ACKNOWLEDGED'];
    case 'IN_PROGRESS':
      return ['ACKNOWLEDGED', 'IN_PROGRESS'];
    case 'RESOLVED':
      return ['ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED'];
    default:
      return acknowledged ? ['ACKNOWLEDGED', status] : [status];
  }
}

/** Runs `task` on every item, a few at a time; resolves to how many there were. */
async function eachInParallel<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CALLS, items.length) }, worker));
  return items.length;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return [...groups.values()];
}
