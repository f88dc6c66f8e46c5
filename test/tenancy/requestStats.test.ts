import type { Caller } from '../../lib/auth/caller';
import { type SharedDistrict, moveThrough, openServiceRequest, registerSharedDistrict, staffOf } from '../support/tenancyFixtures';
import { registerBuilding, registerDistrict, registerLandlord } from '../support/housingFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

const HOUR = 3_600_000;
const STATS =
  'disclosure total open byCategory { category count disclosure } byMonth { month count disclosure } acknowledgedWithin48hRate medianResolutionHours';

interface Stats {
  disclosure: string;
  total: number;
  open: number;
  byCategory: { category: string; count: number }[];
  byMonth: { month: string; count: number }[];
  acknowledgedWithin48hRate: number | null;
  medianResolutionHours: number | null;
}

/**
 * A crafted set of requests, opened in the past and handled now, so that the service levels are known:
 * - owner's building: resolved after 10 h, 30 h and 100 h (median 30 h); acknowledged within 48 h: the 10 h, the
 *   30 h and one rejected after 5 h; late: the 100 h one and one open for 72 h; one opened 1 h ago is not yet due
 *   (3 of 5 in time);
 * - neighbour's building: one resolved after 50 h (district median of 10, 30, 50, 100: 40 h; 3 of 6 in time).
 */
