import autocannon from 'autocannon';
import type { Caller } from '../../lib/auth/caller';
import { registerBuilding, registerDistrict, registerLandlord } from '../support/housingFixtures';
import { type TestGraph, startTestGraph } from '../support/testGraph';

/**
 * A bounded load of mixed reads and writes through the gateway (loopback only), after which the database holds
 * exactly the writes the clients were told succeeded: none lost, none doubled, none half-made.
 */
/** A count, not a duration: stopping on a clock would cut off responses to writes already made. About 30 s here. */
const LOAD_REQUESTS = Number(process.env.LOAD_TEST_REQUESTS ?? 1_000);

describe('under load', () => {
  let graph: TestGraph;
  let districtId: string;
  let buildingId: string;
  let landlordId: string;
  let staff: Caller;

  beforeAll(async () => {
    graph = await startTestGraph();
    landlordId = await registerLandlord(graph, 'Groupe des Chalets');
    districtId = await registerDistrict(graph, 'Reynerie');
    buildingId = await registerBuilding(graph, landlordId, districtId, 'de la Reynerie');
    staff = { role: 'LANDLORD_STAFF', sub: 'load-staff', landlordId };
  });

  afterAll(() => graph.close());

  it(`keeps every acknowledged write and nothing else (${LOAD_REQUESTS} requests, 10 connections)`, async () => {
    const token = await graph.token(staff);
    const acknowledged = { serviceRequests: new Set<string>(), actions: new Set<string>() };
    const failures: string[] = [];
    let sequence = 0;
    const graphqlRequest = (body: () => object, onData?: (data: Record<string, { id: string }>) => void): autocannon.Request => ({
      method: 'POST',
      setupRequest: (request) => ({ ...request, body: JSON.stringify(body()) }),
      onResponse: (status, responseBody) => {
        const parsed = JSON.parse(responseBody) as { data?: Record<string, { id: string }>; errors?: { message: string }[] };
        if (status !== 200 || parsed.errors) failures.push(`${status} ${parsed.errors?.[0]?.message ?? ''}`);
        else if (parsed.data && onData) onData(parsed.data);
      },
    });

    const result = await autocannon({
      url: graph.gatewayUrl,
      connections: 10,
      amount: LOAD_REQUESTS,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      requests: [
        graphqlRequest(() => ({
          query: 'query ($id: ID!) { district(id: $id) { name stock { dwellings } requestStats { total open } actions { id status } } }',
          variables: { id: districtId },
        })),
        graphqlRequest(
          () => ({
            query: 'mutation ($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { id } }',
            variables: { input: { buildingId, category: 'LIFT', channel: 'PHONE', clientMutationId: `load-request-${(sequence += 1)}` } },
          }),
          (data) => acknowledged.serviceRequests.add(data.openServiceRequest!.id),
        ),
        graphqlRequest(
          () => ({
            query: 'mutation ($input: ProposeActionInput!) { proposeAction(input: $input) { id } }',
            variables: { input: { districtId, title: 'Nettoyage', kind: 'CLEAN_UP', clientMutationId: `load-action-${(sequence += 1)}` } },
          }),
          (data) => acknowledged.actions.add(data.proposeAction!.id),
        ),
      ],
    });

    expect(failures).toEqual([]);
    expect(result.errors + result.timeouts + result.non2xx).toBe(0);
    expect(acknowledged.serviceRequests.size).toBeGreaterThan(10);
    expect(acknowledged.actions.size).toBeGreaterThan(10);

    const storedRequestIds = await graph.db.collection('serviceRequests').distinct('_id', { buildingId });
    const storedActionIds = await graph.db.collection('actions').distinct('_id', { districtId });
    expect(new Set(storedRequestIds.map(String))).toEqual(acknowledged.serviceRequests);
    expect(new Set(storedActionIds.map(String))).toEqual(acknowledged.actions);
    console.info(
      `${result.requests.total} requests in ${result.duration.toFixed(1)} s (${result.requests.average} req/s, p99 ${result.latency.p99} ms): ` +
        `${acknowledged.serviceRequests.size} requests and ${acknowledged.actions.size} actions acknowledged and stored`,
    );
  }, 180_000);
});
