import { type AccessWorld, seedAccessWorld, sendTo } from '../support/accessFixtures';
import { type TestGraph, errorCodes, startTestGraph } from '../support/testGraph';

/**
 * Membership of a district's cooperation is where a landlord has buildings. Were its staff free to register a
 * building anywhere, staff of a landlord of Bellefontaine would enter Le Mirail with one empty building, then read
 * everything Le Mirail shares and, by joining an action, its organisers' cost shares. So the first building of a
 * landlord in a district is an admin's to register.
 */
describe('access: entering a district’s cooperation', () => {
  let graph: TestGraph;
  let world: AccessWorld;

  beforeAll(async () => {
    graph = await startTestGraph();
    world = await seedAccessWorld(graph);
  });

  afterAll(async () => {
    await graph.close();
  });

  it('staff of a Bellefontaine landlord cannot make their landlord a member of Le Mirail by registering a building there', async () => {
    const outsider = world.callers.OUTSIDER_STAFF;
    const registered = await sendTo(
      graph,
      'gateway',
      'mutation ($input: RegisterBuildingInput!) { registerBuilding(input: $input) { id } }',
      outsider,
      {
        input: {
          landlordId: world.landlords.outsider,
          districtId: world.mirail,
          address: { streetName: 'du Passe-Muraille', communeCode: '31555' },
        },
      },
    );
    // To them Le Mirail is a district they do not know of: as one that does not exist.
    expect(errorCodes(registered)).toEqual(['NOT_FOUND']);
    const district = await sendTo(graph, 'gateway', 'query ($id: ID!) { district(id: $id) { name } }', outsider, { id: world.mirail });
    expect(errorCodes(district)).toEqual([]);
    expect(district.data).toEqual({ district: null });
  });
});
