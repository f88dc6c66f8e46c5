import type { Caller } from '../../lib/auth/caller';
import { type SharedDistrict, registerSharedDistrict } from '../support/tenancyFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

const HOUSEHOLD_FIELDS = 'id since size contactName phone vulnerable dwelling { id }';

interface HouseholdResult {
  id: string;
  since: string;
  size: number;
  contactName: string | null;
  phone: string | null;
  vulnerable: boolean;
  dwelling: { id: string };
}

describe('households: private to their landlord, always', () => {
  let graph: TestGraph;
  let district: SharedDistrict;
  let first: HouseholdResult;
  let second: HouseholdResult;

  const register = (caller: Caller, input: Record<string, unknown>) =>
    graph.request<{ registerHousehold: HouseholdResult }>(
      `mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { ${HOUSEHOLD_FIELDS} } }`,
      { caller, variables: { input: { dwellingId: district.owner.dwellingId, since: '2024-09-01', size: 2, ...input } } },
    );
  const householdOfDwelling = (caller: Caller, id: string) =>
    graph.request<{ dwelling: { id: string; household: HouseholdResult | null } }>(
      `query ($id: ID!) { dwelling(id: $id) { id household { ${HOUSEHOLD_FIELDS} } } }`,
      { caller, variables: { id } },
    );
  const household = (caller: Caller, id: string) =>
    graph.request<{ household: HouseholdResult | null }>(`query ($id: ID!) { household(id: $id) { ${HOUSEHOLD_FIELDS} } }`, {
      caller,
      variables: { id },
    });
  const countHouseholds = () => graph.db.collection('households').countDocuments();

  beforeAll(async () => {
    graph = await startTestGraph();
    district = await registerSharedDistrict(graph, 'Izards');
  });

  afterAll(async () => {
    await graph.close();
  });

  it('registers the household living in a dwelling', async () => {
    first = dataOf(
      await register(district.owner.staff, { size: 1, contactName: 'Mme Odette Garcia', phone: '05 61 00 00 00', vulnerable: true }),
    ).registerHousehold;
    expect(first).toMatchObject({
      since: '2024-09-01',
      size: 1,
      contactName: 'Mme Odette Garcia',
      phone: '05 61 00 00 00',
      vulnerable: true,
      dwelling: { id: district.owner.dwellingId },
    });
    expect(dataOf(await householdOfDwelling(district.owner.staff, district.owner.dwellingId)).dwelling.household).toEqual(first);
  });

  it('replaces the previous household, which stays readable as history', async () => {
    second = dataOf(await register(district.owner.staff, { since: '2025-06-15', size: 4 })).registerHousehold;
    expect(second).toMatchObject({ since: '2025-06-15', size: 4, contactName: null, phone: null, vulnerable: false });
    expect(dataOf(await householdOfDwelling(TEST_ADMIN, district.owner.dwellingId)).dwelling.household?.id).toBe(second.id);
    expect(dataOf(await household(district.owner.staff, first.id)).household).toEqual(first);

    const stored = await graph.db
      .collection<{ _id: string; current: boolean; movedOutAt: Date | null }>('households')
      .find({ dwellingId: district.owner.dwellingId })
      .toArray();
    expect(stored.filter((entry) => entry.current).map((entry) => entry._id)).toEqual([second.id]);
    expect(stored.find((entry) => entry._id === first.id)?.movedOutAt).toBeInstanceOf(Date);
  });

  it('refuses a household that moved in before the one it would replace', async () => {
    const before = await countHouseholds();
    const response = await register(district.owner.staff, { since: '2025-01-01' });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toBe('since must not be before 2025-06-15, when the household it replaces moved in.');
    expect(await countHouseholds()).toBe(before);
  });

  describe('refuses bad input, writing nothing', () => {
    const tomorrowAndOne = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    it.each([
      ['a size of 0', () => ({ size: 0 }), 'BAD_USER_INPUT', 'size'],
      ['a size above 20', () => ({ size: 21 }), 'BAD_USER_INPUT', 'size'],
      ['a move-in date in the future', () => ({ since: tomorrowAndOne() }), 'BAD_USER_INPUT', 'since'],
      ['a phone number that is none', () => ({ phone: 'call me maybe' }), 'BAD_USER_INPUT', 'phone'],
      ['an unknown dwelling', () => ({ dwellingId: 'no-such-dwelling' }), 'NOT_FOUND', undefined],
    ])('%s', async (_, input, code, field) => {
      const before = await countHouseholds();
      const response = await register(TEST_ADMIN, input());
      expect(errorCodes(response)).toEqual([code]);
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
      expect(await countHouseholds()).toBe(before);
    });
  });

  describe('another landlord of the same district', () => {
    it("cannot read the dwelling's household, nor whether it has one: FORBIDDEN", async () => {
      const occupied = await householdOfDwelling(district.neighbour.staff, district.owner.dwellingId);
      expect(occupied.data?.dwelling).toEqual({ id: district.owner.dwellingId, household: null });
      expect(errorCodes(occupied)).toEqual(['FORBIDDEN']);

      const empty = await householdOfDwelling(district.owner.staff, district.neighbour.dwellingId);
      expect(empty.data?.dwelling).toEqual({ id: district.neighbour.dwellingId, household: null });
      expect(errorCodes(empty)).toEqual(['FORBIDDEN']);
      expect(dataOf(await householdOfDwelling(district.neighbour.staff, district.neighbour.dwellingId)).dwelling.household).toBeNull();
    });

    it('cannot read a household by id, nor tell it exists, through the gateway or the tenancy subgraph', async () => {
      const byId = await household(district.neighbour.staff, second.id);
      expect(byId.data?.household).toBeNull();
      expect(errorCodes(byId)).toEqual([]);

      const direct = await graph.request<{ _entities: unknown[] }>(
        'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Household { id phone } } }',
        {
          caller: district.neighbour.staff,
          url: graph.subgraphUrls.tenancy,
          variables: { representations: [{ __typename: 'Household', id: second.id }] },
        },
      );
      expect(direct.data?._entities).toEqual([null]);
      expect(errorCodes(direct)).toEqual([]);
    });

    it('cannot register a household in the dwelling', async () => {
      const before = await countHouseholds();
      expect(errorCodes(await register(district.neighbour.staff, { since: '2026-01-01' }))).toEqual(['FORBIDDEN']);
      expect(await countHouseholds()).toBe(before);
    });
  });

  it("keeps households from the district's coordinator too", async () => {
    const coordinator: Caller = { role: 'COORDINATOR', sub: 'coordinator-izards', districtIds: [district.districtId] };
    expect(errorCodes(await householdOfDwelling(coordinator, district.owner.dwellingId))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await register(coordinator, { since: '2026-01-01' }))).toEqual(['FORBIDDEN']);
  });
});
