import type { Caller } from '../../lib/auth/caller';
import { registerBuilding, registerDistrict, registerLandlord } from './housingFixtures';
import { registerPartner } from './partnersFixtures';
import { type GraphQLResponse, type TestGraph, dataOf } from './testGraph';

/**
 * A cooperation for the actions tests, created through the graph's own mutations as an admin: Le Mirail with three
 * landlords (Coop'IB), Bellefontaine next door with a fourth one and a building of Groupe des Chalets, a régie de
 * quartier serving Le Mirail and an association serving Bellefontaine only.
 */
export interface Cooperation {
  mirail: string;
  bellefontaine: string;
  chalets: string;
  languedocienne: string;
  metropoleHabitat: string;
  /** A landlord of Bellefontaine only. */
  neighbour: string;
  buildings: { chaletsMirail: string; languedocienneMirail: string; metropoleMirail: string; chaletsBellefontaine: string };
  regie: string;
  association: string;
}

export async function createCooperation(graph: TestGraph): Promise<Cooperation> {
  const [mirail, bellefontaine] = [await registerDistrict(graph, 'Le Mirail'), await registerDistrict(graph, 'Bellefontaine')];
  const chalets = await registerLandlord(graph, 'Groupe des Chalets');
  const languedocienne = await registerLandlord(graph, 'Patrimoine SA Languedocienne');
  const metropoleHabitat = await registerLandlord(graph, 'Toulouse Métropole Habitat');
  const neighbour = await registerLandlord(graph, 'Habitat Voisin');
  const buildings = {
    chaletsMirail: await registerBuilding(graph, chalets, mirail, 'de Bellefontaine'),
    languedocienneMirail: await registerBuilding(graph, languedocienne, mirail, 'Tintoret'),
    metropoleMirail: await registerBuilding(graph, metropoleHabitat, mirail, 'Van Dyck'),
    chaletsBellefontaine: await registerBuilding(graph, chalets, bellefontaine, 'Kiev'),
  };
  await registerBuilding(graph, neighbour, bellefontaine, 'Vermeer');
  const regie = await registerPartner(graph, {
    name: 'Régie de quartier Reynerie Services',
    kind: 'NEIGHBOURHOOD_BOARD',
    cnlrqLabel: true,
    services: ['CLEANING', 'BULKY_WASTE_COLLECTION'],
    districtIds: [mirail],
  });
  const association = await registerPartner(graph, {
    name: 'Les Jardins de Bellefontaine',
    kind: 'ASSOCIATION',
    services: ['GREEN_SPACES'],
    districtIds: [bellefontaine],
  });
  return { mirail, bellefontaine, chalets, languedocienne, metropoleHabitat, neighbour, buildings, regie, association };
}

export const staffOf = (landlordId: string): Caller => ({ role: 'LANDLORD_STAFF', sub: `staff-${landlordId}`, landlordId });
export const coordinatorOf = (...districtIds: string[]): Caller => ({
  role: 'COORDINATOR',
  sub: `coordinator-${districtIds.join('-')}`,
  districtIds,
});
export const partnerStaff = (partnerId: string): Caller => ({ role: 'PARTNER', sub: `partner-${partnerId}`, partnerId });

/** The fields the tests read back, private ones (cost shares) and other subgraphs' ones included. */
export const ACTION_FIELDS = `
  id title status version startsAt endsAt tfpbAxis cancellationReason
  district { id name }
  buildings { id }
  proposedBy { id name }
  leadOrganiser { id }
  organisers { id }
  invitations { landlord { id } status invitedAt answeredAt }
  partners { id name }
  costShares { landlord { id } amountCents }
  outcome { participants notes completedAt }
`;

export interface ActionView {
  id: string;
  title: string;
  status: string;
  version: number;
  startsAt: string | null;
  endsAt: string | null;
  tfpbAxis: string | null;
  cancellationReason: string | null;
  district: { id: string; name: string };
  buildings: { id: string }[];
  proposedBy: { id: string; name: string };
  leadOrganiser: { id: string };
  organisers: { id: string }[];
  invitations: { landlord: { id: string }; status: 'PENDING' | 'DECLINED'; invitedAt: string; answeredAt: string | null }[];
  partners: { id: string; name: string }[];
  /** Null (with FORBIDDEN) for those who may not read it. */
  costShares: { landlord: { id: string }; amountCents: number }[] | null;
  outcome: { participants: number; notes: string | null; completedAt: string } | null;
}

