import { startDistrictGraph, type DistrictGraph } from './districtGraph';

let graph: DistrictGraph;

beforeAll(async () => {
  graph = await startDistrictGraph({ SUBGRAPH_RETRIES: '0' });
});

afterAll(() => graph.close());

function requestLines(requestId: string) {
  return graph.logLines.filter((line) => line.msg === 'graphql request' && line.requestId === requestId);
}

describe('request log', () => {
  it('writes one line per request: id, operation, role and scope, duration, status, error codes', async () => {
    const caller = { role: 'LANDLORD_STAFF', sub: 'marie.dupont@example.org', landlordId: 'landlord-7' } as const;
    const response = await graph.post(
      { query: 'query DistrictCard($id: ID!) { district(id: $id) { name } forbidden }', variables: { id: 'd1' } },
      { caller, headers: { 'x-request-id': 'log-1' } },
    );
    expect(response.status).toBe(200);

    const lines = requestLines('log-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: expect.any(Number),
      hostname: expect.any(String),
      msg: 'graphql request',
      requestId: 'log-1',
      operationName: 'DistrictCard',
      operationType: 'query',
      role: 'LANDLORD_STAFF',
      scope: { landlordId: 'landlord-7' },
      durationMs: expect.any(Number),
      status: 200,
      errorCodes: ['FORBIDDEN'],
    });
  });

  it('never logs the query text, the variables or who the person is', async () => {
    const caller = { role: 'COORDINATOR', sub: 'jean.martin@example.org', districtIds: ['d1', 'd2'] } as const;
    await graph.post(
      {
        query: 'mutation AddNote($text: String!) { addNote(districtId: "d1", text: $text) }',
        variables: { text: 'Mme Durand, 06 12 34 56 78' },
      },
      { caller, headers: { 'x-request-id': 'log-2' } },
    );
    const lines = requestLines('log-2');
    expect(lines).toMatchObject([
      { operationName: 'AddNote', operationType: 'mutation', role: 'COORDINATOR', scope: { districtIds: ['d1', 'd2'] } },
    ]);
    const everything = JSON.stringify(graph.logLines.filter((line) => line.requestId === 'log-2'));
    expect(everything).not.toMatch(/Durand|06 12|jean\.martin|addNote\(/);
  });

  it('logs a request refused before any operation runs, with its status', async () => {
    await graph.post({ query: '{ districts { name } }' }, { caller: null, headers: { 'x-request-id': 'log-3' } });
    expect(requestLines('log-3')).toMatchObject([
      { operationName: null, status: 401, errorCodes: ['UNAUTHENTICATED'], durationMs: expect.any(Number) },
    ]);
  });

  it('logs the codes of a refused operation', async () => {
    await graph.post({ query: '{ district(id: "d1") { nam } }' }, { headers: { 'x-request-id': 'log-4' } });
    expect(requestLines('log-4')).toMatchObject([{ role: 'ADMIN', status: 400, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] }]);
  });
});
