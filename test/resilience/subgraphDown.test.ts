import { registerBuilding, registerDistrict, registerDwellings, registerLandlord } from '../support/housingFixtures';
import { TEST_ADMIN, type TestGraph, dataOf, startTestGraph } from '../support/testGraph';

/** One subgraph dies mid-run: the answer keeps every field the others serve, and says which part is missing. */
describe('a subgraph that goes down', () => {
  let graph: TestGraph;
  let districtId: string;
  let dwellingId: string;
  let actionId: string;

  beforeAll(async () => {
    graph = await startTestGraph();
    const landlordId = await registerLandlord(graph, 'Toulouse Métropole Habitat');
    districtId = await registerDistrict(graph, 'Grand Mirail');
    const buildingId = await registerBuilding(graph, landlordId, districtId, 'de Bellefontaine');
    await registerDwellings(graph, buildingId, ['D-1']);
    const dwellings = dataOf(
      await graph.request<{ building: { dwellings: { nodes: { id: string }[] } } }>(
        'query ($id: ID!) { building(id: $id) { dwellings { nodes { id } } } }',
        { caller: TEST_ADMIN, variables: { id: buildingId } },
      ),
    );
    dwellingId = dwellings.building.dwellings.nodes[0]!.id;
    const proposal = await graph.request<{ proposeAction: { id: string } }>(
      'mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { id } }',
      { caller: TEST_ADMIN, variables: { input: { districtId, landlordId, title: 'Journée encombrants', kind: 'BULKY_WASTE_DAY' } } },
    );
    actionId = dataOf(proposal).proposeAction.id;
  });

  afterAll(() => graph.close());

  const query = `query ($districtId: ID!, $dwellingId: ID!, $actionId: ID!) {
    district(id: $districtId) { name stock { dwellings } }
    dwelling(id: $dwellingId) { rooms household { size } }
    action(id: $actionId) { title }
  }`;

  it('answers across all four subgraphs while they are up', async () => {
    const response = await graph.request(query, { caller: TEST_ADMIN, variables: { districtId, dwellingId, actionId } });
    expect(dataOf(response)).toMatchObject({ district: { name: 'Grand Mirail' }, action: { title: 'Journée encombrants' } });
  });

  it('keeps the other subgraphs fields, with an error on each missing path, when two subgraphs are stopped', async () => {
    await graph.stopSubgraph('actions');
    await graph.stopSubgraph('tenancy');
    const response = await graph.request(query, { caller: TEST_ADMIN, variables: { districtId, dwellingId, actionId } });

    expect(response.status).toBe(200);
    expect(response.data).toEqual({
      district: { name: 'Grand Mirail', stock: { dwellings: 1 } },
      dwelling: { rooms: 1, household: null },
      action: null,
    });
    const failures = (response.errors ?? []).map((error) => ({ path: error.path, code: error.extensions?.code }));
    expect(failures).toEqual(
      expect.arrayContaining([
        { path: ['action'], code: 'SUBGRAPH_UNAVAILABLE' },
        { path: ['dwelling', 'household'], code: 'SUBGRAPH_UNAVAILABLE' },
      ]),
    );
    expect(JSON.stringify(response.errors)).not.toMatch(/ECONNREFUSED|stack/i);
  });

  it("keeps housing's part of a district when the subgraphs that add fields to it are down", async () => {
    const response = await graph.request(
      `query ($districtId: ID!) { district(id: $districtId) { name requestStats { total } satisfaction { year } actions { title } } }`,
      { caller: TEST_ADMIN, variables: { districtId } },
    );

    expect(response.data).toEqual({ district: { name: 'Grand Mirail', requestStats: null, satisfaction: null, actions: null } });
    const failures = (response.errors ?? []).map((error) => ({ path: error.path, code: error.extensions?.code }));
    expect(failures).toEqual(
      expect.arrayContaining([
        { path: ['district', 'requestStats'], code: 'SUBGRAPH_UNAVAILABLE' },
        { path: ['district', 'satisfaction'], code: 'SUBGRAPH_UNAVAILABLE' },
        { path: ['district', 'actions'], code: 'SUBGRAPH_UNAVAILABLE' },
      ]),
    );
  });
});
