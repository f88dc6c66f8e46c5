import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import { type Cooperation, actionAfter, coordinatorOf, createCooperation, sendAction, staffOf } from '../support/actionsFixtures';
import { registerDwelling } from '../support/tenancyFixtures';
import { type GraphQLResponse, type TestGraph, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

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
