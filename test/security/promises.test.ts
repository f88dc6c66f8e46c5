import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import {
  type Cooperation,
  actionAfter,
  coordinatorOf,
  createCooperation,
  scheduledAction,
  sendAction,
  staffOf,
} from '../support/actionsFixtures';
import { registerBuilding, registerDistrict, registerLandlord } from '../support/housingFixtures';
import { registerDwelling, registerSharedDistrict } from '../support/tenancyFixtures';
import { type GraphQLResponse, type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

/**
 * The promises of the README and the SDL that an attacker or a crash tries first and no other suite tried: two
 * writers at once (exactly one wins, the other gets CONFLICT, nothing half-written), a create replayed at once, and
 * input at and past its bounds (huge strings, unicode, overflowing sums, ids of another district).
 */
describe('security: the promises, tried', () => {
  let graph: TestGraph;
  let coop: Cooperation;
  let dwellingId: string;

  beforeAll(async () => {
    graph = await startTestGraph();
    coop = await createCooperation(graph);
    dwellingId = await registerDwelling(graph, coop.buildings.chaletsMirail, 'CHA-001');
  });

  afterAll(async () => {
    await graph.close();
  });

  const chaletsStaff = () => staffOf(coop.chalets);
  const count = (collection: string, filter: Record<string, unknown> = {}) => graph.db.collection(collection).countDocuments(filter);

  describe('service requests', () => {
    const OPEN = 'mutation ($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { id description version } }';
    const open = (input: Record<string, unknown>, caller = chaletsStaff()) =>
      graph.request<{ openServiceRequest: { id: string; description: string | null } }>(OPEN, {
        caller,
        variables: { input: { buildingId: coop.buildings.chaletsMirail, category: 'OTHER', channel: 'PHONE', ...input } },
      });

    it('stores one request for a clientMutationId sent five times at once, and answers each with it', async () => {
      const responses = await Promise.all(Array.from({ length: 5 }, () => open({ clientMutationId: 'retry-storm' })));
      const ids = new Set(responses.map((response) => dataOf(response).openServiceRequest.id));
      expect(ids.size).toBe(1);
      expect(await count(COLLECTIONS.serviceRequests, { clientMutationId: 'retry-storm' })).toBe(1);
    });

    it('gives another landlord replaying the same clientMutationId its own new request, never the first one', async () => {
      const first = dataOf(await open({ clientMutationId: 'shared-key', description: 'Chez Mme Benali' })).openServiceRequest;
      const other = await open(
        { clientMutationId: 'shared-key', buildingId: coop.buildings.languedocienneMirail },
        staffOf(coop.languedocienne),
      );
      expect(dataOf(other).openServiceRequest.id).not.toBe(first.id);
      expect(JSON.stringify(other)).not.toContain('Benali');
    });

    it('keeps unicode as sent, and refuses a description over 4,000 characters or 800 kB of text, writing nothing', async () => {
      const words = 'Fuite 💧 chez M. Ñúñez, 3ᵉ étage — ‮gauche‬ 水漏れ';
      expect(dataOf(await open({ description: words })).openServiceRequest.description).toBe(words);
      const before = await count(COLLECTIONS.serviceRequests);
      for (const description of ['x'.repeat(4001), 'é'.repeat(400_000)]) {
        const response = await open({ description });
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      }
      expect(await count(COLLECTIONS.serviceRequests)).toBe(before);
    });

    // Dated centuries back, one request had every statistic of its district time out (it walked every month since).
    it.each([
      '0100-01-01T00:00:00Z',
      '1999-12-31T23:59:59Z',
      '9999-12-31T00:00:00Z',
      '2025-02-30T10:00:00Z',
      '2025-04-31T10:00:00Z',
      '2025-13-01T10:00:00Z',
    ])('refuses the opening instant %p with BAD_USER_INPUT, writing nothing', async (openedAt) => {
      const before = await count(COLLECTIONS.serviceRequests);
      expect(errorCodes(await open({ openedAt }))).toEqual(['BAD_USER_INPUT']);
      expect(await count(COLLECTIONS.serviceRequests)).toBe(before);
    });

    it('refuses a dwelling of another landlord’s building as one it may not know of, writing nothing', async () => {
      const neighbourDwelling = await registerDwelling(graph, coop.buildings.languedocienneMirail, 'LAN-001');
      const before = await count(COLLECTIONS.serviceRequests);
      const response = await open({ dwellingId: neighbourDwelling });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(await count(COLLECTIONS.serviceRequests)).toBe(before);
    });
  });

  describe('request statistics and pages, asked out of range', () => {
    const STATS = `query ($id: ID!, $period: StatsPeriod, $since: DateTime) {
      district(id: $id) { requestStats(period: $period, since: $since) { disclosure total byMonth { month count } } } }`;

    it.each([
      ['a year before any request', { period: { year: 1 } }],
      ['a year far ahead', { period: { year: 100_000 } }],
      ['a negative year', { period: { year: -2025 } }],
      ['quarter 0', { period: { year: 2025, quarter: 0 } }],
      ['month -1', { period: { year: 2025, month: -1 } }],
      ['since the year 100', { since: '0100-01-01T00:00:00Z' }],
    ])('answers %s at once, with figures or BAD_USER_INPUT, never a timeout', async (_title, variables) => {
      for (const caller of [coordinatorOf(coop.mirail), TEST_ADMIN]) {
        const startedAt = Date.now();
        const response = await graph.request(STATS, { caller, variables: { id: coop.mirail, ...variables } });
        expect(Date.now() - startedAt).toBeLessThan(3_000);
        expect(errorCodes(response).filter((code) => code !== 'BAD_USER_INPUT')).toEqual([]);
      }
    });

    it('answers a district’s statistics at once for every caller when its first request is of 1 January 2000, the earliest allowed', async () => {
      const district = await registerSharedDistrict(graph, 'Ancien');
      const opened = await graph.request('mutation ($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { id } }', {
        caller: district.owner.staff,
        variables: {
          input: { buildingId: district.owner.buildingId, category: 'LIFT', channel: 'PHONE', openedAt: '2000-01-01T00:00:00Z' },
        },
      });
      dataOf(opened);
      for (const caller of [coordinatorOf(district.districtId), district.neighbour.staff, district.owner.staff, TEST_ADMIN]) {
        const startedAt = Date.now();
        const response = await graph.request<{ district: { requestStats: { byMonth: unknown[] } | null } }>(STATS, {
          caller,
          variables: { id: district.districtId },
        });
        expect(dataOf(response).district.requestStats).not.toBeNull();
        expect(Date.now() - startedAt).toBeLessThan(3_000);
      }
    });

    const PAGES = {
      'a building’s requests':
        'query ($id: ID!, $first: Int) { building(id: $id) { requests(first: $first) { totalCount nodes { id } } } }',
      'a building’s dwellings':
        'query ($id: ID!, $first: Int) { building(id: $id) { dwellings(first: $first) { totalCount nodes { id } } } }',
      'a landlord’s buildings':
        'query ($id: ID!, $first: Int) { landlord(id: $id) { buildings(first: $first) { totalCount nodes { id } } } }',
    };
    it.each(
      Object.keys(PAGES).flatMap((page) => [
        [page, 101, 'BAD_USER_INPUT'],
        [page, -1, 'BAD_USER_INPUT'],
        // Priced by the gateway before any subgraph call.
        [page, 2 ** 31 - 1, 'QUERY_TOO_COMPLEX'],
      ]),
    )('refuses a page of %s of %p with %s', async (page, first, code) => {
      const id = page.includes('landlord') ? coop.chalets : coop.buildings.chaletsMirail;
      const response = await graph.request(PAGES[page as keyof typeof PAGES], { caller: chaletsStaff(), variables: { id, first } });
      expect(errorCodes(response)).toEqual([code]);
    });

    it('gives no other landlord’s request for a cursor taken from the owner’s pages', async () => {
      const page = await graph.request<{ building: { requests: { edges: { cursor: string }[] } } }>(
        'query ($id: ID!) { building(id: $id) { requests(first: 1) { edges { cursor } } } }',
        { caller: chaletsStaff(), variables: { id: coop.buildings.chaletsMirail } },
      );
      const cursor = dataOf(page).building.requests.edges[0]!.cursor;
      const response = await graph.request<{ building: { requests: { nodes: unknown[] } | null } }>(
        'query ($id: ID!, $after: String) { building(id: $id) { requests(first: 100, after: $after) { nodes { id description } } } }',
        { caller: staffOf(coop.languedocienne), variables: { id: coop.buildings.chaletsMirail, after: cursor } },
      );
      expect(JSON.stringify(response.data)).not.toMatch(/"description"|"id":"[0-9a-f]{32}"/);
    });
  });

  describe('building imports', () => {
    const IMPORT = `mutation ($landlordId: ID!, $districtId: ID!, $buildings: [ImportedBuildingInput!]!, $dryRun: Boolean) {
      importBuildings(landlordId: $landlordId, districtId: $districtId, buildings: $buildings, dryRun: $dryRun) {
        buildings { created updated unchanged } dwellings { created updated unchanged } skipped { index reason } } }`;
    const building = (streetName: string, references: readonly string[]) => ({
      address: { number: '3', streetType: 'rue', streetName, communeCode: '31555' },
      dwellings: references.map((reference) => ({ reference, rooms: 2 })),
    });
    const importAs = (caller: ReturnType<typeof staffOf>, variables: Record<string, unknown>) =>
      graph.request(IMPORT, { caller, variables: { landlordId: coop.chalets, districtId: coop.mirail, ...variables } });
    const housingCounts = async () => [await count(COLLECTIONS.buildings), await count(COLLECTIONS.dwellings)];

    it('writes nothing on a dry run, and says what it would do', async () => {
      const before = await housingCounts();
      const response = await importAs(chaletsStaff(), { buildings: [building('du Dry Run', ['DRY-1', 'DRY-2'])], dryRun: true });
      expect(dataOf(response)).toEqual({
        importBuildings: {
          buildings: { created: 1, updated: 0, unchanged: 0 },
          dwellings: { created: 2, updated: 0, unchanged: 0 },
          skipped: [],
        },
      });
      expect(await housingCounts()).toEqual(before);
    });

    it.each([
      [
        '2,001 dwellings',
        () => [
          building(
            'des Nombreux',
            Array.from({ length: 2001 }, (_, i) => `N-${i}`),
          ),
        ],
      ],
      [
        'a bad dwelling in its last building',
        () => [building('du Bon', ['OK-1']), { ...building('du Mauvais', ['KO-1']), dwellings: [{ reference: 'KO-1', rooms: -2 }] }],
      ],
      ['a reference in two buildings', () => [building('du Premier', ['TWICE']), building('du Second', ['TWICE'])]],
      ['an address twice', () => [building('du Double', ['D-1']), building('du  Double', ['D-2'])]],
    ])('refuses a file with %s, writing nothing', async (_title, buildings) => {
      const before = await housingCounts();
      expect(errorCodes(await importAs(chaletsStaff(), { buildings: buildings() }))).toEqual(['BAD_USER_INPUT']);
      expect(await housingCounts()).toEqual(before);
    });

    it('refuses 501 buildings in one call, even without dwellings, writing nothing', async () => {
      const before = await housingCounts();
      const buildings = Array.from({ length: 501 }, (_, i) => building(`des Vides ${i}`, []));
      const response = await importAs(chaletsStaff(), { buildings });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field).toBe('buildings');
      expect(await housingCounts()).toEqual(before);
    });

    describe('a reference the landlord uses in another building', () => {
      let moved: { _id: string; buildingId: string; districtId: string };

      beforeAll(async () => {
        const id = await registerDwelling(graph, coop.buildings.chaletsBellefontaine, 'BEL-1');
        dataOf(
          await graph.request('mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }', {
            caller: chaletsStaff(),
            variables: { input: { dwellingId: id, since: '2024-01-01', size: 3 } },
          }),
        );
        moved = (await graph.db
          .collection<{ _id: string; buildingId: string; districtId: string }>(COLLECTIONS.dwellings)
          .findOne({ _id: id }))!;
      });

      const dwellingNow = () => graph.db.collection<{ _id: string }>(COLLECTIONS.dwellings).findOne({ _id: moved._id });

      it.each([false, true])('is refused by an import (dry run: %p), naming the dwelling, and nothing moves', async (dryRun) => {
        const before = await housingCounts();
        const response = await importAs(chaletsStaff(), {
          buildings: [building('du Nouveau Mirail', ['NEW-1', 'BEL-1'])],
          dryRun,
        });
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors?.[0]?.extensions?.field).toBe('buildings[0].dwellings[1].reference');
        expect(response.errors?.[0]?.message).toContain('BEL-1');
        expect(await housingCounts()).toEqual(before);
        expect(await dwellingNow()).toMatchObject({ buildingId: moved.buildingId, districtId: moved.districtId });
      });

      it('is refused by an import into another registered building of the same district', async () => {
        const response = await importAs(chaletsStaff(), {
          districtId: coop.bellefontaine,
          buildings: [building('du Second Kiev', ['BEL-1'])],
        });
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(await dwellingNow()).toMatchObject({ buildingId: moved.buildingId, districtId: moved.districtId });
      });

      it('is refused by registerDwellings in another building, naming the dwelling, and nothing moves', async () => {
        const before = await housingCounts();
        const response = await graph.request(
          'mutation ($id: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $id, dwellings: $dwellings) { id } }',
          {
            caller: chaletsStaff(),
            variables: {
              id: coop.buildings.chaletsMirail,
              dwellings: [
                { reference: 'MIR-9', rooms: 2 },
                { reference: 'BEL-1', rooms: 2 },
              ],
            },
          },
        );
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors?.[0]?.extensions?.field).toBe('dwellings[1].reference');
        expect(await housingCounts()).toEqual(before);
        expect(await dwellingNow()).toMatchObject({ buildingId: moved.buildingId, districtId: moved.districtId });
      });

      it('still updates it in its own building', async () => {
        const response = await graph.request(
          'mutation ($id: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $id, dwellings: $dwellings) { id rooms } }',
          { caller: chaletsStaff(), variables: { id: moved.buildingId, dwellings: [{ reference: 'BEL-1', rooms: 5 }] } },
        );
        expect(dataOf(response)).toEqual({ registerDwellings: [{ id: moved._id, rooms: 5 }] });
      });
    });

    it('imports a file sent twice at once once: each answer a success or a CONFLICT, one building per address', async () => {
      const file = [building('des Deux Envois', ['TWO-1', 'TWO-2']), building('du Double Clic', ['TWO-3'])];
      const responses = await Promise.all([importAs(chaletsStaff(), { buildings: file }), importAs(chaletsStaff(), { buildings: file })]);
      for (const response of responses) expect(['CONFLICT', undefined]).toContain(errorCodes(response)[0]);
      expect(responses.some((response) => !response.errors)).toBe(true);
      expect(
        await count(COLLECTIONS.buildings, {
          landlordId: coop.chalets,
          'address.streetName': { $in: ['des Deux Envois', 'du Double Clic'] },
        }),
      ).toBe(2);
      expect(await count(COLLECTIONS.dwellings, { landlordId: coop.chalets, reference: { $in: ['TWO-1', 'TWO-2', 'TWO-3'] } })).toBe(3);
    });

    it('registers dwellings sent twice at once once: each answer a success or a CONFLICT', async () => {
      const register = () =>
        graph.request(
          'mutation ($id: ID!, $dwellings: [DwellingInput!]!) { registerDwellings(buildingId: $id, dwellings: $dwellings) { id } }',
          {
            caller: chaletsStaff(),
            variables: {
              id: coop.buildings.chaletsMirail,
              dwellings: ['RACE-1', 'RACE-2', 'RACE-3'].map((reference) => ({ reference, rooms: 4 })),
            },
          },
        );
      const responses = await Promise.all([register(), register(), register()]);
      for (const response of responses) expect(['CONFLICT', undefined]).toContain(errorCodes(response)[0]);
      expect(await count(COLLECTIONS.dwellings, { landlordId: coop.chalets, reference: { $in: ['RACE-1', 'RACE-2', 'RACE-3'] } })).toBe(3);
    });

    it('lets no staff import into a district its landlord has no buildings in, nor for another landlord', async () => {
      const before = await housingCounts();
      const intoOther = await importAs(chaletsStaff(), {
        districtId: coop.bellefontaine.replace(/.$/, 'x'),
        buildings: [building('de Nulle Part', ['X-1'])],
      });
      expect(errorCodes(intoOther)).toEqual(['NOT_FOUND']);
      const outsider = await importAs(staffOf(coop.neighbour), { landlordId: coop.neighbour, buildings: [building('du Voisin', ['V-1'])] });
      expect(errorCodes(outsider)).toEqual(['NOT_FOUND']);
      const forAnother = await importAs(staffOf(coop.languedocienne), { buildings: [building('d’Autrui', ['A-1'])] });
      expect(errorCodes(forAnother)).toEqual(['FORBIDDEN']);
      expect(await housingCounts()).toEqual(before);
    });
  });

  describe('unique records, registered at once', () => {
    it('keeps one landlord of a SIREN and one building of an address when each is sent three times at once', async () => {
      const landlords = await Promise.all(
        ['552 100 554', '552100554', ' 552100554 '].map((siren) =>
          graph.request('mutation ($input: RegisterLandlordInput!) { registerLandlord(input: $input) { id } }', {
            caller: TEST_ADMIN,
            variables: { input: { name: 'Habitat Concurrent', family: 'OPH', siren } },
          }),
        ),
      );
      expect(landlords.map((response) => errorCodes(response)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
      expect(await count(COLLECTIONS.landlords, { siren: '552100554' })).toBe(1);

      const buildings = await Promise.all(
        ['de la Concurrence', 'DE LA CONCURRENCE', 'de la  Concurrence'].map((streetName) =>
          graph.request('mutation ($input: RegisterBuildingInput!) { registerBuilding(input: $input) { id } }', {
            caller: chaletsStaff(),
            variables: {
              input: {
                landlordId: coop.chalets,
                districtId: coop.mirail,
                address: { number: '7', streetType: 'rue', streetName, communeCode: '31555' },
              },
            },
          }),
        ),
      );
      expect(buildings.map((response) => errorCodes(response)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
    });

    it('counts an emoji as one character of a title, and refuses a title of invisible characters only, writing nothing', async () => {
      const emojiTitle = '🎉'.repeat(200);
      const proposed = await sendAction(graph, 'proposeAction', chaletsStaff(), {
        input: { districtId: coop.mirail, kind: 'AWARENESS', title: emojiTitle },
      });
      expect(dataOf(proposed).proposeAction.title).toBe(emojiTitle);
      const before = await count(COLLECTIONS.actions);
      for (const title of ['\u200B\u200B\u200B', '\u2060\u00AD\u200E \u3000\uFEFF', '🎉'.repeat(201)]) {
        const response = await sendAction(graph, 'proposeAction', chaletsStaff(), {
          input: { districtId: coop.mirail, kind: 'AWARENESS', title },
        });
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors?.[0]?.extensions?.field).toBe('title');
      }
      expect(await count(COLLECTIONS.actions)).toBe(before);
    });

    it('stores one action for a clientMutationId sent three times at once', async () => {
      const responses = await Promise.all(
        [1, 2, 3].map(() =>
          sendAction(graph, 'proposeAction', chaletsStaff(), {
            input: { districtId: coop.mirail, kind: 'AWARENESS', title: 'Réunion', clientMutationId: 'proposal-storm' },
          }),
        ),
      );
      expect(new Set(responses.map((response) => dataOf(response).proposeAction.id)).size).toBe(1);
      expect(await count(COLLECTIONS.actions, { clientMutationId: 'proposal-storm' })).toBe(1);
    });
  });

  describe('households', () => {
    const REGISTER = 'mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id size } }';
    const register = (input: Record<string, unknown>) =>
      graph.request<{ registerHousehold: { id: string } }>(REGISTER, {
        caller: chaletsStaff(),
        variables: { input: { dwellingId, since: '2024-01-01', size: 2, ...input } },
      });

    it('leaves exactly one current household when three are registered in the dwelling at once', async () => {
      const responses = await Promise.all([1, 2, 3].map((size) => register({ size, contactName: `Ménage ${size}` })));
      for (const response of responses) {
        if (response.errors) expect(errorCodes(response)).toEqual(['CONFLICT']);
      }
      expect(await count(COLLECTIONS.households, { dwellingId, current: true })).toBe(1);
    });

    it.each([
      ['size 0', { size: 0 }],
      ['a negative size', { size: -3 }],
      ['size 21', { size: 21 }],
      ['a contact name of 201 characters', { contactName: 'é'.repeat(201) }],
      ['a phone number made of letters', { phone: 'zéro cinq' }],
      ['a phone number of 40 digits', { phone: '0'.repeat(40) }],
      ['a move-in date that does not exist', { since: '2024-02-30' }],
      ['a move-in date in ten years', { since: `${new Date().getUTCFullYear() + 10}-01-01` }],
    ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_title, input) => {
      const before = await count(COLLECTIONS.households);
      expect(errorCodes(await register(input))).toEqual(['BAD_USER_INPUT']);
      expect(await count(COLLECTIONS.households)).toBe(before);
    });
  });

  describe('joint actions', () => {
    const propose = (input: Record<string, unknown>) =>
      sendAction(graph, 'proposeAction', chaletsStaff(), {
        input: { districtId: coop.mirail, kind: 'CLEAN_UP', title: 'Nettoyage des abords', ...input },
      });

    it('lets exactly one of two schedules sent at once from the same version through; the other is a CONFLICT', async () => {
      const proposed = await actionAfter(graph, 'proposeAction', chaletsStaff(), {
        input: { districtId: coop.mirail, kind: 'CLEAN_UP', title: 'Deux écritures' },
      });
      const [lead, coordinator] = await Promise.all([
        sendAction(graph, 'scheduleAction', chaletsStaff(), {
          id: proposed.id,
          expectedVersion: proposed.version,
          startsAt: '2025-06-14T09:00:00Z',
          endsAt: '2025-06-14T12:00:00Z',
        }),
        sendAction(graph, 'scheduleAction', coordinatorOf(coop.mirail), {
          id: proposed.id,
          expectedVersion: proposed.version,
          startsAt: '2025-07-05T09:00:00Z',
          endsAt: '2025-07-05T12:00:00Z',
        }),
      ]);
      const outcomes = [lead, coordinator].map((response) => errorCodes(response)[0] ?? 'OK').sort();
      expect(outcomes).toEqual(['CONFLICT', 'OK']);
      const winner = [lead, coordinator].find((response) => !response.errors)!;
      const loser = [lead, coordinator].find((response) => response.errors)!;
      expect(loser.errors?.[0]?.extensions?.currentVersion).toBe(proposed.version + 1);
      const stored = await graph.db.collection(COLLECTIONS.actions).findOne({ _id: proposed.id as never });
      expect(stored?.version).toBe(proposed.version + 1);
      expect((stored?.startsAt as Date).toISOString()).toBe(new Date(winner.data!.scheduleAction.startsAt!).toISOString());
    });

    it.each([
      ['a building of another district', (c: Cooperation) => ({ buildingIds: [c.buildings.chaletsBellefontaine] })],
      ['a partner serving another district only', (c: Cooperation) => ({ partnerIds: [c.association] })],
      ['a title of 201 characters', () => ({ title: 'a'.repeat(201) })],
      ['a blank title', () => ({ title: ' \n\t ' })],
      ['a description of 2,001 characters', () => ({ description: 'd'.repeat(2001) })],
      ['a negative cost share', () => ({ costShareCents: -1 })],
      ['a cost share over ten million euros', () => ({ costShareCents: 1_000_000_001 })],
      ['a cost share beyond a 32-bit integer', () => ({ costShareCents: 2 ** 31 })],
      ['501 buildings', (c: Cooperation) => ({ buildingIds: Array.from({ length: 501 }, (_, i) => `${c.buildings.chaletsMirail}-${i}`) })],
    ])('refuses a proposal with %s, storing nothing', async (_title, input) => {
      const before = await count(COLLECTIONS.actions);
      const response = await propose(input(coop));
      expect(response.errors?.length).toBeGreaterThan(0);
      expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(errorCodes(response)[0]);
      expect(await count(COLLECTIONS.actions)).toBe(before);
    });

    it('names a building given twice once', async () => {
      const action = dataOf(await propose({ buildingIds: [coop.buildings.chaletsMirail, coop.buildings.chaletsMirail] })).proposeAction;
      expect(action.buildings).toEqual([{ id: coop.buildings.chaletsMirail }]);
    });
  });

  describe('the TFPB programme', () => {
    const REPORT_FIELDS = 'version totalPlannedCents totalSpentCents abatementCents csv';
    const scope = () => ({ districtId: coop.mirail, year: 2025 });

    it('lets exactly one of two first abatements sent at once through; the other is a CONFLICT', async () => {
      const set = (abatementCents: number) =>
        graph.request<{ setTfpbAbatement: { version: number; abatementCents: number } }>(
          `mutation ($scope: TfpbScopeInput!, $abatementCents: Int!) {
            setTfpbAbatement(scope: $scope, abatementCents: $abatementCents, expectedVersion: 0) { ${REPORT_FIELDS} } }`,
          { caller: staffOf(coop.metropoleHabitat), variables: { scope: scope(), abatementCents } },
        );
      const responses = await Promise.all([set(100_000), set(200_000)]);
      expect(responses.map((response) => errorCodes(response)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
      const winner = responses.find((response) => !response.errors)!;
      const stored = await graph.db
        .collection(COLLECTIONS.tfpbProgrammes)
        .find({ landlordId: coop.metropoleHabitat, districtId: coop.mirail, year: 2025 })
        .toArray();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.abatementCents).toBe(winner.data!.setTfpbAbatement.abatementCents);
    });

    // Three lines of 10 M€ each used to be stored, then every report and the district's table failed to serialise.
    it('refuses a line that would take the district table past the API’s integers, writing nothing; reports stay readable', async () => {
      const add = (landlordId: string, expectedVersion: number) =>
        graph.request<{ addTfpbEntry: { version: number } }>(
          `mutation ($scope: TfpbScopeInput!, $entry: TfpbEntryInput!, $expectedVersion: Int!) {
            addTfpbEntry(scope: $scope, entry: $entry, expectedVersion: $expectedVersion) { ${REPORT_FIELDS} } }`,
          {
            caller: staffOf(landlordId),
            variables: {
              scope: scope(),
              expectedVersion,
              entry: { axis: 'PROXIMITY_STAFF', label: 'Renfort', plannedCents: 1_000_000_000, spentCents: 1_000_000_000 },
            },
          },
        );
      const first = dataOf(await add(coop.languedocienne, 0)).addTfpbEntry;
      const second = dataOf(await add(coop.languedocienne, first.version)).addTfpbEntry;
      const third = await add(coop.languedocienne, second.version);
      expect(errorCodes(third)).toEqual(['BAD_USER_INPUT']);
      expect(third.errors![0]!.extensions?.field).toBe('entry');
      // Another landlord of the district cannot push the table over either.
      expect(errorCodes(await add(coop.chalets, 0))).toEqual(['BAD_USER_INPUT']);
      const stored = await graph.db
        .collection<{ landlordId: string; version: number; entries: unknown[] }>(COLLECTIONS.tfpbProgrammes)
        .find({ districtId: coop.mirail, year: 2025 })
        .toArray();
      expect(stored.map((programme) => [programme.landlordId, programme.version, programme.entries.length]).sort()).toEqual(
        [
          [coop.languedocienne, second.version, 2],
          [coop.metropoleHabitat, 1, 0],
        ].sort(),
      );

      const report = await graph.request<{ tfpbReport: { totalPlannedCents: number } }>(
        `query ($landlordId: ID!, $districtId: ID!) { tfpbReport(landlordId: $landlordId, districtId: $districtId, year: 2025) { ${REPORT_FIELDS} } }`,
        { caller: staffOf(coop.languedocienne), variables: { landlordId: coop.languedocienne, districtId: coop.mirail } },
      );
      expect(dataOf(report).tfpbReport.totalPlannedCents).toBe(2_000_000_000);
      const table = await graph.request<{ tfpbDistrictTable: { totalPlannedCents: number; csv: string } }>(
        `query ($districtId: ID!) { tfpbDistrictTable(districtId: $districtId, year: 2025) { totalPlannedCents totalSpentCents csv } }`,
        { caller: coordinatorOf(coop.mirail), variables: { districtId: coop.mirail } },
      );
      expect(dataOf(table).tfpbDistrictTable.totalPlannedCents).toBe(2_000_000_000);
      expect(dataOf(table).tfpbDistrictTable.csv).toContain('20000000,00');
    });
  });

  describe('the TFPB table, fed by completed joint actions', () => {
    // Three completed actions with a 10 M€ share each left the reports and the district's table unreadable.
    it('refuses to complete an action whose shares would take the district table past the API’s integers, leaving it scheduled', async () => {
      const complete = async () => {
        const action = await scheduledAction(
          graph,
          coop.metropoleHabitat,
          { districtId: coop.mirail, tfpbAxis: 'SOCIAL_LIFE', costShareCents: 1_000_000_000 },
          { startsAt: '2024-06-14T09:00:00Z', endsAt: '2024-06-14T12:00:00Z' },
        );
        const response = await sendAction(graph, 'completeAction', staffOf(coop.metropoleHabitat), {
          id: action.id,
          expectedVersion: action.version,
          outcome: { participants: 30, completedAt: '2024-06-14T12:00:00Z' },
        });
        return { action, response };
      };
      dataOf((await complete()).response);
      dataOf((await complete()).response);
      const third = await complete();
      expect(errorCodes(third.response)).toEqual(['BAD_USER_INPUT']);
      const stored = await graph.db.collection(COLLECTIONS.actions).findOne({ _id: third.action.id as never });
      expect([stored?.status, stored?.version]).toEqual(['SCHEDULED', third.action.version]);

      const table = await graph.request<{ tfpbDistrictTable: { totalSpentCents: number } }>(
        'query ($districtId: ID!) { tfpbDistrictTable(districtId: $districtId, year: 2024) { totalSpentCents csv } }',
        { caller: coordinatorOf(coop.mirail), variables: { districtId: coop.mirail } },
      );
      expect(dataOf(table).tfpbDistrictTable.totalSpentCents).toBe(2_000_000_000);
    });
  });

  describe('the TFPB table as CSV', () => {
    // A name that starts like a negative number slipped past the formula guard: -1+1 runs in a spreadsheet.
    it.each(['-1+1|cmd', '@SUM(A1)', '\t=1+1'])('defuses a landlord named %p, which opens as text, never as a formula', async (name) => {
      const districtId = await registerDistrict(graph, `Quartier ${name}`);
      const landlordId = await registerLandlord(graph, name);
      await registerBuilding(graph, landlordId, districtId, 'des Tableurs');
      const table = await graph.request<{ tfpbDistrictTable: { csv: string } }>(
        'query ($districtId: ID!) { tfpbDistrictTable(districtId: $districtId, year: 2025) { csv } }',
        { caller: TEST_ADMIN, variables: { districtId } },
      );
      const header = dataOf(table).tfpbDistrictTable.csv.split('\r\n')[0]!.split(';');
      // Names are stored trimmed.
      expect(header[1]).toBe(`'${name.trim()}`);
    });
  });

  describe('partners and agreements', () => {
    it('refuses an agreement ending before it starts, or binding a landlord of another district, writing nothing', async () => {
      const sign = (input: Record<string, unknown>) =>
        graph.request(`mutation ($input: SignAgreementInput!) { signAgreement(input: $input) { id } }`, {
          caller: coordinatorOf(coop.mirail),
          variables: {
            input: {
              partnerId: coop.regie,
              districtId: coop.mirail,
              landlordIds: [coop.chalets],
              kind: 'CONVENTION',
              services: ['CLEANING'],
              validFrom: '2025-01-01',
              ...input,
            },
          },
        });
      const before = await count(COLLECTIONS.agreements);
      expect(errorCodes(await sign({ validTo: '2024-12-31' }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await sign({ landlordIds: [coop.neighbour] }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await sign({ services: ['CLEANING', 'CLEANING'] }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await sign({ partnerId: coop.association }))).toEqual(['NOT_FOUND']);
      expect(await count(COLLECTIONS.agreements)).toBe(before);
    });
  });

  describe('errors', () => {
    it('runs no mutation sent as a GET or as a form a browser would post cross-site, writing nothing', async () => {
      const authorization = `Bearer ${await graph.token(TEST_ADMIN)}`;
      const mutation = 'mutation { registerLandlord(input: { name: "Bailleur Fantôme", family: OTHER }) { id } }';
      const before = await count(COLLECTIONS.landlords);
      const viaGet = await fetch(`${graph.gatewayUrl}?query=${encodeURIComponent(mutation)}`, { headers: { authorization } });
      expect(viaGet.status).toBeGreaterThanOrEqual(400);
      const asForm = await fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { authorization, 'content-type': 'text/plain' },
        body: JSON.stringify({ query: mutation }),
      });
      expect(asForm.status).toBeGreaterThanOrEqual(400);
      expect(await count(COLLECTIONS.landlords)).toBe(before);
    });

    it('never answers with a stack trace or a file path, whatever the input', async () => {
      const responses: GraphQLResponse[] = await Promise.all([
        graph.request('{ serviceRequest(id: "\\u0000") { id } }', { caller: chaletsStaff() }),
        graph.request('{ building(id: "' + 'x'.repeat(100_000) + '") { id } }', { caller: chaletsStaff() }),
        graph.request('query ($id: ID!) { action(id: $id) { id } }', { caller: chaletsStaff(), variables: { id: { $ne: null } } }),
        graph.request('query ($id: ID!) { household(id: $id) { id } }', { caller: chaletsStaff(), variables: { id: ['a', 'b'] } }),
      ]);
      for (const response of responses) {
        expect(JSON.stringify(response)).not.toMatch(/\.ts:\d+|node_modules|at [A-Za-z]+ \(/);
      }
    });
  });
});
