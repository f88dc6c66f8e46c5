import { type TestGraph, TEST_ADMIN, dataOf } from './testGraph';

/** Housing records for any suite, created through housing's own mutations as an admin. */

export async function registerLandlord(graph: TestGraph, name: string): Promise<string> {
  const response = await graph.request<{ registerLandlord: { id: string } }>(
    'mutation ($input: RegisterLandlordInput!) { registerLandlord(input: $input) { id } }',
    { caller: TEST_ADMIN, variables: { input: { name, family: 'ESH' } } },
  );
  return dataOf(response).registerLandlord.id;
}

export async function registerDistrict(graph: TestGraph, name: string): Promise<string> {
  const response = await graph.request<{ registerDistrict: { id: string } }>(
    'mutation ($input: RegisterDistrictInput!) { registerDistrict(input: $input) { id } }',
    { caller: TEST_ADMIN, variables: { input: { name, communeCodes: ['31555'] } } },
  );
  return dataOf(response).registerDistrict.id;
}

export async function registerBuilding(graph: TestGraph, landlordId: string, districtId: string, streetName: string): Promise<string> {
  const response = await graph.request<{ registerBuilding: { id: string } }>(
    'mutation ($input: RegisterBuildingInput!) { registerBuilding(input: $input) { id } }',
    {
      caller: TEST_ADMIN,
      variables: { input: { landlordId, districtId, address: { number: '1', streetType: 'allée', streetName, communeCode: '31555' } } },
    },
  );
  return dataOf(response).registerBuilding.id;
}

/** A few dwellings in a building, varied enough to fill every stock breakdown. */
export async function registerDwellings(graph: TestGraph, buildingId: string, references: readonly string[]): Promise<void> {
  const financings = ['PLAI', 'PLUS', 'PLS'];
  const energyClasses = ['C', 'D', 'E'];
  const dwellings = references.map((reference, index) => ({
    reference,
    rooms: 1 + (index % 5),
    financing: financings[index % financings.length],
    energyClass: energyClasses[index % energyClasses.length],
  }));
  dataOf(
    await graph.request(
      'mutation ($buildingId: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $buildingId, dwellings: $dwellings) { id } }',
      { caller: TEST_ADMIN, variables: { buildingId, dwellings } },
    ),
  );
}