const MUTATIONS = {
  proposeAction: `mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { ${ACTION_FIELDS} } }`,
  inviteToAction: `mutation ($id: ID!, $landlordId: ID!, $expectedVersion: Int!) {
    inviteToAction(id: $id, landlordId: $landlordId, expectedVersion: $expectedVersion) { ${ACTION_FIELDS} } }`,
  acceptActionInvitation: `mutation ($id: ID!, $costShareCents: Int, $expectedVersion: Int!, $landlordId: ID) {
    acceptActionInvitation(id: $id, costShareCents: $costShareCents, expectedVersion: $expectedVersion, landlordId: $landlordId) { ${ACTION_FIELDS} } }`,
  declineActionInvitation: `mutation ($id: ID!, $expectedVersion: Int!, $landlordId: ID) {
    declineActionInvitation(id: $id, expectedVersion: $expectedVersion, landlordId: $landlordId) { ${ACTION_FIELDS} } }`,
  leaveAction: `mutation ($id: ID!, $expectedVersion: Int!, $landlordId: ID) {
    leaveAction(id: $id, expectedVersion: $expectedVersion, landlordId: $landlordId) { ${ACTION_FIELDS} } }`,
  changeCostShare: `mutation ($id: ID!, $costShareCents: Int!, $expectedVersion: Int!, $landlordId: ID) {
    changeCostShare(id: $id, costShareCents: $costShareCents, expectedVersion: $expectedVersion, landlordId: $landlordId) { ${ACTION_FIELDS} } }`,
  attachPartnerToAction: `mutation ($id: ID!, $partnerId: ID!, $expectedVersion: Int!) {
    attachPartnerToAction(id: $id, partnerId: $partnerId, expectedVersion: $expectedVersion) { ${ACTION_FIELDS} } }`,
  detachPartnerFromAction: `mutation ($id: ID!, $partnerId: ID!, $expectedVersion: Int!) {
    detachPartnerFromAction(id: $id, partnerId: $partnerId, expectedVersion: $expectedVersion) { ${ACTION_FIELDS} } }`,
  /** Deprecated: accepts the caller's pending invitation. */
  joinAction: `mutation ($id: ID!, $costShareCents: Int, $expectedVersion: Int!, $landlordId: ID) {
    joinAction(id: $id, costShareCents: $costShareCents, expectedVersion: $expectedVersion, landlordId: $landlordId) { ${ACTION_FIELDS} } }`,
  scheduleAction: `mutation ($id: ID!, $startsAt: DateTime!, $endsAt: DateTime!, $expectedVersion: Int!) {
    scheduleAction(id: $id, startsAt: $startsAt, endsAt: $endsAt, expectedVersion: $expectedVersion) { ${ACTION_FIELDS} } }`,
  completeAction: `mutation ($id: ID!, $outcome: ActionOutcomeInput!, $expectedVersion: Int!) {
    completeAction(id: $id, outcome: $outcome, expectedVersion: $expectedVersion) { ${ACTION_FIELDS} } }`,
  cancelAction: `mutation ($id: ID!, $reason: String!, $expectedVersion: Int!) {
    cancelAction(id: $id, reason: $reason, expectedVersion: $expectedVersion) { ${ACTION_FIELDS} } }`,
} as const;

export type ActionMutation = keyof typeof MUTATIONS;

/** Sends one of the action mutations as `caller`; the response is returned as is, errors included. */
export async function sendAction(
  graph: TestGraph,
  mutation: ActionMutation,
  caller: Caller,
  variables: Record<string, unknown>,
): Promise<GraphQLResponse<Record<ActionMutation, ActionView>>> {
  return graph.request<Record<ActionMutation, ActionView>>(MUTATIONS[mutation], { caller, variables });
}

/** The action a mutation that must succeed returned. */
export async function actionAfter(
  graph: TestGraph,
  mutation: ActionMutation,
  caller: Caller,
  variables: Record<string, unknown>,
): Promise<ActionView> {
  return dataOf(await sendAction(graph, mutation, caller, variables))[mutation];
}

export async function readAction(graph: TestGraph, caller: Caller, id: string): Promise<GraphQLResponse<{ action: ActionView | null }>> {
  return graph.request<{ action: ActionView | null }>(`query ($id: ID!) { action(id: $id) { ${ACTION_FIELDS} } }`, {
    caller,
    variables: { id },
  });
}

/**
 * `action` once `landlordId` has joined it as a co-organiser with its cost share: invited by `inviter` (the lead
 * organiser's staff unless said otherwise), then accepting as its own staff.
 */
export async function coOrganised(
  graph: TestGraph,
  action: Pick<ActionView, 'id' | 'version' | 'leadOrganiser'>,
  landlordId: string,
  costShareCents: number,
  inviter: Caller = staffOf(action.leadOrganiser.id),
): Promise<ActionView> {
  const invited = await actionAfter(graph, 'inviteToAction', inviter, { id: action.id, landlordId, expectedVersion: action.version });
  return actionAfter(graph, 'acceptActionInvitation', staffOf(landlordId), {
    id: action.id,
    costShareCents,
    expectedVersion: invited.version,
  });
}

/** A dated, scheduled action proposed by `landlordId`'s staff, for tests that start further along its life. */
export async function scheduledAction(
  graph: TestGraph,
  landlordId: string,
  input: Record<string, unknown>,
  period = { startsAt: '2025-06-14T09:00:00Z', endsAt: '2025-06-14T12:00:00Z' },
): Promise<ActionView> {
  const proposed = await actionAfter(graph, 'proposeAction', staffOf(landlordId), {
    input: { kind: 'CLEAN_UP', title: 'Action de quartier', ...input },
  });
  return actionAfter(graph, 'scheduleAction', staffOf(landlordId), { id: proposed.id, expectedVersion: proposed.version, ...period });
}
