import { coordinatorOf } from '../support/actionsFixtures';
import { registerBuilding, registerDistrict, registerLandlord } from '../support/housingFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

/** A district's stock counted on data made for the purpose, and the cursor pages of buildings and dwellings. */

const STOCK_FIELDS = `
  dwellings buildings
  byLandlord { landlord { id } buildings dwellings }
  byRooms { rooms count }
  byFinancing { financing count }
  byEnergyClass { energyClass count }
`;

interface Page<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
  nodes: T[];
}

describe('housing: district stock and pages', () => {
  let graph: TestGraph;
  let chalets: string;
  let languedocienne: string;
  let metropole: string;

  async function registerDwellings(buildingId: string, dwellings: Record<string, unknown>[]): Promise<string[]> {
    const response = await graph.request<{ registerDwellings: { id: string }[] }>(
      'mutation ($buildingId: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $buildingId, dwellings: $dwellings) { id } }',
      { caller: TEST_ADMIN, variables: { buildingId, dwellings } },
    );
    return dataOf(response).registerDwellings.map((dwelling) => dwelling.id);
  }

  /** Every page of a connection, `first` at a time, from the query's `after` variable on. */
  async function walk<T>(query: string, variables: Record<string, unknown>, connectionOf: (data: never) => Page<T>): Promise<Page<T>[]> {
    const pages: Page<T>[] = [];
    let after: string | null = null;
    do {
      const page: Page<T> = connectionOf(
        dataOf(await graph.request<never>(query, { caller: TEST_ADMIN, variables: { ...variables, after } })),
      );
      pages.push(page);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after && pages.length < 50);
    return pages;
  }

  beforeAll(async () => {
    graph = await startTestGraph();
    chalets = await registerLandlord(graph, 'Groupe des Chalets');
    languedocienne = await registerLandlord(graph, 'Patrimoine SA Languedocienne');
    metropole = await registerLandlord(graph, 'Toulouse Métropole Habitat');
  });

  afterAll(async () => {
    await graph.close();
  });

  describe('District.stock', () => {
    let reynerie: string;
    let empty: string;

    beforeAll(async () => {
      reynerie = await registerDistrict(graph, 'La Reynerie');
      empty = await registerDistrict(graph, 'Papus');
      const elsewhere = await registerDistrict(graph, 'Bagatelle');
      const chaletsFirst = await registerBuilding(graph, chalets, reynerie, 'de la Reynerie');
      const chaletsSecond = await registerBuilding(graph, chalets, reynerie, 'Abbal');
      const languedocienneOnly = await registerBuilding(graph, languedocienne, reynerie, 'du Tintoret');
      // A building without dwellings still counts, for its landlord too.
      await registerBuilding(graph, metropole, reynerie, 'Van Dyck');
      await registerDwellings(chaletsFirst, [
        { reference: 'GDC-1', rooms: 1, financing: 'PLAI', energyClass: 'A' },
        { reference: 'GDC-2', rooms: 3, financing: 'PLUS', energyClass: 'C' },
        { reference: 'GDC-3', rooms: 3 },
        { reference: 'GDC-4', rooms: 4, financing: 'PLUS', energyClass: 'D' },
      ]);
      await registerDwellings(chaletsSecond, [
        { reference: 'GDC-5', rooms: 3, financing: 'PLS' },
        { reference: 'GDC-6', rooms: 5, financing: 'OTHER', energyClass: 'G' },
      ]);
      const psl = [
        { reference: 'PSL-1', rooms: 2, financing: 'PLI', energyClass: 'C' },
        { reference: 'PSL-2', rooms: 3, energyClass: 'C' },
        { reference: 'PSL-3', rooms: 1, financing: 'PLAI' },
      ];
      await registerDwellings(languedocienneOnly, psl);
      // Registered again: updated, not counted twice.
      await registerDwellings(languedocienneOnly, psl);
      // The same landlord's stock in another district is that district's.
      await registerDwellings(await registerBuilding(graph, chalets, elsewhere, 'de Bagatelle'), [
        { reference: 'GDC-100', rooms: 3, financing: 'PLUS', energyClass: 'C' },
        { reference: 'GDC-101', rooms: 3, financing: 'PLUS', energyClass: 'C' },
      ]);
    });

    const expectedStock = () => ({
      dwellings: 9,
      buildings: 4,
      byLandlord: [
        { landlord: { id: chalets }, buildings: 2, dwellings: 6 },
        { landlord: { id: languedocienne }, buildings: 1, dwellings: 3 },
        { landlord: { id: metropole }, buildings: 1, dwellings: 0 },
      ].sort((a, b) => a.landlord.id.localeCompare(b.landlord.id)),
      byRooms: [
        { rooms: 1, count: 2 },
        { rooms: 2, count: 1 },
        { rooms: 3, count: 4 },
        { rooms: 4, count: 1 },
        { rooms: 5, count: 1 },
      ],
      byFinancing: [
        { financing: 'OTHER', count: 1 },
        { financing: 'PLAI', count: 2 },
        { financing: 'PLI', count: 1 },
        { financing: 'PLS', count: 1 },
        { financing: 'PLUS', count: 2 },
        { financing: null, count: 2 },
      ],
      byEnergyClass: [
        { energyClass: 'A', count: 1 },
        { energyClass: 'C', count: 3 },
        { energyClass: 'D', count: 1 },
        { energyClass: 'G', count: 1 },
        { energyClass: null, count: 3 },
      ],
    });

    it('counts dwellings and buildings in total, by landlord, rooms, financing and energy class (unrecorded as null, last)', async () => {
      const { district } = dataOf(
        await graph.request<{ district: { stock: unknown } }>(`query ($id: ID!) { district(id: $id) { stock { ${STOCK_FIELDS} } } }`, {
          caller: TEST_ADMIN,
          variables: { id: reynerie },
        }),
      );
      expect(district.stock).toEqual(expectedStock());
    });

    it('gives the same numbers to every member of the cooperation, for several districts in one request', async () => {
      const { districts } = dataOf(
        await graph.request<{ districts: { id: string; stock: unknown }[] }>(`query { districts { id stock { ${STOCK_FIELDS} } } }`, {
          caller: coordinatorOf(reynerie, empty),
        }),
      );
      expect(districts).toHaveLength(2);
      expect(districts.find((district) => district.id === reynerie)!.stock).toEqual(expectedStock());
      expect(districts.find((district) => district.id === empty)!.stock).toEqual({
        dwellings: 0,
        buildings: 0,
        byLandlord: [],
        byRooms: [],
        byFinancing: [],
        byEnergyClass: [],
      });
    });
  });

  describe('District.stock read again', () => {
    it('is counted once, then shared until housing writes again', async () => {
      const district = await registerDistrict(graph, 'Bellefontaine');
      const building = await registerBuilding(graph, chalets, district, 'de Bellefontaine');
      await registerDwellings(building, [{ reference: 'BF-1', rooms: 2 }]);
      const stockQuery = 'query ($id: ID!) { district(id: $id) { stock { dwellings byRooms { rooms count } } } }';
      const read = async () =>
        dataOf(await graph.request<{ district: { stock: unknown } }>(stockQuery, { caller: TEST_ADMIN, variables: { id: district } }))
          .district.stock;
      const dwellingAggregates = () =>
        graph.commands.filter((event) => event.commandName === 'aggregate' && event.command.aggregate === 'dwellings').length;

      expect(await read()).toEqual({ dwellings: 1, byRooms: [{ rooms: 2, count: 1 }] });
      graph.resetCommands();
      expect(await read()).toEqual({ dwellings: 1, byRooms: [{ rooms: 2, count: 1 }] });
      expect(dwellingAggregates()).toBe(0);

      await registerDwellings(building, [{ reference: 'BF-2', rooms: 3 }]);
      graph.resetCommands();
      expect(await read()).toEqual({
        dwellings: 2,
        byRooms: [
          { rooms: 2, count: 1 },
          { rooms: 3, count: 1 },
        ],
      });
      expect(dwellingAggregates()).toBe(1);
    });
  });

  describe('cursor pages', () => {
    const DISTRICT_BUILDINGS = `query ($id: ID!, $first: Int, $after: String, $landlordId: ID) {
      district(id: $id) {
        buildings(first: $first, after: $after, landlordId: $landlordId) {
          totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id landlord { id } }
        }
      }
    }`;
    const BUILDING_DWELLINGS = `query ($id: ID!, $first: Int, $after: String) {
      building(id: $id) { dwellingCount dwellings(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id } } }
    }`;
    const LANDLORD_BUILDINGS = `query ($id: ID!, $districtId: ID, $first: Int, $after: String) {
      landlord(id: $id) { buildings(districtId: $districtId, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id } } }
    }`;

    let pages: string;
    let chaletsBuildings: string[];
    let languedocienneBuildings: string[];
    let crowded: string;
    let crowdedDwellings: string[];

    type DistrictBuildings = { district: { buildings: Page<{ id: string; landlord: { id: string } }> } };
    const districtBuildings = (data: DistrictBuildings) => data.district.buildings;

    /** The pages' shape, and that they hold each of `expectedIds` exactly once. */
    function expectWalk<T extends { id: string }>(walked: Page<T>[], expectedIds: readonly string[], sizes: number[]) {
      expect(walked.map((page) => page.nodes.length)).toEqual(sizes);
      expect(walked.map((page) => page.pageInfo.hasNextPage)).toEqual(sizes.map((_, index) => index < sizes.length - 1));
      expect(walked.every((page) => page.totalCount === expectedIds.length)).toBe(true);
      for (const page of walked) {
        expect(page.edges.map((edge) => edge.node.id)).toEqual(page.nodes.map((node) => node.id));
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
      }
      const seen = walked.flatMap((page) => page.nodes.map((node) => node.id));
      expect(seen).toHaveLength(expectedIds.length);
      expect([...seen].sort()).toEqual([...expectedIds].sort());
    }

    beforeAll(async () => {
      pages = await registerDistrict(graph, 'Bellefontaine');
      chaletsBuildings = [];
      languedocienneBuildings = [];
      for (let index = 0; index < 25; index += 1) {
        const ownedByChalets = index % 5 < 3;
        const buildingId = await registerBuilding(graph, ownedByChalets ? chalets : languedocienne, pages, `de Bellefontaine ${index}`);
        (ownedByChalets ? chaletsBuildings : languedocienneBuildings).push(buildingId);
      }
      crowded = chaletsBuildings[0]!;
      crowdedDwellings = await registerDwellings(
        crowded,
        Array.from({ length: 7 }, (_, index) => ({ reference: `BEL-${index}`, rooms: 3 })),
      );
    });

    it("walks a district's buildings page by page, without overlap or gap", async () => {
      const walked = await walk(DISTRICT_BUILDINGS, { id: pages, first: 10 }, districtBuildings);
      expectWalk(walked, [...chaletsBuildings, ...languedocienneBuildings], [10, 10, 5]);
    });

    it('gives 20 buildings a page by default and up to 100 when asked', async () => {
      const walked = await walk(DISTRICT_BUILDINGS, { id: pages }, districtBuildings);
      expectWalk(walked, [...chaletsBuildings, ...languedocienneBuildings], [20, 5]);
      expectWalk(
        await walk(DISTRICT_BUILDINGS, { id: pages, first: 100 }, districtBuildings),
        [...chaletsBuildings, ...languedocienneBuildings],
        [25],
      );
    });

    it("walks one landlord's buildings of the district", async () => {
      const walked = await walk(DISTRICT_BUILDINGS, { id: pages, first: 4, landlordId: languedocienne }, districtBuildings);
      expectWalk(walked, languedocienneBuildings, [4, 4, 2]);
      expect(walked.flatMap((page) => page.nodes).every((building) => building.landlord.id === languedocienne)).toBe(true);
    });

    it('gives an empty last page after the last cursor', async () => {
      const [all] = await walk(DISTRICT_BUILDINGS, { id: pages, first: 100 }, districtBuildings);
      const after = dataOf(
        await graph.request<DistrictBuildings>(DISTRICT_BUILDINGS, {
          caller: TEST_ADMIN,
          variables: { id: pages, first: 10, after: all!.pageInfo.endCursor },
        }),
      );
      expect(districtBuildings(after)).toMatchObject({
        totalCount: 25,
        nodes: [],
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
    });

    function expectBadPageArgument(response: GraphQLResponse<unknown>, field: 'first' | 'after') {
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions?.field).toBe(field);
    }

    it('refuses more than 100 a page, or fewer than none, with BAD_USER_INPUT', async () => {
      for (const first of [101, -1]) {
        expectBadPageArgument(await graph.request(DISTRICT_BUILDINGS, { caller: TEST_ADMIN, variables: { id: pages, first } }), 'first');
        expectBadPageArgument(await graph.request(BUILDING_DWELLINGS, { caller: TEST_ADMIN, variables: { id: crowded, first } }), 'first');
        expectBadPageArgument(await graph.request(LANDLORD_BUILDINGS, { caller: TEST_ADMIN, variables: { id: chalets, first } }), 'first');
      }
    });

    it('refuses a cursor it did not give out with BAD_USER_INPUT', async () => {
      const [firstPage] = await walk(DISTRICT_BUILDINGS, { id: pages, first: 100 }, districtBuildings);
      const given = firstPage!.edges[3]!.cursor;
      for (const after of ['not a cursor', '!!!', `${given}==`, `${given}.`]) {
        expectBadPageArgument(
          await graph.request(DISTRICT_BUILDINGS, { caller: TEST_ADMIN, variables: { id: pages, first: 5, after } }),
          'after',
        );
      }
    });

    it("walks a building's dwellings, as many as its dwellingCount", async () => {
      type BuildingDwellings = { building: { dwellingCount: number; dwellings: Page<{ id: string }> } };
      const walked = await walk(BUILDING_DWELLINGS, { id: crowded, first: 3 }, (data: BuildingDwellings) => data.building.dwellings);
      expectWalk(walked, crowdedDwellings, [3, 3, 1]);
      const { building } = dataOf(
        await graph.request<BuildingDwellings>(BUILDING_DWELLINGS, { caller: TEST_ADMIN, variables: { id: crowded, first: 1 } }),
      );
      expect(building.dwellingCount).toBe(7);
    });

    it('counts the dwellings of every building of a page, none for a building without', async () => {
      const { district } = dataOf(
        await graph.request<{ district: { buildings: { nodes: { id: string; dwellingCount: number }[] } } }>(
          'query ($id: ID!) { district(id: $id) { buildings(first: 100) { nodes { id dwellingCount } } } }',
          { caller: TEST_ADMIN, variables: { id: pages } },
        ),
      );
      expect(district.buildings.nodes.map((building) => building.dwellingCount).sort()).toEqual([...Array(24).fill(0), 7]);
      expect(district.buildings.nodes.find((building) => building.id === crowded)!.dwellingCount).toBe(7);
    });

    it("walks a landlord's buildings in one district", async () => {
      type LandlordBuildings = { landlord: { buildings: Page<{ id: string }> } };
      const walked = await walk(
        LANDLORD_BUILDINGS,
        { id: chalets, districtId: pages, first: 10 },
        (data: LandlordBuildings) => data.landlord.buildings,
      );
      expectWalk(walked, chaletsBuildings, [10, 5]);
    });
  });
});