describe('request stats: counts and service levels shared with the district', () => {
  let graph: TestGraph;
  let district: SharedDistrict;
  const openedAt: Date[] = [];

  const statsOfBuilding = async (caller: Caller, id: string, since?: Date) =>
    graph.request<{ building: { requestStats: Stats } | null }>(
      `query ($id: ID!, $since: DateTime) { building(id: $id) { requestStats(since: $since) { ${STATS} } } }`,
      { caller, variables: { id, since: since?.toISOString() } },
    );
  const statsOfDistrict = async (caller: Caller, id: string) =>
    graph.request<{ district: { requestStats: Stats } | null }>(`query ($id: ID!) { district(id: $id) { requestStats { ${STATS} } } }`, {
      caller,
      variables: { id },
    });

  beforeAll(async () => {
    // What tenancy reads for each request: the response cache would answer a repeated one from memory.
    graph = await startTestGraph({ gatewayEnv: { RESPONSE_CACHE: 'off' } });
    district = await registerSharedDistrict(graph, 'Bellefontaine');
    const now = Date.now();
    const craft = async (member: SharedDistrict['owner'], hoursAgo: number, category: string, statuses: string[]) => {
      const at = new Date(now - hoursAgo * HOUR);
      openedAt.push(at);
      const opened = dataOf(
        await openServiceRequest(graph, member.staff, { buildingId: member.buildingId, category, openedAt: at.toISOString() }),
      ).openServiceRequest;
      await moveThrough(graph, member.staff, opened, statuses);
    };
    const handled = ['ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED'];
    await craft(district.owner, 10, 'LIFT', handled);
    await craft(district.owner, 30, 'LIFT', handled);
    await craft(district.owner, 100, 'CLEANLINESS', handled);
    await craft(district.owner, 72, 'CLEANLINESS', []);
    await craft(district.owner, 1, 'PESTS', []);
    await craft(district.owner, 5, 'PESTS', ['REJECTED']);
    await craft(district.neighbour, 50, 'OTHER', handled);
  });

  afterAll(async () => {
    await graph.close();
  });

  /** The months the crafted requests were opened in (UTC), oldest first: they depend on today's date. */
  function monthsOf(dates: readonly Date[]): { month: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const date of dates) counts.set(date.toISOString().slice(0, 7), (counts.get(date.toISOString().slice(0, 7)) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([month, count]) => ({ month, count }));
  }

  it("computes a building's counts, 48-hour rate and median resolution time", async () => {
    const stats = dataOf(await statsOfBuilding(district.owner.staff, district.owner.buildingId)).building!.requestStats;
    expect(stats).toMatchObject({
      total: 6,
      open: 2,
      byCategory: [
        { category: 'CLEANLINESS', count: 2 },
        { category: 'LIFT', count: 2 },
        { category: 'PESTS', count: 2 },
      ],
      byMonth: monthsOf(openedAt.slice(0, 6)),
    });
    expect(stats.acknowledgedWithin48hRate).toBeCloseTo(0.6, 10);
    expect(stats.medianResolutionHours).toBeCloseTo(30, 1);
  });

  it('counts only the requests opened since the date asked', async () => {
    const since = new Date(Date.now() - 50 * HOUR);
    const stats = dataOf(await statsOfBuilding(district.owner.staff, district.owner.buildingId, since)).building!.requestStats;
    expect(stats).toMatchObject({ total: 4, open: 1, acknowledgedWithin48hRate: 1 });
    expect(stats.medianResolutionHours).toBeCloseTo(20, 1);
  });

  it("computes the district's over every landlord's buildings (exactly, for admins)", async () => {
    const stats = dataOf(await statsOfDistrict(TEST_ADMIN, district.districtId)).district!.requestStats;
    expect(stats).toMatchObject({ total: 7, open: 2, byMonth: monthsOf(openedAt) });
    expect(stats.byCategory).toContainEqual({ category: 'OTHER', count: 1, disclosure: 'EXACT' });
    expect(stats.acknowledgedWithin48hRate).toBeCloseTo(0.5, 10);
    expect(stats.medianResolutionHours).toBeCloseTo(40, 1);
  });

  it("withholds a building's few requests from the other landlord's staff and the coordinator, who see no request either", async () => {
    const coordinator: Caller = { role: 'COORDINATOR', sub: 'coordinator-bellefontaine', districtIds: [district.districtId] };
    for (const caller of [district.neighbour.staff, coordinator]) {
      const response = await graph.request<{ building: { requestStats: Stats; requests: { totalCount: number } } }>(
        'query ($id: ID!) { building(id: $id) { requestStats { disclosure total open } requests { totalCount } } }',
        { caller, variables: { id: district.owner.buildingId } },
      );
      expect(dataOf(response).building).toEqual({
        requestStats: { disclosure: 'WITHHELD_SMALL_CELL', total: null, open: null },
        requests: { totalCount: 0 },
      });
    }
    // The district's seven requests rest on fewer than 11 of other landlords for everyone but admins, the owner included.
    for (const caller of [district.neighbour.staff, coordinator, district.owner.staff]) {
      expect(dataOf(await statsOfDistrict(caller, district.districtId)).district!.requestStats).toMatchObject({
        disclosure: 'WITHHELD_SMALL_CELL',
        total: null,
        open: null,
      });
    }
  });

  it('gives a building without requests zeros and no rates', async () => {
    const landlordId = await registerLandlord(graph, 'Toulouse Métropole Habitat');
    const buildingId = await registerBuilding(graph, landlordId, district.districtId, 'des Pyrénées');
    const stats = dataOf(await statsOfBuilding(staffOf(landlordId), buildingId)).building!.requestStats;
    expect(stats).toEqual({
      disclosure: 'EXACT',
      total: 0,
      open: 0,
      byCategory: [],
      byMonth: [],
      acknowledgedWithin48hRate: null,
      medianResolutionHours: null,
    });
  });

  it("computes the stats of all buildings of a page from ONE read of the district's stored cells, none of its requests", async () => {
    graph.resetCommands();
    const response = await graph.request<{ district: { buildings: { nodes: { requestStats: { total: number } }[] } } }>(
      'query ($id: ID!) { district(id: $id) { buildings { nodes { requestStats { total } } } } }',
      { caller: TEST_ADMIN, variables: { id: district.districtId } },
    );
    const totals = dataOf(response).district.buildings.nodes.map((node) => node.requestStats.total);
    expect(totals.sort()).toEqual([0, 1, 6]);
    const on = (collection: string) =>
      graph.commands.filter((event) => event.command[event.commandName] === collection).map((event) => event.commandName);
    expect(on('serviceRequests')).toEqual([]);
    expect(on('requestCells')).toEqual(['find']);
  });

  it("keeps a district's disclosed table while its cells do not change, and counts a write at the very next read", async () => {
    const elsewhere = await registerSharedDistrict(graph, 'Reynerie');
    await openServiceRequest(graph, elsewhere.owner.staff, { buildingId: elsewhere.owner.buildingId, category: 'LIFT' });
    const on = (collection: string) =>
      graph.commands.filter((event) => event.command[event.commandName] === collection).map((event) => event.commandName);
    // The admin's district figures and the owner's own building are exact: each shows the write.
    const totals = [
      async () => dataOf(await statsOfDistrict(TEST_ADMIN, elsewhere.districtId)).district!.requestStats.total,
      async () => dataOf(await statsOfBuilding(elsewhere.owner.staff, elsewhere.owner.buildingId)).building!.requestStats.total,
    ];
    for (const total of totals) {
      const before = await total();
      graph.resetCommands();
      expect(await total()).toBe(before);
      expect(on('requestCellsRevisions')).toEqual(['find']);
      expect(on('requestCells')).toEqual([]);

      await openServiceRequest(graph, elsewhere.owner.staff, { buildingId: elsewhere.owner.buildingId, category: 'PESTS' });
      graph.resetCommands();
      expect(await total()).toBe(before + 1);
      expect(on('requestCells')).toEqual(['find']);
    }
  });

  describe('outside the district', () => {
    let outsider: Caller;

    beforeAll(async () => {
      const elsewhere = await registerDistrict(graph, 'Empalot');
      const landlordId = await registerLandlord(graph, 'Promologis');
      await registerBuilding(graph, landlordId, elsewhere, 'Daste');
      outsider = staffOf(landlordId);
    });

    it('gives no stats of the district nor of its buildings, which it does not know of: null, as missing ones', async () => {
      const ofDistrict = await statsOfDistrict(outsider, district.districtId);
      expect(ofDistrict.data?.district).toBeNull();
      expect(errorCodes(ofDistrict)).toEqual([]);
      const ofBuilding = await statsOfBuilding(outsider, district.owner.buildingId);
      expect(ofBuilding.data?.building).toBeNull();
      expect(errorCodes(ofBuilding)).toEqual([]);
    });

    it('gets none from the tenancy subgraph called directly either', async () => {
      const response = await graph.request<{ _entities: unknown[] }>(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on District { requestStats { total } } ... on Building { requestStats { total } } }
        }`,
        {
          caller: outsider,
          url: graph.subgraphUrls.tenancy,
          variables: {
            representations: [
              { __typename: 'District', id: district.districtId },
              { __typename: 'Building', id: district.owner.buildingId },
            ],
          },
        },
      );
      expect(response.data?._entities).toEqual([null, null]);
      expect(errorCodes(response)).toEqual([]);
    });
  });
});
