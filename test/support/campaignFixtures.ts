import type { Caller } from '../../lib/auth/caller';
import { registerPartner } from './partnersFixtures';
import { registerDwelling } from './tenancyFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf } from './testGraph';

/** Wellbeing-call campaigns for any suite, through the graph's own mutations. */

export const DAY_MS = 86_400_000;

export function dayOffset(days: number, from = new Date()): string {
  return new Date(from.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** A household registered in a new dwelling of `buildingId`, with the given profile; returns its id. */
export async function registerHouseholdIn(
  graph: TestGraph,
  buildingId: string,
  reference: string,
  profile: Record<string, unknown>,
): Promise<string> {
  const dwellingId = await registerDwelling(graph, buildingId, reference);
  const response = await graph.request<{ registerHousehold: { id: string } }>(
    'mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }',
    { caller: TEST_ADMIN, variables: { input: { dwellingId, since: '2020-01-01', size: 1, ...profile } } },
  );
  return dataOf(response).registerHousehold.id;
}

export const CAMPAIGN_FIELDS =
  'id reason title startsOn endsOn status version callDataPurgeOn district { id } landlords { id } openedByLandlord { id }';

export interface CampaignResult {
  id: string;
  reason: string;
  title: string;
  startsOn: string;
  endsOn: string;
  status: string;
  version: number;
  callDataPurgeOn: string;
  district: { id: string };
  landlords: { id: string }[];
  openedByLandlord: { id: string } | null;
}

export function openCampaign(
  graph: TestGraph,
  caller: Caller,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ openCampaign: CampaignResult }>> {
  return graph.request(`mutation ($input: OpenCampaignInput!) { openCampaign(input: $input) { ${CAMPAIGN_FIELDS} } }`, {
    caller,
    variables: { input: { reason: 'CANICULE', startsOn: dayOffset(-5), endsOn: dayOffset(10), ...input } },
  });
}

export const CALL_FIELDS =
  'id status version nextAttemptOn assignedTo heldByMe claimExpiresAt listedFor needs referralConsent attempts { outcome calledBy attemptedAt } household { id }';

export interface CallResult {
  id: string;
  status: string;
  version: number;
  nextAttemptOn: string | null;
  assignedTo: string | null;
  heldByMe: boolean;
  claimExpiresAt: string | null;
  listedFor: string[];
  needs: string[];
  referralConsent: string;
  attempts: { outcome: string; calledBy: string; attemptedAt: string }[];
  household: { id: string } | null;
}

export function claimNextCall(
  graph: TestGraph,
  caller: Caller,
  campaignId: string,
): Promise<GraphQLResponse<{ claimNextCall: CallResult | null }>> {
  return graph.request(`mutation ($id: ID!) { claimNextCall(campaignId: $id) { ${CALL_FIELDS} } }`, {
    caller,
    variables: { id: campaignId },
  });
}

export function recordCallAttempt(
  graph: TestGraph,
  caller: Caller,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ recordCallAttempt: CallResult }>> {
  return graph.request(`mutation ($input: RecordCallAttemptInput!) { recordCallAttempt(input: $input) { ${CALL_FIELDS} } }`, {
    caller,
    variables: { input },
  });
}

export function callsOf(
  graph: TestGraph,
  caller: Caller,
  campaignId: string,
  landlordId?: string,
): Promise<GraphQLResponse<{ campaign: { calls: { totalCount: number; nodes: CallResult[] } | null } | null }>> {
  return graph.request(
    `query ($id: ID!, $landlordId: ID) { campaign(id: $id) { calls(landlordId: $landlordId, first: 100) { totalCount nodes { ${CALL_FIELDS} } } } }`,
    { caller, variables: { id: campaignId, landlordId } },
  );
}

/** A partner of `districtId` offering `services`. */
export function registerServicePartner(graph: TestGraph, name: string, districtId: string, services: string[]): Promise<string> {
  return registerPartner(graph, { name, kind: 'REGIE_DE_QUARTIER', services, districtIds: [districtId] });
}
