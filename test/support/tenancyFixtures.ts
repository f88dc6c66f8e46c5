import type { Caller } from '../../lib/auth/caller';
import { registerBuilding, registerDistrict, registerLandlord } from './housingFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf } from './testGraph';

/** A district shared by two landlords, each with a building and a dwelling, for the tenancy tests. */
export interface SharedDistrict {
  districtId: string;
  /** The landlord whose private data the tests read and write. */
  owner: { landlordId: string; buildingId: string; dwellingId: string; staff: Caller };
  /** Its neighbour in the same district: it shares the district's data, not the owner's private data. */
  neighbour: { landlordId: string; buildingId: string; dwellingId: string; staff: Caller };
}

export function staffOf(landlordId: string): Caller {
  return { role: 'LANDLORD_STAFF', sub: `staff-of-${landlordId}`, landlordId };
}

export async function registerDwelling(graph: TestGraph, buildingId: string, reference: string): Promise<string> {
  const response = await graph.request<{ registerDwellings: { id: string }[] }>(
    'mutation ($buildingId: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $buildingId, dwellings: $dwellings) { id } }',
    { caller: TEST_ADMIN, variables: { buildingId, dwellings: [{ reference, rooms: 3 }] } },
  );
  return dataOf(response).registerDwellings[0]!.id;
}

export async function registerSharedDistrict(graph: TestGraph, name: string): Promise<SharedDistrict> {
  const districtId = await registerDistrict(graph, name);
  const member = async (landlordName: string, streetName: string) => {
    const landlordId = await registerLandlord(graph, landlordName);
    const buildingId = await registerBuilding(graph, landlordId, districtId, streetName);
    const dwellingId = await registerDwelling(graph, buildingId, `${streetName}-1`);
    return { landlordId, buildingId, dwellingId, staff: staffOf(landlordId) };
  };
  return {
    districtId,
    owner: await member(`Groupe des Chalets (${name})`, `de Bellefontaine ${name}`),
    neighbour: await member(`Patrimoine SA Languedocienne (${name})`, `du Tintoret ${name}`),
  };
}

export const REQUEST_FIELDS =
  'id status category channel openedAt acknowledgedAt closedAt description version building { id } dwelling { id }';

export interface ServiceRequestResult {
  id: string;
  status: string;
  category: string;
  channel: string;
  openedAt: string;
  acknowledgedAt: string | null;
  closedAt: string | null;
  description: string | null;
  version: number;
  building: { id: string };
  dwelling: { id: string } | null;
}

export function openServiceRequest(
  graph: TestGraph,
  caller: Caller,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ openServiceRequest: ServiceRequestResult }>> {
  return graph.request(`mutation ($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { ${REQUEST_FIELDS} } }`, {
    caller,
    variables: { input: { category: 'OTHER', channel: 'PHONE', ...input } },
  });
}

export function updateServiceRequest(
  graph: TestGraph,
  caller: Caller,
  id: string,
  status: string,
  expectedVersion: number,
): Promise<GraphQLResponse<{ updateServiceRequest: ServiceRequestResult }>> {
  return graph.request(
    `mutation ($id: ID!, $status: RequestStatus!, $expectedVersion: Int!) {
      updateServiceRequest(id: $id, status: $status, expectedVersion: $expectedVersion) { ${REQUEST_FIELDS} }
    }`,
    { caller, variables: { id, status, expectedVersion } },
  );
}

/** Moves a request through `statuses` in turn, each time from the version the previous step returned. */
export async function moveThrough(
  graph: TestGraph,
  caller: Caller,
  request: ServiceRequestResult,
  statuses: readonly string[],
): Promise<ServiceRequestResult> {
  let current = request;
  for (const status of statuses) {
    current = dataOf(await updateServiceRequest(graph, caller, current.id, status, current.version)).updateServiceRequest;
  }
  return current;
}

/** The stored request, read past the graph, to show a refused change left it as it was. */
export function storedRequest(graph: TestGraph, id: string) {
  return graph.db.collection<{ _id: string }>('serviceRequests').findOne({ _id: id });
}
