import type { Caller } from '../../lib/auth/caller';
import {
  REQUEST_FIELDS,
  type ServiceRequestResult,
  type SharedDistrict,
  moveThrough,
  openServiceRequest,
  registerSharedDistrict,
  storedRequest,
  updateServiceRequest,
} from '../support/tenancyFixtures';
import { type TestGraph, TEST_ADMIN, dataOf, errorCodes, startTestGraph } from '../support/testGraph';

const SERVICE_REQUEST = `query ($id: ID!) { serviceRequest(id: $id) { ${REQUEST_FIELDS} } }`;

const BUILDING_REQUESTS = `
  query ($id: ID!, $status: RequestStatus, $first: Int, $after: String) {
    building(id: $id) {
      id
      requests(status: $status, first: $first, after: $after) { totalCount nodes { id status } pageInfo { hasNextPage endCursor } }
    }
  }`;

describe('service requests: a tenant’s request from opening to closing', () => {
  let graph: TestGraph;
  let district: SharedDistrict;
  let ownerStaff: Caller;

  const open = (input: Record<string, unknown> = {}, caller: Caller = ownerStaff) =>
    openServiceRequest(graph, caller, { buildingId: district.owner.buildingId, ...input });
  const countRequests = () => graph.db.collection('serviceRequests').countDocuments();

  beforeAll(async () => {
    graph = await startTestGraph();
    district = await registerSharedDistrict(graph, 'Reynerie');
    ownerStaff = district.owner.staff;
  });

  afterAll(async () => {
    await graph.close();
  });

  it('opens a request, then acknowledges, starts and resolves it, stamping each step once', async () => {
    const opened = dataOf(
      await open({
        dwellingId: district.owner.dwellingId,
        category: 'LIFT',
        channel: 'CARETAKER',
        description: "L'ascenseur de l'entrée B est en panne depuis ce matin.",
      }),
    ).openServiceRequest;
    expect(opened).toMatchObject({
      status: 'OPEN',
      category: 'LIFT',
      channel: 'CARETAKER',
      acknowledgedAt: null,
      closedAt: null,
      version: 1,
      building: { id: district.owner.buildingId },
      dwelling: { id: district.owner.dwellingId },
    });
    expect(Date.now() - Date.parse(opened.openedAt)).toBeLessThan(60_000);

    const acknowledged = await moveThrough(graph, ownerStaff, opened, ['ACKNOWLEDGED']);
    expect(acknowledged).toMatchObject({ status: 'ACKNOWLEDGED', version: 2, closedAt: null });
    expect(Date.parse(acknowledged.acknowledgedAt!)).toBeGreaterThanOrEqual(Date.parse(opened.openedAt));

    const inProgress = await moveThrough(graph, ownerStaff, acknowledged, ['IN_PROGRESS']);
    expect(inProgress).toMatchObject({ status: 'IN_PROGRESS', version: 3, acknowledgedAt: acknowledged.acknowledgedAt, closedAt: null });

    const resolved = await moveThrough(graph, TEST_ADMIN, inProgress, ['RESOLVED']);
    expect(resolved).toMatchObject({ status: 'RESOLVED', version: 4, acknowledgedAt: acknowledged.acknowledgedAt });
    expect(Date.parse(resolved.closedAt!)).toBeGreaterThanOrEqual(Date.parse(resolved.acknowledgedAt!));

    const read = dataOf(
      await graph.request<{ serviceRequest: ServiceRequestResult }>(SERVICE_REQUEST, { caller: ownerStaff, variables: { id: opened.id } }),
    );
    expect(read.serviceRequest).toEqual(resolved);
  });

  it('stamps both acknowledgedAt and closedAt when an OPEN request is rejected', async () => {
    const opened = dataOf(await open()).openServiceRequest;
    const rejected = await moveThrough(graph, ownerStaff, opened, ['REJECTED']);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.acknowledgedAt).not.toBeNull();
    expect(rejected.closedAt).toBe(rejected.acknowledgedAt);
  });

  it('refuses a move the status machine does not allow, leaving the request unchanged', async () => {
    const opened = dataOf(await open()).openServiceRequest;
    const before = await storedRequest(graph, opened.id);

    const skipping = await updateServiceRequest(graph, ownerStaff, opened.id, 'RESOLVED', 1);
    expect(skipping.data).toBeNull();
    expect(errorCodes(skipping)).toEqual(['BAD_USER_INPUT']);
    expect(skipping.errors?.[0]?.message).toBe('A request that is OPEN cannot become RESOLVED: it can become ACKNOWLEDGED or REJECTED.');
    expect(await storedRequest(graph, opened.id)).toEqual(before);

    const rejected = await moveThrough(graph, ownerStaff, opened, ['REJECTED']);
    const reopening = await updateServiceRequest(graph, ownerStaff, opened.id, 'OPEN', rejected.version);
    expect(errorCodes(reopening)).toEqual(['BAD_USER_INPUT']);
    expect(reopening.errors?.[0]?.message).toMatch(/it is closed/);
  });

  it('refuses a stale expectedVersion with CONFLICT and the current version, leaving the request unchanged', async () => {
    const acknowledged = await moveThrough(graph, ownerStaff, dataOf(await open()).openServiceRequest, ['ACKNOWLEDGED']);
    const before = await storedRequest(graph, acknowledged.id);

    const stale = await updateServiceRequest(graph, ownerStaff, acknowledged.id, 'IN_PROGRESS', 1);
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(2);
    expect(stale.errors?.[0]?.message).toMatch(/version 2/);
    expect(await storedRequest(graph, acknowledged.id)).toEqual(before);
  });

  it('lets exactly one of two concurrent updates from the same version win', async () => {
    const opened = dataOf(await open()).openServiceRequest;
    const [acknowledging, rejecting] = await Promise.all([
      updateServiceRequest(graph, ownerStaff, opened.id, 'ACKNOWLEDGED', 1),
      updateServiceRequest(graph, TEST_ADMIN, opened.id, 'REJECTED', 1),
    ]);
    const outcomes = [acknowledging, rejecting];
    const winners = outcomes.filter((response) => !response.errors);
    const losers = outcomes.filter((response) => response.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map(errorCodes)).toEqual([['CONFLICT']]);

    const winner = winners[0]!.data!.updateServiceRequest;
    const stored = await storedRequest(graph, opened.id);
    expect(stored).toMatchObject({ version: 2, status: winner.status });
  });

  it('returns the request first opened with a clientMutationId when the client sends it again', async () => {
    const input = { clientMutationId: 'tablette-gardien-42', category: 'PESTS', description: 'Cafards dans le local poubelles.' };
    const first = dataOf(await open(input)).openServiceRequest;
    const before = await countRequests();

    const replay = dataOf(await open({ ...input, description: 'Sent twice by a flaky network.' })).openServiceRequest;
    expect(replay).toEqual(first);
    const concurrentReplays = await Promise.all([open(input), open(input)]);
    expect(concurrentReplays.map((response) => dataOf(response).openServiceRequest.id)).toEqual([first.id, first.id]);
    expect(await countRequests()).toBe(before);

    // The key is the owner's: its neighbour using the same key opens its own request.
    const neighbours = dataOf(
      await openServiceRequest(graph, district.neighbour.staff, { ...input, buildingId: district.neighbour.buildingId }),
    ).openServiceRequest;
    expect(neighbours.id).not.toBe(first.id);
  });

  it('pages through a building’s requests, filtered by status', async () => {
    const page = async (variables: Record<string, unknown>) =>
      dataOf(
        await graph.request<{
          building: {
            requests: {
              totalCount: number;
              nodes: { id: string; status: string }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          };
        }>(BUILDING_REQUESTS, { caller: ownerStaff, variables: { id: district.owner.buildingId, ...variables } }),
      ).building.requests;

    const all = await page({ first: 100 });
    const stored = await graph.db.collection('serviceRequests').countDocuments({ buildingId: district.owner.buildingId });
    expect(all.totalCount).toBe(stored);
    const firstTwo = await page({ first: 2 });
    const rest = await page({ first: 100, after: firstTwo.pageInfo.endCursor });
    expect(firstTwo.pageInfo.hasNextPage).toBe(true);
    expect([...firstTwo.nodes, ...rest.nodes].map((node) => node.id)).toEqual(all.nodes.map((node) => node.id));

    const rejected = await page({ status: 'REJECTED', first: 100 });
    expect(rejected.nodes.length).toBeGreaterThan(0);
    expect(rejected.nodes.every((node) => node.status === 'REJECTED')).toBe(true);
    expect(rejected.totalCount).toBe(rejected.nodes.length);
  });

  describe('refuses bad input, writing nothing', () => {
    it.each([
      ['an openedAt in the future', () => ({ openedAt: new Date(Date.now() + 3_600_000).toISOString() }), 'BAD_USER_INPUT'],
      ['an unknown building', () => ({ buildingId: 'no-such-building' }), 'NOT_FOUND'],
      ['an unknown dwelling', () => ({ dwellingId: 'no-such-dwelling' }), 'NOT_FOUND'],
      ['a dwelling of another building', () => ({ dwellingId: district.neighbour.dwellingId }), 'BAD_USER_INPUT'],
      ['an overlong description', () => ({ description: 'x'.repeat(4001) }), 'BAD_USER_INPUT'],
    ])('%s', async (_, input, code) => {
      const before = await countRequests();
      const response = await open(input(), TEST_ADMIN);
      expect(errorCodes(response)).toEqual([code]);
      expect(await countRequests()).toBe(before);
    });

    it('names the field at fault', async () => {
      const response = await open({ dwellingId: district.neighbour.dwellingId });
      expect(response.errors?.[0]?.extensions?.field).toBe('dwellingId');
      expect(response.errors?.[0]?.message).toBe(
        `Dwelling ${district.neighbour.dwellingId} is not in building ${district.owner.buildingId}.`,
      );
    });
  });

  describe('another landlord of the same district', () => {
    let request: ServiceRequestResult;

    beforeAll(async () => {
      request = dataOf(await open({ description: 'Fuite au plafond de la salle de bains, appartement 12.' })).openServiceRequest;
    });

    it('cannot read the request, nor tell it exists: null, as for a request that does not exist', async () => {
      const response = await graph.request<{ serviceRequest: unknown }>(SERVICE_REQUEST, {
        caller: district.neighbour.staff,
        variables: { id: request.id },
      });
      expect(response.data?.serviceRequest).toBeNull();
      expect(errorCodes(response)).toEqual([]);
    });

    it('sees no request in the building: the list filters', async () => {
      const response = await graph.request<{ building: { requests: { totalCount: number; nodes: unknown[] } } }>(BUILDING_REQUESTS, {
        caller: district.neighbour.staff,
        variables: { id: district.owner.buildingId },
      });
      expect(dataOf(response).building.requests).toMatchObject({ totalCount: 0, nodes: [] });
    });

    it('cannot reach the request or its description by calling the tenancy subgraph directly', async () => {
      const response = await graph.request<{ _entities: unknown[] }>(
        'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ServiceRequest { id description } } }',
        {
          caller: district.neighbour.staff,
          url: graph.subgraphUrls.tenancy,
          variables: { representations: [{ __typename: 'ServiceRequest', id: request.id }] },
        },
      );
      expect(response.data?._entities).toEqual([null]);
      expect(errorCodes(response)).toEqual([]);
    });

    it('cannot open a request in the building, nor change one: the request is not one it knows of', async () => {
      const before = await storedRequest(graph, request.id);
      expect(errorCodes(await open({}, district.neighbour.staff))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await updateServiceRequest(graph, district.neighbour.staff, request.id, 'ACKNOWLEDGED', 1))).toEqual(['NOT_FOUND']);
      expect(await storedRequest(graph, request.id)).toEqual(before);
    });
  });

  it("does not let a district's coordinator open or read individual requests", async () => {
    const coordinator: Caller = { role: 'COORDINATOR', sub: 'coordinator-reynerie', districtIds: [district.districtId] };
    expect(errorCodes(await open({}, coordinator))).toEqual(['FORBIDDEN']);
    const someRequest = (await graph.db.collection<{ _id: string }>('serviceRequests').findOne({ buildingId: district.owner.buildingId }))!;
    const response = await graph.request(SERVICE_REQUEST, { caller: coordinator, variables: { id: someRequest._id } });
    expect(response.data).toEqual({ serviceRequest: null });
    expect(errorCodes(response)).toEqual([]);
  });
});
