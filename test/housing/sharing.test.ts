import type { Caller } from '../../lib/auth/caller';
import { coordinatorOf, partnerStaff, staffOf } from '../support/actionsFixtures';
import { registerBuilding, registerDistrict, registerLandlord } from '../support/housingFixtures';
import { registerPartner } from '../support/partnersFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

/**
 * Who reads what of the stock: shared data within the caller's districts (lists filter, single reads and
 * references outside them answer null, as for records that do not exist), rents for their landlord only, audit trails for admins only; the
 * housing subgraph enforces it when called directly too.
 */

const ids = (records: readonly { id: string }[]) => records.map((record) => record.id).sort();

describe('housing: what each caller may read', () => {
  let graph: TestGraph;
  let mirail: string;
  let bellefontaine: string;
  let empalot: string;
  let chalets: string;
  let languedocienne: string;
  let metropole: string;
  let newcomer: string;
  let regie: string;
  let chaletsMirail: string;
  let chaletsMirailFirst: string;
  let chaletsBellefontaine: string;
  let languedocienneMirail: string;
  let metropoleBellefontaine: string;
  /** A dwelling of Groupe des Chalets at Le Mirail, rent 520.00 €, and one at Bellefontaine. */
  let rentedDwelling: string;
  let bellefontaineDwelling: string;
  let estate: string;

  const read = <T>(caller: Caller | null, query: string, variables: Record<string, unknown> = {}, url?: string) =>
    graph.request<T>(query, { caller, variables, url });

  async function registerDwellingsAs(caller: Caller, buildingId: string, dwellings: Record<string, unknown>[]): Promise<string[]> {
    const response = await graph.request<{ registerDwellings: { id: string }[] }>(
      'mutation ($buildingId: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $buildingId, dwellings: $dwellings) { id } }',
      { caller, variables: { buildingId, dwellings } },
    );
    return dataOf(response).registerDwellings.map((dwelling) => dwelling.id);
  }

  beforeAll(async () => {
    graph = await startTestGraph();
    [mirail, bellefontaine, empalot] = [
      await registerDistrict(graph, 'Le Mirail'),
      await registerDistrict(graph, 'Bellefontaine'),
      await registerDistrict(graph, 'Empalot'),
    ];
    chalets = await registerLandlord(graph, 'Groupe des Chalets');
    languedocienne = await registerLandlord(graph, 'Patrimoine SA Languedocienne');
    metropole = await registerLandlord(graph, 'Toulouse Métropole Habitat');
    newcomer = await registerLandlord(graph, 'Habitat Nouveau');
    // An admin makes the landlord a member of Le Mirail; its staff then register a building there, so that its audit
    // trail names them.
    chaletsMirailFirst = await registerBuilding(graph, chalets, mirail, 'du Cap Horn');
    const registered = await graph.request<{ registerBuilding: { id: string; estate: { id: string } } }>(
      'mutation ($input: RegisterBuildingInput!) { registerBuilding(input: $input) { id estate { id } } }',
      {
        caller: staffOf(chalets),
        variables: {
          input: {
            landlordId: chalets,
            districtId: mirail,
            estateName: 'Résidence Reynerie',
            address: { number: '5', streetName: 'de la Reynerie', communeCode: '31555' },
          },
        },
      },
    );
    ({
      id: chaletsMirail,
      estate: { id: estate },
    } = dataOf(registered).registerBuilding);
    chaletsBellefontaine = await registerBuilding(graph, chalets, bellefontaine, 'de Kiev');
    languedocienneMirail = await registerBuilding(graph, languedocienne, mirail, 'du Tintoret');
    metropoleBellefontaine = await registerBuilding(graph, metropole, bellefontaine, 'Vermeer');
    rentedDwelling = (
      await registerDwellingsAs(staffOf(chalets), chaletsMirail, [
        { reference: 'GDC-1', rooms: 3, rentCents: 52_000 },
        { reference: 'GDC-2', rooms: 4, rentCents: 61_000 },
      ])
    )[0]!;
    bellefontaineDwelling = (
      await registerDwellingsAs(TEST_ADMIN, chaletsBellefontaine, [{ reference: 'GDC-10', rooms: 2, rentCents: 39_000 }])
    )[0]!;
    await registerDwellingsAs(TEST_ADMIN, languedocienneMirail, [{ reference: 'PSL-1', rooms: 5, rentCents: 70_000 }]);
    regie = await registerPartner(graph, {
      name: 'Régie de quartier Reynerie',
      kind: 'NEIGHBOURHOOD_BOARD',
      services: ['CLEANING'],
      districtIds: [mirail],
    });
  });

  afterAll(async () => {
    await graph.close();
  });

  describe('the districts and landlords lists, filtered to the caller', () => {
    const DISTRICTS = 'query { districts { id name } }';
    const LANDLORDS = 'query { landlords { id name } }';

    it('gives admins every district, by name, and every landlord', async () => {
      expect(
        dataOf(await read<{ districts: { name: string }[] }>(TEST_ADMIN, DISTRICTS)).districts.map((district) => district.name),
      ).toEqual(['Bellefontaine', 'Empalot', 'Le Mirail']);
      expect(
        dataOf(await read<{ landlords: { name: string }[] }>(TEST_ADMIN, LANDLORDS)).landlords.map((landlord) => landlord.name),
      ).toEqual(['Groupe des Chalets', 'Habitat Nouveau', 'Patrimoine SA Languedocienne', 'Toulouse Métropole Habitat']);
    });

    it.each([
      ['staff, the districts where their landlord has buildings', () => staffOf(chalets), () => [mirail, bellefontaine]],
      ['staff of a landlord with one district, that one', () => staffOf(languedocienne), () => [mirail]],
      ['staff of a landlord with no building yet, none', () => staffOf(newcomer), () => []],
      ['a coordinator, the districts they coordinate', () => coordinatorOf(mirail, empalot), () => [mirail, empalot]],
      ['another coordinator, theirs only', () => coordinatorOf(bellefontaine), () => [bellefontaine]],
      ['a partner, the districts it serves', () => partnerStaff(regie), () => [mirail]],
    ])('gives %s', async (_, caller, expected) => {
      expect(ids(dataOf(await read<{ districts: { id: string }[] }>(caller(), DISTRICTS)).districts)).toEqual(expected().sort());
    });

    it.each([
      ['staff, the landlords of their districts', () => staffOf(languedocienne), () => [chalets, languedocienne]],
      ['staff present in two districts, the landlords of both', () => staffOf(chalets), () => [chalets, languedocienne, metropole]],
      ['a coordinator, the landlords of their districts', () => coordinatorOf(bellefontaine), () => [chalets, metropole]],
      ['a coordinator of a district with no buildings, nothing more', () => coordinatorOf(empalot), () => []],
      ['a partner, the landlords of the districts it serves', () => partnerStaff(regie), () => [chalets, languedocienne]],
    ])('gives %s', async (_, caller, expected) => {
      expect(ids(dataOf(await read<{ landlords: { id: string }[] }>(caller(), LANDLORDS)).landlords)).toEqual(expected().sort());
    });
  });

  describe("single reads outside the caller's districts", () => {
    const DISTRICT = 'query ($id: ID!) { district(id: $id) { id name landlords { id } } }';
    const BUILDING = 'query ($id: ID!) { building(id: $id) { id address { label } dwellingCount } }';
    const DWELLING = 'query ($id: ID!) { dwelling(id: $id) { id rooms building { id } } }';

    /** What a record that does not exist gets: null, without an error saying why. */
    function expectUnknown(response: GraphQLResponse, field: string) {
      expect(errorCodes(response)).toEqual([]);
      expect(response.data).toEqual({ [field]: null });
    }

    it('reads a district of the caller, with its landlords', async () => {
      const { district } = dataOf(
        await read<{ district: { id: string; landlords: { id: string }[] } }>(staffOf(metropole), DISTRICT, { id: bellefontaine }),
      );
      expect(ids(district.landlords)).toEqual([chalets, metropole].sort());
    });

    it("answers a district outside the caller's as one that does not exist, whatever the role", async () => {
      expectUnknown(await read(staffOf(languedocienne), DISTRICT, { id: bellefontaine }), 'district');
      expectUnknown(await read(coordinatorOf(bellefontaine), DISTRICT, { id: mirail }), 'district');
      expectUnknown(await read(partnerStaff(regie), DISTRICT, { id: empalot }), 'district');
    });

    it('answers null without an error for a district that does not exist', async () => {
      const response = await read(staffOf(chalets), DISTRICT, { id: 'no-such-district' });
      expect(response).toMatchObject({ data: { district: null } });
      expect(response.errors).toBeUndefined();
    });

    it("shares a neighbour landlord's buildings and dwellings within the district", async () => {
      expect(dataOf(await read(staffOf(languedocienne), BUILDING, { id: chaletsMirail }))).toEqual({
        building: { id: chaletsMirail, address: { label: '5 de la Reynerie' }, dwellingCount: 2 },
      });
      expect(dataOf(await read(partnerStaff(regie), DWELLING, { id: rentedDwelling }))).toEqual({
        dwelling: { id: rentedDwelling, rooms: 3, building: { id: chaletsMirail } },
      });
    });

    it('answers buildings and dwellings of other districts as ones that do not exist', async () => {
      expectUnknown(await read(staffOf(languedocienne), BUILDING, { id: chaletsBellefontaine }), 'building');
      expectUnknown(await read(coordinatorOf(mirail), BUILDING, { id: metropoleBellefontaine }), 'building');
      expectUnknown(await read(staffOf(languedocienne), DWELLING, { id: bellefontaineDwelling }), 'dwelling');
      expectUnknown(await read(partnerStaff(regie), DWELLING, { id: bellefontaineDwelling }), 'dwelling');
    });
  });

  describe('private and admin-only fields', () => {
    const RENT = 'query ($id: ID!) { dwelling(id: $id) { id rooms rentCents } }';

    it("shows a dwelling's rent to its landlord's staff and to admins", async () => {
      for (const caller of [staffOf(chalets), TEST_ADMIN]) {
        expect(dataOf(await read(caller, RENT, { id: rentedDwelling }))).toEqual({
          dwelling: { id: rentedDwelling, rooms: 3, rentCents: 52_000 },
        });
      }
    });

    it('answers the rent null with FORBIDDEN to everyone else, the shared fields still given', async () => {
      for (const caller of [staffOf(languedocienne), coordinatorOf(mirail), partnerStaff(regie)]) {
        const response = await read(caller, RENT, { id: rentedDwelling });
        expect(response.data).toEqual({ dwelling: { id: rentedDwelling, rooms: 3, rentCents: null } });
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
        expect(response.errors![0]!.path).toEqual(['dwelling', 'rentCents']);
      }
    });

    it("in a list, hides the neighbour's rents and shows the caller's own", async () => {
      const response = await read<{
        district: { buildings: { nodes: { landlord: { id: string }; dwellings: { nodes: { rentCents: number | null }[] } }[] } };
      }>(
        staffOf(languedocienne),
        'query ($id: ID!) { district(id: $id) { buildings { nodes { landlord { id } dwellings { nodes { rentCents } } } } } }',
        { id: mirail },
      );
      const rentsBy = (landlordId: string) =>
        response
          .data!.district.buildings.nodes.filter((building) => building.landlord.id === landlordId)
          .flatMap((building) => building.dwellings.nodes.map((dwelling) => dwelling.rentCents));
      expect(rentsBy(languedocienne)).toEqual([70_000]);
      expect(rentsBy(chalets)).toEqual([null, null]);
      expect(errorCodes(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    });

    it('shows audit trails to admins, naming who created the record (the token subject)', async () => {
      const { building } = dataOf(
        await read<{ building: { audit: { createdBy: string; createdAt: string; updatedBy: string; updatedAt: string } } }>(
          TEST_ADMIN,
          'query ($id: ID!) { building(id: $id) { audit { createdBy createdAt updatedBy updatedAt } } }',
          { id: chaletsMirail },
        ),
      );
      expect(building.audit).toMatchObject({ createdBy: staffOf(chalets).sub, updatedBy: staffOf(chalets).sub });
      expect(Date.now() - Date.parse(building.audit.createdAt)).toBeLessThan(120_000);
      expect(building.audit.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

      const others = dataOf(
        await read<Record<string, { audit: { createdBy: string } }>>(
          TEST_ADMIN,
          'query ($landlord: ID!, $district: ID!, $dwelling: ID!) { landlord(id: $landlord) { audit { createdBy } } district(id: $district) { audit { createdBy } } dwelling(id: $dwelling) { audit { createdBy } } }',
          { landlord: chalets, district: mirail, dwelling: rentedDwelling },
        ),
      );
      expect(others).toEqual({
        landlord: { audit: { createdBy: TEST_ADMIN.sub } },
        district: { audit: { createdBy: TEST_ADMIN.sub } },
        dwelling: { audit: { createdBy: staffOf(chalets).sub } },
      });
    });

    it('answers the audit trail null with FORBIDDEN to everyone but admins, its own staff included', async () => {
      for (const caller of [staffOf(chalets), coordinatorOf(mirail), partnerStaff(regie)]) {
        const response = await read(caller, 'query ($id: ID!) { building(id: $id) { id audit { createdBy } } }', { id: chaletsMirail });
        expect(response.data).toEqual({ building: { id: chaletsMirail, audit: null } });
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      }
    });
  });

  describe("a landlord's districts and buildings, an estate's buildings", () => {
    const LANDLORD_DISTRICTS = 'query ($id: ID!) { landlord(id: $id) { districts { id } } }';
    const LANDLORD_BUILDINGS = `query ($id: ID!, $districtId: ID) {
      landlord(id: $id) { buildings(districtId: $districtId) { totalCount nodes { id district { id } } } }
    }`;

    it("lists a landlord's districts, filtered to those the caller may see", async () => {
      const districtsSeenBy = async (caller: Caller) =>
        ids(
          dataOf(await read<{ landlord: { districts: { id: string }[] } }>(caller, LANDLORD_DISTRICTS, { id: chalets })).landlord.districts,
        );
      expect(await districtsSeenBy(TEST_ADMIN)).toEqual([mirail, bellefontaine].sort());
      expect(await districtsSeenBy(staffOf(languedocienne))).toEqual([mirail]);
      expect(await districtsSeenBy(coordinatorOf(bellefontaine))).toEqual([bellefontaine]);
      // Chalets has no buildings in Empalot: to its coordinator, Chalets is a landlord it does not know of.
      expect(dataOf(await read(coordinatorOf(empalot), LANDLORD_DISTRICTS, { id: chalets }))).toEqual({ landlord: null });
    });

    it("lists a landlord's buildings, in one district when asked, within the caller's districts", async () => {
      type Buildings = { landlord: { buildings: { totalCount: number; nodes: { id: string; district: { id: string } }[] } } };
      const buildingsSeenBy = async (caller: Caller, districtId?: string) =>
        dataOf(await read<Buildings>(caller, LANDLORD_BUILDINGS, { id: chalets, districtId })).landlord.buildings;
      expect(await buildingsSeenBy(TEST_ADMIN)).toMatchObject({ totalCount: 3 });
      const inMirail = await buildingsSeenBy(TEST_ADMIN, mirail);
      expect(inMirail.totalCount).toBe(2);
      // Pages run in id order, and ids are random.
      expect([...inMirail.nodes].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [chaletsMirailFirst, chaletsMirail].sort().map((id) => ({ id, district: { id: mirail } })),
      );
      expect(await buildingsSeenBy(staffOf(metropole))).toEqual({
        totalCount: 1,
        nodes: [{ id: chaletsBellefontaine, district: { id: bellefontaine } }],
      });
      expect(await buildingsSeenBy(staffOf(chalets), bellefontaine)).toEqual({
        totalCount: 1,
        nodes: [{ id: chaletsBellefontaine, district: { id: bellefontaine } }],
      });
    });

    it("lists nothing for a district filter outside the caller's districts, as for a district that does not exist", async () => {
      const response = await read(staffOf(metropole), LANDLORD_BUILDINGS, { id: chalets, districtId: mirail });
      const missing = await read(staffOf(metropole), LANDLORD_BUILDINGS, { id: chalets, districtId: 'no-such-district' });
      expect(dataOf(response)).toEqual({ landlord: { buildings: { totalCount: 0, nodes: [] } } });
      expect(dataOf(missing)).toEqual(dataOf(response));
    });

    it("lists a district's estates and an estate's buildings", async () => {
      const { district } = dataOf(
        await read<{ district: { estates: unknown[] } }>(
          staffOf(languedocienne),
          'query ($id: ID!) { district(id: $id) { estates { id name landlord { id } district { id } buildings { id } } } }',
          { id: mirail },
        ),
      );
      expect(district.estates).toEqual([
        { id: estate, name: 'Résidence Reynerie', landlord: { id: chalets }, district: { id: mirail }, buildings: [{ id: chaletsMirail }] },
      ]);
    });
  });

  describe('the housing subgraph called directly, past the gateway', () => {
    const ENTITIES = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on District { id name }
        ... on Building { id }
        ... on Dwelling { id rooms }
        ... on Estate { id name }
        ... on Landlord { id }
      }
    }`;
    const entities = (caller: Caller | null, representations: { __typename: string; id: string }[]) =>
      read<{ _entities: ({ id: string } | null)[] }>(caller, ENTITIES, { representations }, graph.subgraphUrls.housing);

    it("resolves references within the caller's districts", async () => {
      const response = await entities(staffOf(languedocienne), [
        { __typename: 'District', id: mirail },
        { __typename: 'Building', id: chaletsMirail },
        { __typename: 'Dwelling', id: rentedDwelling },
        { __typename: 'Estate', id: estate },
      ]);
      expect(dataOf(response)._entities).toEqual([
        { id: mirail, name: 'Le Mirail' },
        { id: chaletsMirail },
        { id: rentedDwelling, rooms: 3 },
        { id: estate, name: 'Résidence Reynerie' },
      ]);
    });

    it('answers references outside them null, as missing ones, entity by entity', async () => {
      const response = await entities(staffOf(languedocienne), [
        { __typename: 'District', id: bellefontaine },
        { __typename: 'Building', id: chaletsBellefontaine },
        { __typename: 'Dwelling', id: bellefontaineDwelling },
        { __typename: 'District', id: mirail },
      ]);
      expect(response.data?._entities).toEqual([null, null, null, { id: mirail, name: 'Le Mirail' }]);
      expect(errorCodes(response)).toEqual([]);
    });

    it('answers UNAUTHENTICATED without a token, to a query and to a mutation', async () => {
      const query = await entities(null, [{ __typename: 'District', id: mirail }]);
      expect(errorCodes(query)).toEqual(['UNAUTHENTICATED']);
      expect(query.data ?? null).toBeNull();
      const mutation = await read(
        null,
        'mutation { registerLandlord(input: { name: "Anonyme", family: OTHER }) { id } }',
        {},
        graph.subgraphUrls.housing,
      );
      expect(errorCodes(mutation)).toEqual(['UNAUTHENTICATED']);
      expect(await graph.db.collection('landlords').countDocuments({ name: 'Anonyme' })).toBe(0);
    });

    it('answers UNAUTHENTICATED without a token through the gateway too', async () => {
      expect(errorCodes(await read(null, 'query { districts { id } }'))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('DateTime and Date arguments on housing records', () => {
    const STATS = 'query ($id: ID!, $since: DateTime) { district(id: $id) { requestStats(since: $since) { total } } }';
    const STATS_OF_ENTITY = `query ($representations: [_Any!]!, $since: DateTime) {
      _entities(representations: $representations) { ... on District { requestStats(since: $since) { total } } }
    }`;
    const REGISTER_HOUSEHOLD = 'mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }';
    const BAD_INSTANTS = ['last tuesday', '2025-01-01', '2025-01-01T00:00:00', '2025-13-01T00:00:00Z'];
    const BAD_DATES = ['2025-02-30', '01/02/2025', '2025-2-1'];

    function expectRefused(response: GraphQLResponse<unknown>, scalar: 'DateTime' | 'Date') {
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.message).toContain(`${scalar} must be`);
    }

    it('takes an ISO 8601 instant with its time zone', async () => {
      expect(dataOf(await read(TEST_ADMIN, STATS, { id: mirail, since: '2025-01-01T00:00:00+01:00' }))).toEqual({
        district: { requestStats: { total: 0 } },
      });
    });

    it.each(BAD_INSTANTS)('has the subgraph refuse the DateTime %p with BAD_USER_INPUT', async (since) => {
      const representations = [{ __typename: 'District', id: mirail }];
      expectRefused(await read(TEST_ADMIN, STATS_OF_ENTITY, { representations, since }, graph.subgraphUrls.tenancy), 'DateTime');
    });

    it.each(BAD_DATES)('has the subgraph refuse the Date %p with BAD_USER_INPUT, writing nothing', async (since) => {
      const response = await read(
        staffOf(chalets),
        REGISTER_HOUSEHOLD,
        { input: { dwellingId: rentedDwelling, since, size: 2 } },
        graph.subgraphUrls.tenancy,
      );
      expectRefused(response, 'Date');
      expect(await graph.db.collection('households').countDocuments()).toBe(0);
    });

    // The gateway relays the subgraph's own refusal, not the bare "400: Bad Request".
    it.each(BAD_INSTANTS)('refuses the DateTime %p with BAD_USER_INPUT through the gateway', async (since) => {
      expectRefused(await read(TEST_ADMIN, STATS, { id: mirail, since }), 'DateTime');
    });

    it.each(BAD_DATES)('refuses the Date %p with BAD_USER_INPUT through the gateway', async (since) => {
      expectRefused(await read(staffOf(chalets), REGISTER_HOUSEHOLD, { input: { dwellingId: rentedDwelling, since, size: 2 } }), 'Date');
    });
  });
});
